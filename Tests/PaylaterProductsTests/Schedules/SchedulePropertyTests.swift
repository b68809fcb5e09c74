import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Schedule laws hold for random products (seeded)")
struct SchedulePropertyTests {
    static let seed: UInt64 = 0x5C4E_D01E
    static let iterations = 5_000

    @Test("principals add up exactly, totals are principal + fees, nothing is negative, dates strictly increase")
    func laws() throws {
        var random = SplitMix64(seed: Self.seed)
        let currencies: [Currency] = [.USD, .CNY, .JPY, .KWD]
        for iteration in 0..<Self.iterations {
            let terms = Self.randomTerms(&random)
            let currency = random.element(of: currencies)
            let smallest = Int64(terms.installmentCount)
            let upper: Int64 = random.chance(percent: 20) ? 200 : 100_000_000_000
            let principal = Money(minorUnits: random.int64(in: smallest...upper), currency: currency)
            let start = try LocalDate(daysSinceEpoch: random.int64(in: 18_000...22_000))
            let placement = random.element(of: RemainderPlacement.allCases)
            let context = "seed \(Self.seed) iteration \(iteration): \(terms) \(principal) from \(start) \(placement)"
            let schedule = try ScheduleGenerator.schedule(for: terms, principal: principal, start: start, remainder: placement)
            try Self.checkLaws(schedule, principal: principal, count: terms.installmentCount, context: context)
        }
    }

    private static func checkLaws(_ schedule: InstallmentSchedule, principal: Money, count: Int, context: String) throws {
        let installments = schedule.installments
        #expect(installments.count == count, "\(context)")
        #expect(installments.reduce(Int64(0)) { $0 + $1.principal.minorUnits } == principal.minorUnits, "\(context)")
        #expect(schedule.principal == principal, "\(context)")
        #expect(installments.reduce(Int64(0)) { $0 + $1.total.minorUnits } == schedule.total.minorUnits, "\(context)")
        #expect(try schedule.principal + schedule.totalFees == schedule.total, "\(context)")
        for (index, installment) in installments.enumerated() {
            #expect(installment.number == index + 1, "\(context)")
            #expect(!installment.principal.isNegative && !installment.fee.isNegative, "\(context)")
            #expect(try installment.principal + installment.fee == installment.total, "\(context)")
            if index > 0 { #expect(installments[index - 1].dueDate < installment.dueDate, "\(context)") }
        }
    }

    private static func randomTerms(_ random: inout SplitMix64) -> ScheduleTerms {
        let rate = Self.randomRate(&random)
        switch random.int(in: 0...4) {
        case 0: return .tryThenPay(dueAfterDays: random.int(in: 1...180))
        case 1: return .payIn4(intervalDays: random.int(in: 1...31))
        case 2: return .monthlySplit(months: random.element(of: [3, 6, 12]), monthlyFeeRate: rate)
        case 3: return .financingEqualInstallments(months: random.int(in: 3...36), monthlyRate: rate)
        default: return .financingEqualPrincipal(months: random.int(in: 3...36), monthlyRate: rate)
        }
    }

    /// 0 to 10% a month in steps of 0.001%, zero one time in ten.
    private static func randomRate(_ random: inout SplitMix64) -> Rational {
        if random.chance(percent: 10) { return .zero }
        do { return try Rational(random.int64(in: 1...10_000), 100_000) } catch { preconditionFailure("valid rate") }
    }
}
