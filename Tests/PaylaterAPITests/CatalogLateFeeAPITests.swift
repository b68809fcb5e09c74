import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("A plan captured through the API carries the catalog's late fees")
struct CatalogLateFeeAPITests {
    /// Captures a 400.00 CNY pay-in-4 order for shopper-1 and returns its plan as stored.
    private static func capturedPlan(_ server: APITestServer) throws -> RepaymentPlan {
        let api = APIClient(server)
        let (_, authorized) = try api.authorize(try api.checkout(40_000))
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        let (captured, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        #expect(captured == 201)
        let plans = try server.services.servicing.plans(consumer: try ConsumerID("shopper-1"))
        return try #require(plans.first).plan
    }

    private static func cny(_ text: String) throws -> Money { try Money(parsing: text, currency: .CNY) }

    @Test("with the example catalog a CNY plan is charged 5.00 on its fourth day overdue, not before")
    func exampleCatalog() throws {
        let server = try APITestServer()
        let plan = try Self.capturedPlan(server)
        let policy = try #require(plan.lateFeePolicy)
        #expect(policy.graceDays == 3)
        #expect(policy.first == LateFeeAmount(fixed: try Self.cny("5.00")))
        #expect(policy.followUp == LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try Self.cny("5.00"))))
        #expect(policy.orderCapPercentage == BasisPoints(2500))
        #expect(policy.orderCapAmount == (try Self.cny("50.00")))
        let due = plan.installments[0].dueDate
        let servicing = server.services.servicing
        #expect(try servicing.runEndOfDay(on: due.adding(days: 3)).lateFees.isEmpty)
        #expect(try servicing.runEndOfDay(on: due.adding(days: 4)).lateFees == [.CNY: try Self.cny("5.00")])
    }

    @Test("a catalog without late_fees opens plans that are never charged a late fee")
    func catalogWithoutLateFees() throws {
        let server = try APITestServer(catalog: try ProductCatalog(json: Array(Self.withoutLateFees().utf8)))
        let plan = try Self.capturedPlan(server)
        #expect(plan.lateFeePolicy == nil)
        let report = try server.services.servicing.runEndOfDay(on: plan.installments[0].dueDate.adding(days: 30))
        #expect(report.lateFees.isEmpty)
    }

    /// The example catalog with its `late_fees` taken out.
    private static func withoutLateFees() throws -> String {
        let data = try Data(contentsOf: APITestServer.repository.appendingPathComponent("config/catalog.example.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root.removeValue(forKey: "late_fees") != nil)
        return String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
    }
}
