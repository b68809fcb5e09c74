/// The rule an annual percentage rate is computed by.
public enum APRMethod: String, CaseIterable, Sendable {
    /// US Regulation Z, Appendix J (12 CFR 1026): the actuarial method over unit periods, APR = unit-period rate ×
    /// unit periods per year.
    case usRegZ = "us-regz"
    /// EU Consumer Credit Directive, Annex I: the effective annual rate X that balances advances and payments, time
    /// in years.
    case eu
    /// China, PBOC announcement 2021 No. 3: the internal rate of return of every cash flow per payment period,
    /// compounded to a year; the simple rate (periodic rate × periods per year) is given alongside, labelled.
    case cnIRR = "cn-irr"
}

/// Why an APR could not be computed.
public enum APRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payments add up to less than the advances, so no non-negative rate balances them.
    case paymentsBelowAdvances
    /// No rate up to the solver's maximum balances the flows.
    case noSolution
    /// The solver ran out of iterations before the rate settled.
    case solverDidNotConverge(iterations: Int)
    /// The rate per `period` balances the flows, but annualised (or per period) it is 100,000,000% or more, or
    /// overflows: too large to be shown as an annual percentage rate.
    case rateTooLarge(periodicRate: Double, period: UnitPeriod)

    public var description: String {
        switch self {
        case .paymentsBelowAdvances: "the payments add up to less than the advances, so there is no annual percentage rate"
        case .noSolution:
            "no rate up to 100,000,000% per period balances the advances and the payments: the rate is larger than "
                + "that, too large to be an annual percentage rate (or, for payments made before the advances, there is none)"
        case let .solverDidNotConverge(iterations): "the rate did not settle within \(iterations) iterations"
        case let .rateTooLarge(periodicRate, period):
            APRResult.isDisplayable(periodicRate)
                ? "a rate of \(APRResult.percent(periodicRate, decimals: 4))% per \(period) is 100,000,000% a year or "
                    + "more: too large to be an annual percentage rate"
                : "the rate is 100,000,000% per \(period) or more: too large to be an annual percentage rate"
        }
    }
}

/// An annual percentage rate and how it was found.
public struct APRResult: Sendable, Equatable {
    /// The method used.
    public let method: APRMethod
    /// The annual rate as a fraction (0.0969 is 9.69%): the nominal rate for us-regz, the effective rate for eu, the
    /// compound IRR for cn-irr. Computed in floating point; it is a rate, not money.
    public let annualRate: Double
    /// The rate per period: per unit period (us-regz, cn-irr) or per year (eu).
    public let periodicRate: Double
    /// The period the periodic rate applies to; a year for eu.
    public let period: UnitPeriod
    /// cn-irr only: the simple annualised rate, periodic IRR × periods per year, to be shown labelled as simple.
    public let simpleAnnualRate: Double?

    /// The largest rate shown, as a fraction (not included): 100,000,000%.
    public static let displayableMaximum = 1e6

    /// Whether `percent` can show `rate`: finite and below `displayableMaximum` in size.
    public static func isDisplayable(_ rate: Double) -> Bool { rate.isFinite && abs(rate) < displayableMaximum }

    /// Whether every rate of the result can be shown; `APRCalculator` returns no other.
    var isDisplayable: Bool {
        Self.isDisplayable(annualRate) && Self.isDisplayable(periodicRate)
            && simpleAnnualRate.map(Self.isDisplayable) ?? true
    }

    /// The annual rate in percent with `decimals` digits after the point, rounded half away from zero:
    /// "9.6900" for 0.0969 and 4 decimals.
    public func percentString(decimals: Int = 4) -> String { Self.percent(annualRate, decimals: decimals) }

    /// A fraction written as a percentage with `decimals` (0 to 10) digits after the point, without the sign.
    /// - Precondition: `isDisplayable(rate)`, which every rate of an `APRResult` is.
    public static func percent(_ rate: Double, decimals: Int) -> String {
        precondition((0...10).contains(decimals) && isDisplayable(rate), "a displayable rate")
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(rate) * 100 * scale).rounded(.toNearestOrAwayFromZero))
        let digits = String(scaled)
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -decimals)
        let sign = rate < 0 && scaled != 0 ? "-" : ""
        return sign + padded[..<point] + (decimals > 0 ? "." + padded[point...] : "")
    }
}
