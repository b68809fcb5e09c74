import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

extension CheckoutFixture {
    func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

    func advance(days: Int) { store.clock.advance(by: .seconds(Int64(days) * 86_400)) }

    func confirmDelivery(_ order: Order, _ delivered: String) throws -> Order {
        try checkout.confirmDelivery(merchant: merchant.id, orderID: order.id, deliveredOn: try day(delivered))
    }

    /// The `/delivered_on` refusal, or a failed expectation.
    func expectDeliveredOnRefused(_ body: () throws -> Order) {
        do {
            _ = try body()
            Issue.record("expected /delivered_on to be refused")
        } catch let CheckoutError.invalidField(field, _) {
            #expect(field == "/delivered_on")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

/// The fixture's clock starts on 2027-03-01; try-then-pay is due 14 days after delivery.
@Suite("Try-then-pay (先用后付) due dates at checkout")
struct CheckoutDeliveryTests {
    @Test("a capture is due the allowance plus the window; a confirmation moves it to the delivery plus the window", arguments: StoreKind.available)
    func confirmation(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00", product: "try-then-pay")
        _ = try fixture.capture(order, nil, id: "cap-1")
        #expect(try fixture.plan(order).installments[0].dueDate == (try fixture.day("2027-03-22")))
        fixture.advance(days: 3)
        let confirmed = try fixture.confirmDelivery(order, "2027-03-03")
        #expect(confirmed.delivery?.deliveredOn == (try fixture.day("2027-03-03")))
        #expect(confirmed.delivery?.confirmedOn == (try fixture.day("2027-03-04")))
        #expect(try fixture.plan(order).installments[0].dueDate == (try fixture.day("2027-03-17")))
        // The same confirmation again changes nothing; another date is refused.
        fixture.advance(days: 1)
        #expect(try fixture.confirmDelivery(order, "2027-03-03") == confirmed)
        fixture.expectDeliveredOnRefused { try fixture.confirmDelivery(order, "2027-03-04") }
        #expect(try fixture.plan(order).installments[0].dueDate == (try fixture.day("2027-03-17")))
        try fixture.verifyLedger()
    }

    @Test("the checkout's offer shows the best case, a delivery confirmed on the day of checkout (docs/API.md)", arguments: StoreKind.available)
    func offerIsTheBestCase(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("200.00")
        let offer = try #require(session.offers.first { $0.productID == "try-then-pay" })
        #expect(offer.installments.map(\.dueDate) == [try fixture.day("2027-03-15")])
        guard case let .approved(order, _) = try fixture.authorize(session.id, product: "try-then-pay") else {
            Issue.record("not approved")
            return
        }
        _ = try fixture.capture(order, nil, id: "cap-1")
        #expect(try fixture.plan(order).installments[0].dueDate == (try fixture.day("2027-03-22")))
        _ = try fixture.confirmDelivery(order, "2027-03-01")
        #expect(try fixture.plan(order).installments[0].dueDate == offer.installments[0].dueDate)
    }

    @Test("a slow delivery moves the due date later; a confirmation after the allowance-based date leaves it", arguments: StoreKind.available)
    func lateConfirmations(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let slow = try fixture.approvedOrder("200.00", product: "try-then-pay")
        _ = try fixture.capture(slow, nil, id: "cap-1")
        let tooLate = try CheckoutFixture(kind)
        let missed = try tooLate.approvedOrder("200.00", product: "try-then-pay")
        _ = try tooLate.capture(missed, nil, id: "cap-1")

        fixture.advance(days: 19)
        _ = try fixture.confirmDelivery(slow, "2027-03-19")
        #expect(try fixture.plan(slow).installments[0].dueDate == (try fixture.day("2027-04-02")))

        tooLate.advance(days: 24)
        let order = try tooLate.confirmDelivery(missed, "2027-03-20")
        #expect(order.delivery?.deliveredOn == (try tooLate.day("2027-03-20")))
        #expect(try tooLate.plan(missed).installments[0].dueDate == (try tooLate.day("2027-03-22")))
    }

    @Test("the delivery allowance is a setting of the checkout service", arguments: StoreKind.available)
    func allowanceSetting(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind, deliveryAllowanceDays: 3)
        let order = try fixture.approvedOrder("200.00", product: "try-then-pay")
        _ = try fixture.capture(order, nil, id: "cap-1")
        #expect(try fixture.plan(order).installments[0].dueDate == (try fixture.day("2027-03-18")))
    }

    @Test("a confirmation covers the shipments made by then; a later shipment keeps its own allowance", arguments: StoreKind.available)
    func splitShipments(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00", product: "try-then-pay")
        _ = try fixture.capture(order, "100.00", id: "cap-1")
        fixture.advance(days: 4)
        _ = try fixture.capture(order, nil, id: "cap-2")
        fixture.advance(days: 1)
        fixture.expectDeliveredOnRefused { try fixture.confirmDelivery(order, "2027-02-28") }
        _ = try fixture.confirmDelivery(order, "2027-03-04")
        #expect(try fixture.plan(order, 1).installments[0].dueDate == (try fixture.day("2027-03-18")))
        #expect(try fixture.plan(order, 2).installments[0].dueDate == (try fixture.day("2027-03-26")))
    }

    @Test("only a shipped try-then-pay order takes a confirmation, and not of a delivery in the future", arguments: StoreKind.available)
    func refusals(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let payIn4 = try fixture.approvedOrder("200.00")
        _ = try fixture.capture(payIn4, nil, id: "cap-1")
        fixture.expectDeliveredOnRefused { try fixture.confirmDelivery(payIn4, "2027-03-01") }

        let other = try CheckoutFixture(kind)
        let order = try other.approvedOrder("200.00", product: "try-then-pay")
        #expect(throws: CheckoutError.order(.invalidState(operation: "confirm the delivery of", state: .authorized))) {
            try other.confirmDelivery(order, "2027-03-01")
        }
        _ = try other.capture(order, nil, id: "cap-1")
        other.expectDeliveredOnRefused { try other.confirmDelivery(order, "2027-03-02") }
        #expect(try other.checkout.order(merchant: other.merchant.id, id: order.id).delivery == nil)
    }

    @Test("the plan operation is idempotent by operation id and refuses plans that are not try-then-pay", arguments: StoreKind.available)
    func planOperation(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00", product: "try-then-pay")
        _ = try fixture.capture(order, nil, id: "cap-1")
        let consumer = try ConsumerID(order.consumerID)
        let plan = try PlanID("\(order.id)-p1")
        fixture.advance(days: 2)
        let first = try fixture.servicing.confirmDelivery(consumer: consumer, plan: plan, deliveredOn: try fixture.day("2027-03-02"), operationID: "d-1")
        #expect(first.change == .moved)
        #expect(first.dueDate == (try fixture.day("2027-03-16")))
        fixture.advance(days: 1)
        #expect(try fixture.servicing.confirmDelivery(consumer: consumer, plan: plan, deliveredOn: try fixture.day("2027-03-02"), operationID: "d-1") == first)

        let payIn4 = try fixture.approvedOrder("200.00")
        _ = try fixture.capture(payIn4, nil, id: "cap-1")
        let other = try PlanID("\(payIn4.id)-p1")
        #expect(throws: DeliveryError.notTryThenPay(plan: other.rawValue)) {
            try fixture.servicing.confirmDelivery(consumer: consumer, plan: other, deliveredOn: try fixture.day("2027-03-03"), operationID: "d-2")
        }
    }
}
