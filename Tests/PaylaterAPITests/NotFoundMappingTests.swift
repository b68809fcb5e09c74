import Foundation
import PaylaterTestSupport
import Testing

/// A settlement or webhook event the merchant does not have is 404 not-found, as for checkouts and orders (the
/// fuzzer found both answered 422).
@Suite("Missing settlements and webhook events")
struct NotFoundMappingTests {
    @Test("GET /v1/settlements/{id}/report.csv of an unknown settlement is 404")
    func unknownSettlement() throws {
        let test = try APITestServer()
        let response = try HTTPTestClient(port: test.port).send(
            "GET", "/v1/settlements/st_nope/report.csv", headers: [("Authorization", "Bearer \(test.merchantKey)")])
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.bodyText.contains("\"type\":\"https://paylater.dev/problems/not-found\""))
    }

    @Test("POST /v1/webhooks/{id}/replay of an unknown event is 404")
    func unknownEvent() throws {
        let test = try APITestServer()
        let response = try HTTPTestClient(port: test.port).send(
            "POST", "/v1/webhooks/evt_nope/replay",
            headers: [("Authorization", "Bearer \(test.merchantKey)"), ("Idempotency-Key", "replay-1")])
        #expect(response.status == 404)
        #expect(response.bodyText.contains("\"type\":\"https://paylater.dev/problems/not-found\""))
    }
}
