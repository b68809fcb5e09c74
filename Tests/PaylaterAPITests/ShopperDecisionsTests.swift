import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterTestSupport
import PaylaterTime
import Testing

/// `GET /v1/me/decisions`: a shopper reads why they were approved or declined, in the words they are told.
@Suite("The shopper's own credit decisions")
struct ShopperDecisionsTests {
    @Test("a shopper sees their decisions newest first, with the reasons they are told and nothing of the operator's detail, the score or the model")
    func listsOwnDecisions() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let approvedCheckout = try api.checkout(40_000)
        #expect(try api.authorize(approvedCheckout).0 == 200)
        server.store.clock.advance(by: .seconds(60))
        let declinedCheckout = try api.checkout(30_000)
        let risky: [String: Any] = ["account_age_days": 5, "orders_last_year": 0, "return_rate": 0.4, "late_repayments": 3, "bureau_delinquencies": 2]
        let (_, declined) = try api.authorize(declinedCheckout, features: risky, device: "device-2")
        #expect(declined["decision"] as? String == "declined")

        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let (status, body, response) = try shopper.call("GET", "/v1/me/decisions")
        #expect(status == 200, "\(response.bodyText)")
        let decisions = try #require(body["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["id"] as? String } == [declinedCheckout, approvedCheckout])
        #expect(decisions.map { $0["outcome"] as? String } == ["declined", "approved"])
        #expect(decisions[0]["reasons"] as? [String] == declined["reasons"] as? [String], "what the checkout told: \(response.bodyText)")
        #expect((decisions[0]["amount"] as? [String: Any])?["amount"] as? Int == 30_000)
        #expect(decisions[0]["approved_amount"] == nil && decisions[0]["limit"] == nil)
        #expect((decisions[1]["approved_amount"] as? [String: Any])?["amount"] as? Int == 40_000)
        #expect(decisions[1]["limit"] != nil)
        for field in ["operator_detail", "operatorDetail", "probability_of_bad", "model", "arm", "features", "snapshot", "points"] {
            #expect(!response.bodyText.contains(field), "\(field) must not reach the shopper: \(response.bodyText)")
        }
        #expect(!response.bodyText.contains("cut-off"), "no operator detail text: \(response.bodyText)")

        let (_, one, _) = try shopper.call("GET", "/v1/me/decisions?limit=1")
        #expect((one["decisions"] as? [Any])?.count == 1)
        let (tooMany, problem, _) = try shopper.call("GET", "/v1/me/decisions?limit=101")
        #expect(tooMany == 422 && problem["field"] as? String == "limit")
        // Another shopper sees none of them.
        let other = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-2")))
        let (_, none, _) = try other.call("GET", "/v1/me/decisions")
        #expect((none["decisions"] as? [Any])?.isEmpty == true)
        #expect(try APIClient(server, token: "nope").call("GET", "/v1/me/decisions").0 == 401)
    }
}
