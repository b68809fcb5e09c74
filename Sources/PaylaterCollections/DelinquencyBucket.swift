/// How late a debt is, in the bands collections work by and finance reports ageing in: each band brings another
/// treatment (a reminder, calls, an agency) and, at the end, charge-off.
public enum DelinquencyBucket: String, Sendable, Hashable, CaseIterable, Comparable {
    case current
    case days1To30 = "1-30"
    case days31To60 = "31-60"
    case days61To90 = "61-90"
    case days91To180 = "91-180"
    /// Past 180 days: the usual point at which unsecured consumer credit is charged off.
    case over180 = "181+"

    /// The band of a debt `daysPastDue` days past due (0 and below: current).
    public init(daysPastDue: Int) {
        switch daysPastDue {
        case ...0: self = .current
        case 1...30: self = .days1To30
        case 31...60: self = .days31To60
        case 61...90: self = .days61To90
        case 91...180: self = .days91To180
        default: self = .over180
        }
    }

    /// Whether a debt this late is due for charge-off review.
    public var isChargeOffCandidate: Bool { self == .over180 }

    public static func < (lhs: DelinquencyBucket, rhs: DelinquencyBucket) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
