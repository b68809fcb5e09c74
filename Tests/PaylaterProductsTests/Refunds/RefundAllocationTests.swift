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

    // A partly reduced installment kept its whole fee before, so the shopper paid the fee of refunded principal.
    @Test("each fee is scaled by what the refund leaves of the balance over its period")
    func feesFollowPrincipal() throws {
        let split = try (1...2).map { try InstallmentBalance(number: $0, principal: Self.usd("50.00"), fee: Self.usd("2.00"), paid: Self.usd("0.00")) }
        let outcome = try RefundAllocation.apply(Self.usd("60.00"), to: split)
        // Installment 1's period had 100.00 outstanding and now has 40.00: 2.00 × 40 / 100.
        #expect(outcome.installments.map(\.total) == [Self.usd("40.80"), Self.usd("0.00")])
        #expect(outcome.feesWaived == Self.usd("3.20"))
    }

    @Test("a fee already paid beyond what is left of it goes back to the shopper, like principal")
    func paidFeesGoBack() throws {
        let split = try (1...2).map { number in
            try InstallmentBalance(
                number: number, principal: Self.usd("50.00"), fee: Self.usd("2.00"),
                paid: number == 1 ? Self.usd("52.00") : Self.usd("0.00"))
        }
        let outcome = try RefundAllocation.apply(Self.usd("25.00"), to: split)
        // Balances 100.00 and 50.00 become 75.00 and 25.00: fees 1.50 and 1.00.
        #expect(outcome.installments.map(\.fee) == [Self.usd("1.50"), Self.usd("1.00")])
        #expect(outcome.installments[0].principalPaid == Self.usd("50.00") && outcome.installments[0].feePaid == Self.usd("1.50"))
        #expect(outcome.returnedToShopper == Self.usd("0.50"))
        #expect(outcome.feesWaived == Self.usd("1.50"))
    }

    @Test("a principal paid before its fee stays paid: only amounts beyond their new size go back")
    func partsStayApart() throws {
        let installment = try InstallmentBalance(
            number: 1, principal: Self.usd("100.00"), fee: Self.usd("4.00"), principalPaid: Self.usd("30.00"),
            feePaid: Self.usd("0.00"))
        let outcome = try RefundAllocation.apply(Self.usd("50.00"), to: [installment])
        #expect(outcome.installments[0].principalPaid == Self.usd("30.00") && outcome.installments[0].feePaid.isZero)
        #expect(outcome.installments[0].fee == Self.usd("2.00"))
        #expect(outcome.returnedToShopper.isZero)
    }

    /// Over seeded loans and monthly splits, refunded the day they are made: no period costs more per unit of
    /// principal balance than the contract charged for it, and the effective rate of what remains lent is at most
    /// the contract's (a loan's monthly rate, plus the half minor unit its schedule may round each interest up;
    /// a split's own rate, since its flat fee weighs most on its last periods, which a refund removes first).
    @Test("a refund never raises the cost of credit above the contract's", arguments: [UInt64(1), 2, 3])
    func costOfCreditNeverRises(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let start = try LocalDate(iso8601: "2026-12-07")
        for run in 0..<200 {
            let rate = try Rational(random.int64(in: 1...30), 1_000)
            let months = random.int(in: 3...24)
            let terms: ScheduleTerms = switch random.int(in: 0...2) {
            case 0: .financingEqualInstallments(months: months, monthlyRate: rate)
            case 1: .financingEqualPrincipal(months: months, monthlyRate: rate)
            default: .monthlySplit(months: random.element(of: ScheduleTerms.monthlySplitMonthsOffered), monthlyFeeRate: rate)
            }
            let principal = Money(minorUnits: random.int64(in: 10_000...10_000_000), currency: .CNY)
            let schedule = try ScheduleGenerator.schedule(for: terms, principal: principal, start: start, remainder: .first)
            let refund = Money(minorUnits: random.int64(in: 1...principal.minorUnits - 1), currency: .CNY)
            let outcome = try RefundAllocation.apply(refund, to: try schedule.installments.map {
                try InstallmentBalance(number: $0.number, principal: $0.principal, fee: $0.fee, paid: .zero(.CNY))
            })
            var before: Int64 = 0, after: Int64 = 0, smallestBalanceLeft = Int64.max
            for (old, new) in zip(schedule.installments, outcome.installments).reversed() {
                before += old.principal.minorUnits
                after += new.principal.minorUnits
                if after > 0 { smallestBalanceLeft = min(smallestBalanceLeft, before) }
                #expect(Int128(new.fee.minorUnits) * Int128(before) <= Int128(old.fee.minorUnits) * Int128(after), "seed \(seed) run \(run)")
            }
            let left = outcome.installments.filter { $0.total.isPositive }
            guard left.contains(where: { $0.fee.isPositive }) else { continue }
            let effective = try periodicRate(advance: try principal - refund, start: start, payments: zip(schedule.installments, outcome.installments).compactMap {
                $1.total.isPositive ? ($0.dueDate, $1.total) : nil
            })
            let contract: Double = switch terms {
            case .monthlySplit:
                try periodicRate(advance: principal, start: start, payments: schedule.installments.map { ($0.dueDate, $0.total) })
            default:
                Double(rate.numerator) / Double(rate.denominator) + 0.5 / Double(smallestBalanceLeft)
            }
            #expect(effective <= contract + 1e-12, "seed \(seed) run \(run): \(effective) > \(contract)")
        }
    }

    private func periodicRate(advance: Money, start: LocalDate, payments: [(LocalDate, Money)]) throws -> Double {
        let flows = try CashFlowSchedule(currency: advance.currency, advances: [(start, advance)], payments: payments)
        return try APRCalculator.apr(flows, method: .cnIRR).periodicRate
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
