import Foundation
import PaylaterMoney
import PaylaterProducts
import Testing

/// Catalog JSON with `late_fees` built from pieces, so each test changes one field.
enum CatalogLateFeeFixture {
    static let cny =
        #"{"currency":"CNY","grace_days":3,"first_fee":{"fixed":"5.00"},"follow_up":{"after_days":7,"fixed":"5.00"},"order_cap":{"percentage_bp":2500,"amount":"50.00"}}"#
    static let usd =
        #"{"currency":"USD","first_fee":{"fixed":"10.00"},"follow_up":{"after_days":7,"fixed":"7.00"},"order_cap":{"percentage_bp":2500,"amount":"68.00"}}"#

    static func json(_ entries: [String]) -> String {
        #"{"rate_caps":[],"products":[],"jurisdiction":"CN","late_fees":[\#(entries.joined(separator: ","))]}"#
    }

    static func swap(_ entry: String, _ old: String, _ new: String) -> String {
        precondition(entry.contains(old), "the fixture contains \(old)")
        return entry.replacingOccurrences(of: old, with: new)
    }

    static let bad: [(String, String)] = [
        // Unknown keys, at every level: a misspelt field must not pass silently.
        (json([swap(cny, #""grace_days":3"#, #""grace_days":3,"note":1"#)]), "late_fees[0].note"),
        (json([swap(cny, "first_fee", "first")]), "late_fees[0].first"),
        (json([swap(cny, #""fixed":"5.00"}"#, #""fixed":"5.00","cap":"1.00"}"#)]), "late_fees[0].first_fee.cap"),
        (json([swap(cny, "after_days", "days")]), "late_fees[0].follow_up.days"),
        (json([swap(cny, #""amount":"50.00""#, #""fixed":"50.00""#)]), "late_fees[0].order_cap.fixed"),
        // The currency.
        (json([swap(cny, #""currency":"CNY","#, "")]), "late_fees[0].currency"),
        (json([swap(cny, #""CNY""#, #""XYZ""#)]), "late_fees[0].currency"),
        (json([swap(cny, #""CNY""#, "156")]), "late_fees[0].currency"),
        (json([cny, usd, cny]), "late_fees[2].currency"),
        // The first fee.
        (json([swap(cny, #""first_fee":{"fixed":"5.00"},"#, "")]), "late_fees[0].first_fee"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":"5.00""#)]), "late_fees[0].first_fee"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{}"#)]), "late_fees[0].first_fee"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"fixed":"0.00"}"#)]), "late_fees[0].first_fee"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"fixed":"-5.00"}"#)]),
         "late_fees[0].first_fee.fixed"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"fixed":"5.001"}"#)]),
         "late_fees[0].first_fee.fixed"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"fixed":"five"}"#)]),
         "late_fees[0].first_fee.fixed"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"fixed":5}"#)]),
         "late_fees[0].first_fee.fixed"),
        (json([swap(cny, #""CNY""#, #""JPY""#)]), "late_fees[0].first_fee.fixed"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"percentage_bp":10001}"#)]),
         "late_fees[0].first_fee.percentage_bp"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"percentage_bp":-1}"#)]),
         "late_fees[0].first_fee.percentage_bp"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"percentage_bp":"250"}"#)]),
         "late_fees[0].first_fee.percentage_bp"),
        (json([swap(cny, #""first_fee":{"fixed":"5.00"}"#, #""first_fee":{"percentage_bp":2.5}"#)]),
         "late_fees[0].first_fee.percentage_bp"),
        // Days.
        (json([swap(cny, #""grace_days":3"#, #""grace_days":-1"#)]), "late_fees[0].grace_days"),
        (json([swap(cny, #""grace_days":3"#, #""grace_days":366"#)]), "late_fees[0].grace_days"),
        (json([swap(cny, #""after_days":7"#, #""after_days":0"#)]), "late_fees[0].follow_up.after_days"),
        (json([swap(cny, #""after_days":7,"#, "")]), "late_fees[0].follow_up.after_days"),
        // The follow-up fee.
        (json([swap(cny, #""after_days":7,"fixed":"5.00""#, #""after_days":7"#)]), "late_fees[0].follow_up"),
        (json([swap(cny, #""after_days":7,"fixed":"5.00""#, #""after_days":7,"fixed":"-5.00""#)]),
         "late_fees[0].follow_up.fixed"),
        // Caps must be above zero.
        (json([swap(cny, #""amount":"50.00""#, #""amount":"0.00""#)]), "late_fees[0].order_cap.amount"),
        (json([swap(cny, #""amount":"50.00""#, #""amount":"-50.00""#)]), "late_fees[0].order_cap.amount"),
        (json([swap(cny, #""percentage_bp":2500"#, #""percentage_bp":0"#)]), "late_fees[0].order_cap.percentage_bp"),
        (json([swap(cny, #""percentage_bp":2500"#, #""percentage_bp":10001"#)]), "late_fees[0].order_cap.percentage_bp"),
        (json([swap(cny, #""order_cap":{"percentage_bp":2500,"amount":"50.00"}"#, #""order_cap":{}"#)]),
         "late_fees[0].order_cap"),
        (json([swap(cny, #""grace_days":3"#, #""grace_days":3,"per_installment_cap":"0.00""#)]),
         "late_fees[0].per_installment_cap"),
        // The list itself.
        (#"{"rate_caps":[],"products":[],"jurisdiction":"CN","late_fees":{}}"#, "late_fees"),
        (json(["1"]), "late_fees[0]"),
        (json(Array(repeating: cny, count: ProductCatalog.lateFeesMaximum + 1)), "late_fees"),
    ]

    static func policies(_ json: String) throws(CatalogError) -> [Currency: LateFeePolicy] {
        try ProductCatalog(json: Array(json.utf8)).lateFeePolicies
    }

    static func errorPath(_ json: String) -> String? {
        do {
            _ = try policies(json)
            return nil
        } catch {
            return error.fieldPath
        }
    }

    static func money(_ text: String, _ currency: Currency) throws -> Money { try Money(parsing: text, currency: currency) }
}

@Suite("A catalog's late_fees set the late fee policy of each currency")
struct CatalogLateFeeTests {
    @Test("a catalog without late_fees charges no late fees")
    func absent() throws {
        #expect(try CatalogLateFeeFixture.policies(#"{"rate_caps":[],"products":[],"jurisdiction":"CN"}"#).isEmpty)
        #expect(ProductCatalog.standard.lateFeePolicies.isEmpty)
    }

    @Test("an empty late_fees, or null, charges no late fees")
    func empty() throws {
        #expect(try CatalogLateFeeFixture.policies(CatalogLateFeeFixture.json([])).isEmpty)
        #expect(try CatalogLateFeeFixture.policies(#"{"rate_caps":[],"products":[],"jurisdiction":"CN","late_fees":null}"#).isEmpty)
    }

    @Test("every part of a policy can be set: fixed and percentage fees, grace, follow-up, both caps")
    func everything() throws {
        let entry = #"{"currency":"USD","grace_days":2,"first_fee":{"fixed":"1.50","percentage_bp":300},"follow_up":{"after_days":10,"percentage_bp":150},"per_installment_cap":"12.00","order_cap":{"percentage_bp":2000,"amount":"40.00"}}"#
        let policies = try CatalogLateFeeFixture.policies(CatalogLateFeeFixture.json([entry]))
        let expected = try LateFeePolicy(
            first: LateFeeAmount(fixed: try CatalogLateFeeFixture.money("1.50", .USD), percentage: BasisPoints(300)), graceDays: 2,
            followUp: LateFeeFollowUp(
                afterDays: 10, amount: LateFeeAmount(fixed: .zero(.USD), percentage: BasisPoints(150))),
            perInstallmentCap: try CatalogLateFeeFixture.money("12.00", .USD), orderCapPercentage: BasisPoints(2000),
            orderCapAmount: try CatalogLateFeeFixture.money("40.00", .USD))
        #expect(policies == [.USD: expected])
    }

    @Test("the least a policy needs is a currency and a first fee; no grace, follow-up or cap")
    func minimal() throws {
        let policies = try CatalogLateFeeFixture.policies(
            CatalogLateFeeFixture.json([#"{"currency":"CNY","first_fee":{"percentage_bp":100}}"#]))
        #expect(policies == [.CNY: try LateFeePolicy(first: LateFeeAmount(fixed: .zero(.CNY), percentage: BasisPoints(100)))])
    }

    @Test("an order cap may be a percentage alone or an amount alone")
    func oneSidedOrderCaps() throws {
        let percentage = try CatalogLateFeeFixture.policies(CatalogLateFeeFixture.json([
            CatalogLateFeeFixture.swap(CatalogLateFeeFixture.cny, #""percentage_bp":2500,"amount":"50.00""#, #""percentage_bp":2500"#)
        ]))[.CNY]
        #expect(percentage?.orderCapPercentage == BasisPoints(2500) && percentage?.orderCapAmount == nil)
        let amount = try CatalogLateFeeFixture.policies(CatalogLateFeeFixture.json([
            CatalogLateFeeFixture.swap(CatalogLateFeeFixture.cny, #""percentage_bp":2500,"amount":"50.00""#, #""amount":"50.00""#)
        ]))[.CNY]
        #expect(amount?.orderCapPercentage == nil)
        #expect(amount?.orderCapAmount == (try CatalogLateFeeFixture.money("50.00", .CNY)))
    }

    @Test("each entry's amounts are read in its own currency")
    func perCurrency() throws {
        let policies = try CatalogLateFeeFixture.policies(CatalogLateFeeFixture.json([CatalogLateFeeFixture.cny, CatalogLateFeeFixture.usd]))
        #expect(policies[.CNY]?.first.fixed == (try CatalogLateFeeFixture.money("5.00", .CNY)))
        #expect(policies[.USD]?.first.fixed == (try CatalogLateFeeFixture.money("10.00", .USD)))
        #expect(policies[.EUR] == nil)
    }

    @Test("every bad late fee field is refused with its path", arguments: CatalogLateFeeFixture.bad)
    func badField(json: String, path: String) {
        #expect(CatalogLateFeeFixture.errorPath(json) == path)
    }

    @Test("the message names the field and why it is wrong")
    func message() {
        let json = CatalogLateFeeFixture.json([CatalogLateFeeFixture.cny, CatalogLateFeeFixture.cny])
        #expect(throws: CatalogError.invalidField(path: "late_fees[1].currency", reason: "CNY is listed twice")) {
            try CatalogLateFeeFixture.policies(json)
        }
    }
}

@Suite("The example catalog's late fees")
struct ExampleCatalogLateFeeTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/catalog.example.json")

    @Test("USD follows Afterpay: 10.00 once late, 7.00 more a week later, at most the lower of 25% and 68.00")
    func usd() throws {
        let catalog = try ProductCatalog(json: try Data(contentsOf: Self.example))
        let policy = try #require(catalog.lateFeePolicies[.USD])
        #expect(policy.graceDays == 0)
        #expect(policy.first == LateFeeAmount(fixed: try CatalogLateFeeFixture.money("10.00", .USD)))
        #expect(policy.followUp == LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try CatalogLateFeeFixture.money("7.00", .USD))))
        #expect(policy.perInstallmentCap == nil)
        #expect(policy.orderCapPercentage == BasisPoints(2500))
        #expect(policy.orderCapAmount == (try CatalogLateFeeFixture.money("68.00", .USD)))
    }

    @Test("CNY charges 5.00 after three days of grace, 5.00 more a week later, at most the lower of 25% and 50.00")
    func cny() throws {
        let catalog = try ProductCatalog(json: try Data(contentsOf: Self.example))
        let policy = try #require(catalog.lateFeePolicies[.CNY])
        #expect(policy.graceDays == 3)
        #expect(policy.first == LateFeeAmount(fixed: try CatalogLateFeeFixture.money("5.00", .CNY)))
        #expect(policy.followUp == LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try CatalogLateFeeFixture.money("5.00", .CNY))))
        #expect(policy.perInstallmentCap == nil)
        #expect(policy.orderCapPercentage == BasisPoints(2500))
        #expect(policy.orderCapAmount == (try CatalogLateFeeFixture.money("50.00", .CNY)))
    }

    @Test("no other currency has late fees")
    func others() throws {
        let catalog = try ProductCatalog(json: try Data(contentsOf: Self.example))
        #expect(Set(catalog.lateFeePolicies.keys) == [.CNY, .USD])
    }
}
