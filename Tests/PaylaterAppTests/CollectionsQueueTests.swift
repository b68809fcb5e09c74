@testable import PaylaterApp
import PaylaterCollections
import PaylaterMoney
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("The collections work queue")
struct CollectionsQueueTests {
    @Test("a plan joins the queue the day after an installment falls due unpaid, and moves through the bands", arguments: StoreKind.available)
    func overduePlans(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        let queue = CollectionsQueue(database: fixture.store.database)
        // The first of four installments is due on 2027-03-01, the day the plan opened.
        #expect(try queue.overdue(on: try LocalDate(iso8601: "2027-03-01")).isEmpty)
        let next = try #require(try queue.overdue(on: try LocalDate(iso8601: "2027-03-02")).first)
        #expect(next.consumerID == "c1" && next.planID == "p1" && next.merchantID == "m1")
        let owed = try cny("400.00")
        #expect(next.daysPastDue == 1 && next.bucket == .days1To30 && next.owed == owed)
        let later = try #require(try queue.overdue(on: try LocalDate(iso8601: "2027-05-01")).first)
        #expect(later.daysPastDue == 61 && later.bucket == .days61To90)
        #expect(try queue.overdue(on: try LocalDate(iso8601: "2027-05-01"), limit: 0).isEmpty)
    }
}
