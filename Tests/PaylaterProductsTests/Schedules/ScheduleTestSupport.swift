import PaylaterMoney
import PaylaterProducts
import PaylaterTime

/// Shorthands for schedule tests: dates and amounts from text, and a schedule's columns as plain values.
enum Sched {
    static func rate(_ text: String) -> Rational {
        do { return try Rational(parsing: text) } catch { preconditionFailure("bad fixture rate \(text)") }
    }

    static func currency(_ code: String) -> Currency {
        do { return try Currency(code: code) } catch { preconditionFailure("bad fixture currency \(code)") }
    }

    static func principals(_ schedule: InstallmentSchedule) -> [String] {
        schedule.installments.map(\.principal.decimalString)
    }

    static func fees(_ schedule: InstallmentSchedule) -> [String] {
        schedule.installments.map(\.fee.decimalString)
    }

    static func dueDates(_ schedule: InstallmentSchedule) -> [String] {
        schedule.installments.map(\.dueDate.description)
    }
}
