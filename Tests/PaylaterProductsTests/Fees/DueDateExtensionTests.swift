import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Due date extension")
struct DueDateExtensionTests {
    private func schedule() throws -> InstallmentSchedule {
        try InstallmentSchedule(installments: LateFeeFixture.installments("25.00"))  // Due 03-01, 03-15, 03-29, 04-12.
    }

    @Test("one installment moves later by up to 10 days, and the fee is returned")
    func movesOneInstallment() throws {
        let policy = try DueDateExtension(fee: Fixture.money("2.00"))
        let original = try schedule()
        let (extended, fee) = try policy.extend(
            original, installment: 2, by: 10, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        #expect(fee == Fixture.money("2.00"))
        #expect(Sched.dueDates(extended) == ["2024-03-01", "2024-03-25", "2024-03-29", "2024-04-12"])
        #expect(extended.total == original.total)
        #expect(extended.installments[1].total == original.installments[1].total)
    }

    @Test("the default maximum is 10 days, and the fee may be zero")
    func defaults() throws {
        let policy = try DueDateExtension(fee: Fixture.money("0.00"))
        #expect(policy.maximumDays == 10)
        let (_, fee) = try policy.extend(try schedule(), installment: 4, by: 10, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        #expect(fee.isZero)
    }

    @Test("a second extension is refused")
    func onlyOnce() throws {
        let policy = try DueDateExtension(fee: Fixture.money("0.00"))
        #expect(throws: DueDateExtensionError.alreadyExtended) {
            try policy.extend(try schedule(), installment: 2, by: 1, alreadyExtended: true, today: Fixture.date("2024-03-10"))
        }
    }

    @Test("more days than allowed, or none, are refused", arguments: [0, -1, 11])
    func daysOutOfRange(days: Int) throws {
        let policy = try DueDateExtension(fee: Fixture.money("0.00"))
        #expect(throws: DueDateExtensionError.daysOutOfRange(days, allowed: 1...10)) {
            try policy.extend(try schedule(), installment: 4, by: days, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        }
    }

    @Test("the new due date must stay before the next installment's due date")
    func staysBeforeNext() throws {
        let policy = try DueDateExtension(maximumDays: 14, fee: Fixture.money("0.00"))
        let (extended, _) = try policy.extend(try schedule(), installment: 2, by: 13, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        #expect(extended.installments[1].dueDate == Fixture.date("2024-03-28"))
        #expect(throws: DueDateExtensionError.reachesNextInstallment(newDueDate: Fixture.date("2024-03-29"), nextDueDate: Fixture.date("2024-03-29"))) {
            try policy.extend(try schedule(), installment: 2, by: 14, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        }
    }

    @Test("the new due date must not be before today")
    func notInThePast() throws {
        let policy = try DueDateExtension(fee: Fixture.money("0.00"))
        #expect(throws: DueDateExtensionError.newDueDateInPast(newDueDate: Fixture.date("2024-03-06"), today: Fixture.date("2024-03-10"))) {
            try policy.extend(try schedule(), installment: 1, by: 5, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        }
    }

    @Test("an unknown installment, a negative fee or a fee in another currency is refused")
    func invalidInputs() throws {
        let policy = try DueDateExtension(fee: Fixture.money("0.00"))
        #expect(throws: DueDateExtensionError.noSuchInstallment(5)) {
            try policy.extend(try schedule(), installment: 5, by: 1, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        }
        #expect(throws: DueDateExtensionError.negativeFee(Fixture.money("-1.00"))) {
            try DueDateExtension(fee: Fixture.money("-1.00"))
        }
        let euro = try DueDateExtension(fee: Fixture.money("1.00", .EUR))
        #expect(throws: DueDateExtensionError.currencyMismatch(found: .EUR, expected: .USD)) {
            try euro.extend(try schedule(), installment: 4, by: 1, alreadyExtended: false, today: Fixture.date("2024-03-10"))
        }
    }
}
