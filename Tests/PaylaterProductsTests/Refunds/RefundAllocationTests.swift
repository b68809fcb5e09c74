import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Merchant refunds")
struct RefundAllocationTests {
    static func usd(_ text: String) -> Money { try! Money(parsing: text, currency: .USD) }

    /// Pay in 4 of $100.00 with the first $25.00 paid.
    static let payIn4 = try! [
        InstallmentBalance(number: 1, principal: usd("25.00"), fee: usd("0.00"), paid: usd("25.00")),
        InstallmentBalance(number: 2, principal: usd("25.00"), fee: usd("0.00"), paid: usd("0.00")),
        InstallmentBalance(number: 3, principal: usd("25.00"), fee: usd("0.00"), paid: usd("0.00")),
        InstallmentBalance(number: 4, principal: usd("25.00"), fee: usd("0.00"), paid: usd("0.00")),
    ]

    @Test("a partial refund reduces the last installment first and works backwards")
    func lastFirst() throws {
        let outcome = try RefundAllocation.apply(Self.usd("30.00"), to: Self.payIn4)
        #expect(outcome.installments.map(\.principal) == [Self.usd("25.00"), Self.usd("25.00"), Self.usd("20.00"), Self.usd("0.00")])
        #expect(outcome.returnedToShopper == Self.usd("0.00"))
        #expect(!outcome.closesPlan)
    }

    @Test("money already paid beyond the new total goes back to the shopper")
    func overpaidGoesBack() throws {
        let outcome = try RefundAllocation.apply(Self.usd("80.00"), to: Self.payIn4)
        #expect(outcome.installments.map(\.principal) == [Self.usd("20.00"), Self.usd("0.00"), Self.usd("0.00"), Self.usd("0.00")])
        #expect(outcome.returnedToShopper == Self.usd("5.00"))
        #expect(outcome.installments[0].paid == Self.usd("20.00"))
        #expect(outcome.closesPlan, "the $20.00 left is paid, so nothing is owed")
    }

    @Test("a full refund closes the plan, waives every fee and returns everything paid")
    func fullRefund() throws {
        let split = try (1...3).map { number in
            try InstallmentBalance(number: number, principal: Self.usd("100.00"), fee: Self.usd("1.50"),
                               paid: number == 1 ? Self.usd("101.50") : Self.usd("0.00"))
        }
        let outcome = try RefundAllocation.apply(Self.usd("300.00"), to: split)
        #expect(outcome.closesPlan)
        #expect(outcome.feesWaived == Self.usd("4.50"))
        #expect(outcome.returnedToShopper == Self.usd("101.50"))
        #expect(outcome.installments.allSatisfy { $0.total.isZero && $0.paid.isZero })
    }

    @Test("a partly reduced installment keeps its fee; only installments refunded entirely lose theirs")
    func feeKeptOnPartialReduction() throws {
        let split = try (1...2).map { try InstallmentBalance(number: $0, principal: Self.usd("50.00"), fee: Self.usd("2.00"), paid: Self.usd("0.00")) }
        let outcome = try RefundAllocation.apply(Self.usd("60.00"), to: split)
        #expect(outcome.installments.map(\.total) == [Self.usd("42.00"), Self.usd("0.00")])
        #expect(outcome.feesWaived == Self.usd("2.00"))
    }

    @Test("refunds that cannot apply are refused with the reason", arguments: [
        ("0.00", RefundError.notPositive(usd("0.00"))),
        ("100.01", RefundError.exceedsPrincipal(refund: usd("100.01"), principal: usd("100.00"))),
    ])
    func refused(amount: String, error: RefundError) {
        #expect(throws: error) { try RefundAllocation.apply(Self.usd(amount), to: Self.payIn4) }
    }

    @Test("installments with negative, overflowing or overpaid amounts are refused, not trapped on")
    func outOfRange() {
        #expect(throws: RefundError.amountOutOfRange(number: 1)) {
            try InstallmentBalance(number: 1, principal: Money(minorUnits: .max, currency: .USD), fee: Self.usd("0.01"), paid: Self.usd("0.00"))
        }
        #expect(throws: RefundError.amountOutOfRange(number: 1)) {
            try InstallmentBalance(number: 1, principal: Self.usd("-1.00"), fee: Self.usd("0.00"), paid: Self.usd("0.00"))
        }
        #expect(throws: RefundError.overpaidInstallment(number: 2)) {
            try InstallmentBalance(number: 2, principal: Self.usd("1.00"), fee: Self.usd("0.00"), paid: Self.usd("1.01"))
        }
    }

    @Test("a refund in another currency is refused")
    func otherCurrency() {
        #expect(throws: RefundError.currencyMismatch(expected: .USD, found: .CNY)) {
            try RefundAllocation.apply(Money(minorUnits: 100, currency: .CNY), to: Self.payIn4)
        }
    }

    @Test("over seeded random plans and refunds, money is conserved and nothing goes negative", arguments: [UInt64(1), 2, 3])
    func conservation(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for run in 0..<2_000 {
            let count = random.int(in: 1...12)
            let installments = try (1...count).map { number -> InstallmentBalance in
                let principal = random.int64(in: 0...50_000)
                let fee = random.int64(in: 0...2_000)
                let paid = random.chance(percent: 40) ? random.int64(in: 0...(principal + fee)) : 0
                return try InstallmentBalance(
                    number: number, principal: Money(minorUnits: principal, currency: .USD),
                    fee: Money(minorUnits: fee, currency: .USD), paid: Money(minorUnits: paid, currency: .USD))
            }
            let principal = installments.reduce(Int64(0)) { $0 + $1.principal.minorUnits }
            guard principal > 0 else { continue }
            let refund = Money(minorUnits: random.int64(in: 1...principal), currency: .USD)
            let outcome = try RefundAllocation.apply(refund, to: installments)
            let before = installments.reduce(Int64(0)) { $0 + $1.total.minorUnits }
            let after = outcome.installments.reduce(Int64(0)) { $0 + $1.total.minorUnits }
            let paidBefore = installments.reduce(Int64(0)) { $0 + $1.paid.minorUnits }
            let paidAfter = outcome.installments.reduce(Int64(0)) { $0 + $1.paid.minorUnits }
            #expect(before == after + refund.minorUnits + outcome.feesWaived.minorUnits, "seed \(seed) run \(run)")
            #expect(paidBefore == paidAfter + outcome.returnedToShopper.minorUnits, "seed \(seed) run \(run)")
            #expect(outcome.installments.allSatisfy { !$0.principal.isNegative && !$0.fee.isNegative && $0.paid.minorUnits <= $0.total.minorUnits },
                    "seed \(seed) run \(run)")
        }
    }
}
