import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterHTTP
import PaylaterLedger
import PaylaterTestSupport
import Testing

/// A header the API reads once (who is calling, which operation this is) must be sent once: a proxy that checks one
/// of two lines and a server that reads the other would disagree. Its scheme is read as RFC 9110 §11.1 says.
@Suite("Headers the API reads once")
struct ReadOnceHeaderTests {
    @Test("an Authorization given twice is a 400 malformed-request naming it, whichever line holds the right key")
    func repeatedAuthorization() throws {
        let server = try APITestServer()
        let client = HTTPTestClient(port: server.port)
        for lines in [["Bearer \(server.merchantKey)", "Bearer plk_other"], ["Bearer plk_other", "Bearer \(server.merchantKey)"]] {
            let response = try client.send("GET", "/v1/webhooks/endpoints", headers: lines.map { ("Authorization", $0) })
            #expect(response.status == 400, "\(response.bodyText)")
            #expect(problemTypeAndField(response) == ("https://paylater.dev/problems/malformed-request", "Authorization"))
        }
    }

    @Test("an Idempotency-Key given twice is a 400 malformed-request naming it, and nothing is created")
    func repeatedIdempotencyKey() throws {
        let server = try APITestServer()
        let client = HTTPTestClient(port: server.port)
        let headers = [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"),
            ("Idempotency-Key", "first"), ("Idempotency-Key", "second"),
        ]
        let body = #"{"url":"http://127.0.0.1:9/hooks"}"#
        let response = try client.send("POST", "/v1/webhooks/endpoints", headers: headers, text: body)
        #expect(response.status == 400, "\(response.bodyText)")
        #expect(problemTypeAndField(response) == ("https://paylater.dev/problems/malformed-request", "Idempotency-Key"))
        let listed = try client.send("GET", "/v1/webhooks/endpoints", headers: [("Authorization", "Bearer \(server.merchantKey)")])
        #expect(listed.bodyText == #"{"endpoints":[]}"#)
    }

    @Test("the Bearer scheme is read in any case, for merchants and for shoppers", arguments: ["bearer", "BEARER", "BeArEr"])
    func bearerIgnoresCase(scheme: String) throws {
        let server = try APITestServer()
        let client = HTTPTestClient(port: server.port)
        let merchant = try client.send("GET", "/v1/webhooks/endpoints", headers: [("Authorization", "\(scheme) \(server.merchantKey)")])
        #expect(merchant.status == 200, "\(merchant.bodyText)")
        let token = server.services.consumerTokens.issue(for: try ConsumerID("shopper-1"))
        let shopper = try client.send("GET", "/v1/me/plans", headers: [("Authorization", "\(scheme) \(token)")])
        #expect(shopper.status == 200, "\(shopper.bodyText)")
    }

    @Test("another scheme, or Bearer without a space before the credential, is 401", arguments: ["Basic", "Bearer:", "Bearerx"])
    func otherSchemesAreUnauthorized(scheme: String) throws {
        let server = try APITestServer()
        let response = try HTTPTestClient(port: server.port).send(
            "GET", "/v1/webhooks/endpoints", headers: [("Authorization", "\(scheme) \(server.merchantKey)")])
        #expect(response.status == 401)
    }

    private func problemTypeAndField(_ response: HTTPTestClient.Response) -> (String?, String?) {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (object["type"] as? String, object["field"] as? String)
    }
}
