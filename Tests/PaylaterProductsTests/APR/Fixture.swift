import PaylaterMoney
import PaylaterProducts
import PaylaterTime

/// Builds schedules from ISO dates and decimal amounts, for tables of examples.
enum Fixture {
    static func date(_ text: String) -> LocalDate {
        do { return try LocalDate(iso8601: text) } catch { preconditionFailure("bad fixture date \(text)") }
    }

    static func money(_ text: String, _ currency: Currency = .USD) -> Money {
        do { return try Money(parsing: text, currency: currency) } catch { preconditionFailure("bad fixture amount \(text)") }
    }

    /// `count` payments of `amount`, the first on `first`, then every `months` months counted from `first`.
    static func monthly(_ amount: String, count: Int, first: String, every months: Int = 1, _ currency: Currency = .USD)
        -> [(LocalDate, Money)]
    {
        let start = date(first)
        return (0..<count).map { index in
            do { return (try start.adding(months: index * months), money(amount, currency)) } catch {
                preconditionFailure("bad fixture schedule")
            }
        }
    }

    /// `count` payments of `amount`, the first on `first`, then every `days` days.
    static func everyDays(_ amount: String, count: Int, first: String, every days: Int) -> [(LocalDate, Money)] {
        let start = date(first)
        return (0..<count).map { index in
            do { return (try start.adding(days: index * days), money(amount)) } catch { preconditionFailure("bad fixture schedule") }
        }
    }

    static func schedule(
        advance: String, on advanceDate: String, _ payments: [(LocalDate, Money)], _ currency: Currency = .USD
    ) throws -> CashFlowSchedule {
        try CashFlowSchedule(currency: currency, advances: [(date(advanceDate), money(advance, currency))], payments: payments)
    }
}

extension Fixture {
    /// `count` semimonthly payments of `amount` on the 16th and the 1st, starting on the 16th of `firstSixteenth`.
    static func semimonthly(_ amount: String, count: Int, firstSixteenth: String) -> [(LocalDate, Money)] {
        let start = date(firstSixteenth)
        return (0..<count).map { index in
            do {
                let month = try start.adding(months: (index + 1) / 2)
                let date = index % 2 == 0 ? month : try LocalDate(year: month.year, month: month.month, day: 1)
                return (date, money(amount))
            } catch { preconditionFailure("bad fixture schedule") }
        }
    }
}
