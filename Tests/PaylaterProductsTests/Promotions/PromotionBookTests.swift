import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("The promotion book's JSON")
struct PromotionBookTests {
    static let good =
        #"{"id":"spring","merchant_id":"m-42","product_ids":["monthly-split-6"],"merchant_share_bp":10000,"valid_from":"2026-03-01","valid_through":"2026-03-31","minimum_order":{"amount":"300.00","currency":"CNY"}}"#

    static func json(_ promotions: [String]) -> Data { Data(#"{"promotions":[\#(promotions.joined(separator: ","))]}"#.utf8) }

    @Test("a book loads and finds the promotions that apply to an order")
    func loads() throws {
        let partial = Self.good.replacingOccurrences(of: "\"spring\"", with: "\"half\"")
            .replacingOccurrences(of: "10000", with: "5000")
            .replacingOccurrences(of: #","minimum_order":{"amount":"300.00","currency":"CNY"}"#, with: "")
        let book = try PromotionBook(json: Self.json([Self.good, partial]), catalog: .standard)
        #expect(book.promotions.map(\.id) == ["spring", "half"])
        #expect(book.promotions[0].minimumOrder == Fixture.money("300.00", .CNY))
        #expect(book.promotions[1].minimumOrder == nil && book.promotions[1].merchantShare == BasisPoints(5_000))
        let small = book.applicable(
            merchantID: "m-42", productID: "monthly-split-6", amount: Fixture.money("100.00", .CNY), date: Fixture.date("2026-03-31"))
        #expect(small.map(\.id) == ["half"])
    }

    static func swap(_ old: String, _ new: String) -> String { good.replacingOccurrences(of: old, with: new) }

    static let bad: [(String, String)] = [
        (swap("merchant_share_bp", "merchant_share"), "promotions[0].merchant_share"),
        (swap("10000", "0"), "promotions[0].merchant_share_bp"),
        (swap("10000", "10001"), "promotions[0].merchant_share_bp"),
        (swap("10000", "\"100%\""), "promotions[0].merchant_share_bp"),
        (swap("\"2026-03-31\"", "\"2026-02-28\""), "promotions[0].valid_through"),
        (swap("\"2026-03-01\"", "\"2026-3-1\""), "promotions[0].valid_from"),
        (swap("[\"monthly-split-6\"]", "[\"monthly-split-9\"]"), "promotions[0].product_ids[0]"),
        (swap("[\"monthly-split-6\"]", "[]"), "promotions[0].product_ids"),
        (swap("\"300.00\"", "\"0.00\""), "promotions[0].minimum_order.amount"),
        (swap("\"300.00\"", "\"300.001\""), "promotions[0].minimum_order.amount"),
        (swap("\"CNY\"", "\"XYZ\""), "promotions[0].minimum_order.currency"),
        (swap("\"merchant_id\":\"m-42\",", ""), "promotions[0].merchant_id"),
    ]

    @Test("a bad field is refused with its JSON path", arguments: bad)
    func badField(_ example: (String, String)) {
        do {
            _ = try PromotionBook(json: Self.json([example.0]), catalog: .standard)
            Issue.record("expected \(example.1) to be refused")
        } catch {
            #expect(error.fieldPath == example.1)
        }
    }

    @Test("two promotions with the same id are refused")
    func duplicateID() {
        do {
            _ = try PromotionBook(json: Self.json([Self.good, Self.good]))
            Issue.record("expected a duplicate id to be refused")
        } catch {
            #expect(error.fieldPath == "promotions[1].id")
        }
    }

    @Test("a promotions file that is not JSON is not called a catalog")
    func malformedFileNamesNoCatalog() {
        #expect(throws: CatalogError.self) { try PromotionBook(json: Data("{".utf8), catalog: .standard) }
        do { _ = try PromotionBook(json: Data("{".utf8), catalog: .standard) } catch {
            #expect("\(error)".hasPrefix("not valid JSON"), "\(error)")
        }
    }

    @Test("a file whose top level is not an object says so, with no empty path", arguments: ["[]", "[{\"promotions\":[]}]"])
    func topLevelNotAnObject(text: String) {
        do {
            _ = try PromotionBook(json: Data(text.utf8), catalog: .standard)
            Issue.record("expected \(text) to be refused")
        } catch {
            #expect(error.description == "expected an object at the top level")
        }
    }

    @Test("the promotions file in docs/OPERATIONS.md loads as written, and its rules hold")
    func documentedExample() throws {
        let operations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/OPERATIONS.md")
        let text = try String(contentsOf: operations, encoding: .utf8)
        let section = try #require(text.range(of: "### The promotions file"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let book = try PromotionBook(json: Data(text[start.upperBound..<end.lowerBound].utf8), catalog: .standard)
        #expect(book.promotions.map(\.id) == ["spring-0", "spring-half"])
        let order = try Money(parsing: "300.00", currency: .CNY)
        let day = try LocalDate(iso8601: "2026-03-15")
        #expect(book.applicable(merchantID: "mer_acme", productID: "financing-12", amount: order, date: day).count == 2)
        let small = try Money(parsing: "299.99", currency: .CNY)
        #expect(book.applicable(merchantID: "mer_acme", productID: "financing-12", amount: small, date: day).map(\.id) == ["spring-half"])
        #expect(book.applicable(merchantID: "mer_other", productID: "financing-12", amount: order, date: day).isEmpty)
    }
}
