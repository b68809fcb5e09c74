import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// Shorthands for late fee tests: an Afterpay-like policy and pay-in-4 installments due every 14 days.
enum LateFeeFixture {
    static func afterpay(graceDays: Int = 0) throws -> LateFeePolicy {
        try LateFeePolicy(
            first: LateFeeAmount(fixed: Fixture.money("10.00")), graceDays: graceDays,
            followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: Fixture.money("7.00"))),
            orderCapPercentage: BasisPoints(2500), orderCapAmount: Fixture.money("68.00"))
    }

    /// `count` installments of `amount` (no installment fee), the first due on 2024-03-01, then every 14 days.
    static func installments(_ amount: String, count: Int = 4, fee: String = "0.00") throws -> [Installment] {
        try (0..<count).map { index in
            try Installment(
                number: index + 1, dueDate: Fixture.date("2024-03-01").adding(days: 14 * index),
                principal: Fixture.money(amount), fee: Fixture.money(fee))
        }
    }

    static func total(_ charges: [LateFeeCharge]) throws -> Money {
        try Money.sum(of: charges.map(\.amount), currency: .USD)
    }
}

@Suite("Late fees")
struct LateFeeTests {
    @Test("Afterpay: 10.00 on the first day late, 7.00 more after 7 more days")
    func afterpayStages() throws {
        let policy = try LateFeeFixture.afterpay()
        let first = try LateFeeFixture.installments("100.00")[0]
        let order = Fixture.money("400.00")
        let dayOne = try policy.fees(
            for: [OverdueInstallment(installment: first)], orderAmount: order, alreadyCharged: Fixture.money("0.00"),
            on: Fixture.date("2024-03-02"))
        #expect(dayOne.map(\.amount) == [Fixture.money("10.00")])
        #expect(dayOne.map(\.stage) == [.first])
        let daySeven = try policy.fees(
            for: [OverdueInstallment(installment: first, stagesCharged: 1, lateFeesCharged: Fixture.money("10.00"))],
            orderAmount: order, alreadyCharged: Fixture.money("10.00"), on: Fixture.date("2024-03-08"))
        #expect(daySeven.isEmpty)
        let dayEight = try policy.fees(
            for: [OverdueInstallment(installment: first, stagesCharged: 1, lateFeesCharged: Fixture.money("10.00"))],
            orderAmount: order, alreadyCharged: Fixture.money("10.00"), on: Fixture.date("2024-03-09"))
        #expect(dayEight.map(\.amount) == [Fixture.money("7.00")])
        #expect(dayEight.map(\.stage) == [.followUp])
    }

    @Test("Afterpay: a large order is capped at 68.00, the lower of 25% and 68.00")
    func afterpayFixedCapBinds() throws {
        let policy = try LateFeeFixture.afterpay()
        let overdue = try LateFeeFixture.installments("250.00").map { OverdueInstallment(installment: $0) }
        #expect(try policy.orderCap(for: Fixture.money("1000.00")) == Fixture.money("68.00"))
        let charges = try policy.fees(
            for: overdue, orderAmount: Fixture.money("1000.00"), alreadyCharged: Fixture.money("0.00"),
            on: Fixture.date("2024-06-01"))
        #expect(try LateFeeFixture.total(charges) == Fixture.money("68.00"))
        #expect(charges.map(\.amount.decimalString) == ["10.00", "7.00", "10.00", "7.00", "10.00", "7.00", "10.00", "7.00"])
    }

    @Test("a small order is capped at 25% of the order when that is below 68.00")
    func percentageCapBinds() throws {
        let policy = try LateFeeFixture.afterpay()
        let overdue = try LateFeeFixture.installments("10.00").map { OverdueInstallment(installment: $0) }
        #expect(try policy.orderCap(for: Fixture.money("40.00")) == Fixture.money("10.00"))
        let charges = try policy.fees(
            for: overdue, orderAmount: Fixture.money("40.00"), alreadyCharged: Fixture.money("0.00"),
            on: Fixture.date("2024-06-01"))
        #expect(charges.map(\.amount) == [Fixture.money("10.00")])
        #expect(charges.map(\.installmentNumber) == [1])
    }

    @Test("fees already charged count against the order cap, and the last fee is cut to what is left")
    func alreadyChargedCountsAgainstTheCap() throws {
        let policy = try LateFeeFixture.afterpay()
        let second = try LateFeeFixture.installments("25.00")[1]
        let charges = try policy.fees(
            for: [OverdueInstallment(installment: second)], orderAmount: Fixture.money("100.00"),
            alreadyCharged: Fixture.money("17.00"), on: Fixture.date("2024-03-16"))
        #expect(charges.map(\.amount) == [Fixture.money("8.00")])
    }

    @Test("a per-installment cap limits the fees on each installment")
    func perInstallmentCap() throws {
        let policy = try LateFeePolicy(
            first: LateFeeAmount(fixed: Fixture.money("10.00")),
            followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: Fixture.money("7.00"))),
            perInstallmentCap: Fixture.money("12.00"))
        let overdue = try LateFeeFixture.installments("100.00", count: 2).map { OverdueInstallment(installment: $0) }
        let charges = try policy.fees(
            for: overdue, orderAmount: Fixture.money("200.00"), alreadyCharged: Fixture.money("0.00"),
            on: Fixture.date("2024-06-01"))
        #expect(charges.map(\.amount.decimalString) == ["10.00", "2.00", "10.00", "2.00"])
        let later = try policy.fees(
            for: [OverdueInstallment(installment: overdue[0].installment, lateFeesCharged: Fixture.money("12.00"))],
            orderAmount: Fixture.money("200.00"), alreadyCharged: Fixture.money("24.00"), on: Fixture.date("2024-06-01"))
        #expect(later.isEmpty)
    }

    @Test("with a grace period of N days, day N is not late and day N + 1 is", arguments: [0, 3, 10])
    func gracePeriodEdges(graceDays: Int) throws {
        let policy = try LateFeeFixture.afterpay(graceDays: graceDays)
        let first = try LateFeeFixture.installments("100.00")[0]
        let lastFreeDay = try first.dueDate.adding(days: graceDays)
        func charges(on date: LocalDate) throws -> [LateFeeCharge] {
            try policy.fees(
                for: [OverdueInstallment(installment: first)], orderAmount: Fixture.money("400.00"),
                alreadyCharged: Fixture.money("0.00"), on: date)
        }
        #expect(try charges(on: lastFreeDay).isEmpty)
        #expect(try charges(on: lastFreeDay.adding(days: 1)).map(\.amount) == [Fixture.money("10.00")])
    }

    @Test("a percentage fee is taken on principal + fee only, never on late fees already charged")
    func noFeeOnFee() throws {
        let policy = try LateFeePolicy(
            first: LateFeeAmount(fixed: Fixture.money("0.00"), percentage: BasisPoints(500)),
            followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: Fixture.money("0.00"), percentage: BasisPoints(500))))
        let installment = try LateFeeFixture.installments("95.00", fee: "5.00")[0]
        let charges = try policy.fees(
            for: [OverdueInstallment(installment: installment, stagesCharged: 1, lateFeesCharged: Fixture.money("5.00"))],
            orderAmount: Fixture.money("400.00"), alreadyCharged: Fixture.money("5.00"), on: Fixture.date("2024-04-01"))
        #expect(charges.map(\.amount) == [Fixture.money("5.00")])  // 5% of 100.00, not of 105.00.
    }

    @Test("a percentage fee is rounded half-even to the cent")
    func halfEvenRounding() throws {
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: Fixture.money("0.00"), percentage: BasisPoints(50)))
        let installments = [
            try Installment(number: 1, dueDate: Fixture.date("2024-03-01"), principal: Fixture.money("1.00"), fee: Fixture.money("0.00")),
            try Installment(number: 2, dueDate: Fixture.date("2024-03-15"), principal: Fixture.money("3.00"), fee: Fixture.money("0.00")),
        ]
        let charges = try policy.fees(
            for: installments.map { OverdueInstallment(installment: $0) }, orderAmount: Fixture.money("4.00"),
            alreadyCharged: Fixture.money("0.00"), on: Fixture.date("2024-04-01"))
        // 0.5% of 1.00 is 0.005 → 0.00 (dropped); 0.5% of 3.00 is 0.015 → 0.02.
        #expect(charges.map(\.amount) == [Fixture.money("0.02")])
    }

    @Test("a policy refuses negative amounts, percentages over 100% and mixed currencies")
    func invalidPolicies() throws {
        #expect(throws: LateFeeError.negativeAmount(field: "the first fee", amount: Fixture.money("-1.00"))) {
            try LateFeePolicy(first: LateFeeAmount(fixed: Fixture.money("-1.00")))
        }
        #expect(throws: LateFeeError.percentageOutOfRange(field: "the order cap percentage", rate: BasisPoints(10_001))) {
            try LateFeePolicy(first: LateFeeAmount(fixed: Fixture.money("1.00")), orderCapPercentage: BasisPoints(10_001))
        }
        #expect(throws: LateFeeError.currencyMismatch(field: "the order cap", found: .EUR, expected: .USD)) {
            try LateFeePolicy(first: LateFeeAmount(fixed: Fixture.money("1.00")), orderCapAmount: Fixture.money("5.00", .EUR))
        }
        #expect(throws: LateFeeError.daysOutOfRange(field: "the grace period", days: -1, allowed: 0...365)) {
            try LateFeePolicy(first: LateFeeAmount(fixed: Fixture.money("1.00")), graceDays: -1)
        }
    }

    @Test("a request in another currency than the policy is refused")
    func requestCurrencyMismatch() throws {
        let policy = try LateFeeFixture.afterpay()
        #expect(throws: LateFeeError.currencyMismatch(field: "the order amount", found: .EUR, expected: .USD)) {
            try policy.fees(
                for: [], orderAmount: Fixture.money("100.00", .EUR), alreadyCharged: Fixture.money("0.00"),
                on: Fixture.date("2024-03-01"))
        }
    }
}
