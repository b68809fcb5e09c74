import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Payment waterfall")
struct PaymentWaterfallTests {
    static func cny(_ text: String) -> Money { try! Money(parsing: text, currency: .CNY) }
    static func day(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }

    /// A 3-month split: installment 1 overdue with a late fee, 2 due today, 3 next month.
    static let owed = [
        InstallmentOwed(number: 1, dueDate: day("2026-10-24"), principal: cny("500.00"), fee: cny("15.00"), lateFee: cny("10.00")),
        InstallmentOwed(number: 2, dueDate: day("2026-11-24"), principal: cny("500.00"), fee: cny("15.00"), lateFee: cny("0.00")),
        InstallmentOwed(number: 3, dueDate: day("2026-12-24"), principal: cny("500.00"), fee: cny("15.00"), lateFee: cny("0.00")),
    ]

    static func pieces(_ payment: AllocatedPayment) -> [String] {
        payment.allocations.map { "\($0.installment).\($0.component):\($0.amount.decimalString)" }
    }

    @Test("by default a payment settles past-due fees, then past-due principal, then current installments, oldest first")
    func standardOrder() throws {
        let payment = try PaymentWaterfall.standard.allocate(Self.cny("600.00"), to: Self.owed, on: Self.day("2026-11-24"))
        #expect(Self.pieces(payment) == ["1.lateFee:10.00", "1.fee:15.00", "1.principal:500.00", "2.fee:15.00", "2.principal:60.00"])
        #expect(payment.overpayment == Self.cny("0.00"))
    }

    @Test("a partial payment goes as far as it reaches and owes the rest")
    func partial() throws {
        let payment = try PaymentWaterfall.standard.allocate(Self.cny("20.00"), to: Self.owed, on: Self.day("2026-11-24"))
        #expect(Self.pieces(payment) == ["1.lateFee:10.00", "1.fee:10.00"])
    }

    @Test("paying more than everything owed keeps the rest as the shopper's credit balance")
    func overpayment() throws {
        let payment = try PaymentWaterfall.standard.allocate(Self.cny("2000.00"), to: Self.owed, on: Self.day("2026-11-24"))
        #expect(payment.overpayment == Self.cny("445.00"))
        #expect(payment.allocations.count == 7, "every non-zero component is paid in full")
    }

    @Test("an installment due on the payment date is current, not past due")
    func dueTodayIsCurrent() throws {
        let payment = try PaymentWaterfall.standard.allocate(Self.cny("20.00"), to: Array(Self.owed.dropFirst()), on: Self.day("2026-11-24"))
        #expect(Self.pieces(payment) == ["2.fee:15.00", "2.principal:5.00"])
    }

    @Test("the order is a product setting: principal before fees pays the arrears' principal first")
    func customOrder() throws {
        let waterfall = try PaymentWaterfall(steps: [.pastDuePrincipal, .pastDueFees, .currentInstallments])
        let payment = try waterfall.allocate(Self.cny("505.00"), to: Self.owed, on: Self.day("2026-11-24"))
        #expect(Self.pieces(payment) == ["1.principal:500.00", "1.lateFee:5.00"])
        #expect(throws: PaymentError.stepsMustEachAppearOnce) { try PaymentWaterfall(steps: [.pastDueFees, .pastDueFees, .currentInstallments]) }
    }

    @Test("payments that cannot apply are refused")
    func refused() {
        #expect(throws: PaymentError.notPositive(Self.cny("0.00"))) {
            try PaymentWaterfall.standard.allocate(Self.cny("0.00"), to: Self.owed, on: Self.day("2026-11-24"))
        }
        #expect(throws: PaymentError.currencyMismatch(expected: .CNY, found: .USD)) {
            try PaymentWaterfall.standard.allocate(Money(minorUnits: 100, currency: .USD), to: Self.owed, on: Self.day("2026-11-24"))
        }
    }

    @Test("over seeded random plans, a payment is conserved and never pays a component more than it owes", arguments: [UInt64(7), 8, 9])
    func conservation(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for run in 0..<2_000 {
            let start = Self.day("2026-01-31")
            let owed = try (1...random.int(in: 1...12)).map { number in
                InstallmentOwed(
                    number: number, dueDate: try start.adding(months: number),
                    principal: Money(minorUnits: random.int64(in: 0...100_000), currency: .CNY),
                    fee: Money(minorUnits: random.int64(in: 0...3_000), currency: .CNY),
                    lateFee: Money(minorUnits: random.chance(percent: 30) ? random.int64(in: 0...2_500) : 0, currency: .CNY))
            }
            let date = try start.adding(days: random.int(in: 0...400))
            let amount = Money(minorUnits: random.int64(in: 1...1_500_000), currency: .CNY)
            let payment = try PaymentWaterfall.standard.allocate(amount, to: owed, on: date)
            let allocated = payment.allocations.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            #expect(allocated + payment.overpayment.minorUnits == amount.minorUnits, "seed \(seed) run \(run)")
            for allocation in payment.allocations {
                let installment = owed[allocation.installment - 1]
                let due = switch allocation.component {
                case .lateFee: installment.lateFee
                case .fee: installment.fee
                case .principal: installment.principal
                }
                #expect(allocation.amount.isPositive && allocation.amount.minorUnits <= due.minorUnits, "seed \(seed) run \(run)")
            }
            let owedTotal = owed.reduce(Int64(0)) { $0 + $1.principal.minorUnits + $1.fee.minorUnits + $1.lateFee.minorUnits }
            #expect(payment.overpayment.minorUnits == max(0, amount.minorUnits - owedTotal), "seed \(seed) run \(run)")
        }
    }
}
