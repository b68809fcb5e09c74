/// Exact integer conversions between proleptic Gregorian (year, month, day) and days since 1970-01-01.
///
/// These are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms
/// (https://howardhinnant.github.io/date_algorithms.html): no floating point, no tables, valid for every year
/// representable here. They are unchecked; the public types validate their ranges before calling in.
enum CivilCalendar {
    /// The years a `LocalDate` may have.
    static let supportedYears: ClosedRange<Int> = 1...9999

    static let secondsPerDay: Int64 = 86_400
    static let nanosecondsPerSecond: Int64 = 1_000_000_000
    static let nanosecondsPerDay: Int64 = secondsPerDay * nanosecondsPerSecond

    /// Days from 1970-01-01 to the given civil date (negative before the epoch).
    static func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
        assert((1...12).contains(month) && (1...31).contains(day))
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` after 1970-01-01.
    static func civil(daysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The weekday of the day `days` after 1970-01-01 (a Thursday), numbered 0 = Sunday ... 6 = Saturday as in C.
    static func weekdayFromSunday(daysSinceEpoch days: Int64) -> Int {
        Int(floorModulo(days + 4, 7))
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The year of the civil date `days` after 1970-01-01.
    static func year(daysSinceEpoch days: Int64) -> Int64 {
        civil(daysSinceEpoch: days).year
    }

    /// Division rounding toward negative infinity (Swift's `/` truncates toward zero).
    static func floorDivide(_ dividend: Int64, _ divisor: Int64) -> Int64 {
        precondition(divisor > 0)
        let quotient = dividend / divisor
        return dividend % divisor < 0 ? quotient - 1 : quotient
    }

    /// The remainder matching `floorDivide`, always in `0..<divisor`.
    static func floorModulo(_ dividend: Int64, _ divisor: Int64) -> Int64 {
        precondition(divisor > 0)
        let remainder = dividend % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
