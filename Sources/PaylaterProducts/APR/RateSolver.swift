import Foundation

/// One cash flow placed on a time line for root finding: a signed amount (advances positive, payments negative)
/// discounted by `1 / ((1 + fraction·rate) · (1 + rate)^periods)`.
///
/// Regulation Z puts the odd days in `fraction` (simple interest for the fractional unit period); the EU and
/// China methods use a real-valued `periods` and `fraction` 0.
struct TimedFlow: Sendable, Equatable {
    let amount: Double
    let periods: Double
    let fraction: Double

    init(amount: Double, periods: Double, fraction: Double = 0) {
        precondition(periods >= 0 && fraction >= 0 && fraction < 1 + 1e-9, "a flow lies at or after the start")
        self.amount = amount
        self.periods = periods
        self.fraction = fraction
    }

    /// The discounted amount and its derivative with respect to the rate.
    func value(at rate: Double) -> (value: Double, derivative: Double) {
        let simple = 1 + fraction * rate
        let compound = pow(1 + rate, -periods)
        let value = amount * compound / simple
        let derivative = -amount * compound * (fraction / (simple * simple) + periods / (simple * (1 + rate)))
        return (value, derivative)
    }
}

/// Finds the rate at which the discounted flows sum to zero: Newton's method, kept inside a bracket, with bisection
/// whenever a Newton step would leave it. Deterministic and bounded.
enum RateSolver {
    /// The solver stops when a step moves the rate by less than this.
    static let rateTolerance = 1e-12
    /// The most iterations (Newton or bisection) one solve may take.
    static let iterationsMaximum = 500
    /// The highest periodic rate searched: 1,000,000 (100,000,000%) per period.
    static let rateMaximum = 1e6

    /// The rate in `[0, rateMaximum]` at which the flows balance.
    /// - Precondition: the undiscounted sum is at most zero (payments cover advances), checked by the caller.
    static func solve(_ flows: [TimedFlow]) throws(APRError) -> Double {
        let atZero = total(flows, at: 0).value
        if atZero == 0 { return 0 }
        guard atZero < 0 else { throw .paymentsBelowAdvances }
        var low = 0.0
        var high = 1.0
        while total(flows, at: high).value < 0 {
            guard high < rateMaximum else { throw .noSolution }
            low = high
            high *= 2
        }
        var rate = (low + high) / 2
        for _ in 0..<iterationsMaximum {
            let (value, derivative) = total(flows, at: rate)
            if value == 0 { return rate }
            if value < 0 { low = rate } else { high = rate }
            var next = derivative != 0 ? rate - value / derivative : .nan
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - rate) < rateTolerance || high - low < rateTolerance { return next }
            rate = next
        }
        throw .solverDidNotConverge(iterations: iterationsMaximum)
    }

    /// The sum of the discounted flows at `rate`, and its derivative.
    static func total(_ flows: [TimedFlow], at rate: Double) -> (value: Double, derivative: Double) {
        var value = 0.0
        var derivative = 0.0
        for flow in flows {
            let part = flow.value(at: rate)
            value += part.value
            derivative += part.derivative
        }
        return (value, derivative)
    }
}
