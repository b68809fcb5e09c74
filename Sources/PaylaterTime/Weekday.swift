/// A day of the week, numbered as ISO 8601 does: Monday is 1, Sunday is 7.
public enum Weekday: Int, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case monday = 1
    case tuesday
    case wednesday
    case thursday
    case friday
    case saturday
    case sunday

    /// Saturday and Sunday.
    public var isWeekend: Bool {
        self == .saturday || self == .sunday
    }

    public var description: String {
        switch self {
        case .monday: "Monday"
        case .tuesday: "Tuesday"
        case .wednesday: "Wednesday"
        case .thursday: "Thursday"
        case .friday: "Friday"
        case .saturday: "Saturday"
        case .sunday: "Sunday"
        }
    }

    /// The weekday from C's numbering, 0 = Sunday ... 6 = Saturday.
    init(fromSunday number: Int) {
        precondition((0...6).contains(number))
        self = number == 0 ? .sunday : Weekday(rawValue: number)!
    }
}
