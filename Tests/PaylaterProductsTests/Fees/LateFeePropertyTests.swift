import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Late fee laws")
struct LateFeePropertyTests {
    @Test("across random overdue histories the total charged never exceeds the order cap nor goes negative",
          arguments: [UInt64(1), 42, 2024, 0xDEAD_BEEF])
    func neverExceedsTheCap(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for round in 0..<200 {
            let policy = try randomPolicy(&random)
            let count = random.int(in: 1...6)
            let amount = random.int64(in: 1...50_000)
            let installments = try (0..<count).map { index in
                try Installment(
                    number: index + 1, dueDate: Fixture.date("2024-03-01").adding(days: 14 * index),
                    principal: Money(minorUnits: amount, currency: .USD),
                    fee: Money(minorUnits: random.int64(in: 0...500), currency: .USD))
            }
            let order = Money(minorUnits: amount * Int64(count), currency: .USD)
            let cap = try #require(try policy.orderCap(for: order))
            var stages = Array(repeating: 0, count: count)
            var perInstallment = Array(repeating: Money.zero(.USD), count: count)
            var charged = Money.zero(.USD)
            var date = Fixture.date("2024-03-01")
            for _ in 0..<random.int(in: 1...12) {
                date = try date.adding(days: random.int(in: 0...15))
                let overdue = installments.indices.filter { installments[$0].dueDate < date && random.chance(percent: 90) }
                    .map { OverdueInstallment(installment: installments[$0], stagesCharged: stages[$0], lateFeesCharged: perInstallment[$0]) }
                let charges = try policy.fees(for: overdue, orderAmount: order, alreadyCharged: charged, on: date)
                for charge in charges {
                    #expect(charge.amount.isPositive, "seed \(seed) round \(round)")
                    stages[charge.installmentNumber - 1] = max(stages[charge.installmentNumber - 1], charge.stage.rawValue)
                    perInstallment[charge.installmentNumber - 1] = try perInstallment[charge.installmentNumber - 1] + charge.amount
                    charged = try charged + charge.amount
                }
                #expect(try charged.isLessThanOrEqual(to: cap), "seed \(seed) round \(round): \(charged) > \(cap)")
                #expect(!charged.isNegative, "seed \(seed) round \(round)")
                if let installmentCap = policy.perInstallmentCap {
                    for fees in perInstallment {
                        #expect(try fees.isLessThanOrEqual(to: installmentCap), "seed \(seed) round \(round)")
                    }
                }
            }
        }
    }

    private func randomPolicy(_ random: inout SplitMix64) throws -> LateFeePolicy {
        func amount(_ range: ClosedRange<Int64>) -> LateFeeAmount {
            LateFeeAmount(
                fixed: Money(minorUnits: random.int64(in: range), currency: .USD),
                percentage: BasisPoints(random.chance(percent: 50) ? random.int64(in: 0...2_000) : 0))
        }
        let first = amount(0...2_000)
        let followUp = random.chance(percent: 60) ? LateFeeFollowUp(afterDays: random.int(in: 1...14), amount: amount(0...1_500)) : nil
        let installmentCap = random.chance(percent: 40) ? Money(minorUnits: random.int64(in: 0...3_000), currency: .USD) : nil
        let percentage = random.chance(percent: 80) ? BasisPoints(random.int64(in: 0...10_000)) : nil
        let fixed = percentage == nil || random.chance(percent: 70) ? Money(minorUnits: random.int64(in: 0...10_000), currency: .USD) : nil
        return try LateFeePolicy(
            first: first, graceDays: random.int(in: 0...10), followUp: followUp, perInstallmentCap: installmentCap,
            orderCapPercentage: percentage, orderCapAmount: fixed)
    }
}
