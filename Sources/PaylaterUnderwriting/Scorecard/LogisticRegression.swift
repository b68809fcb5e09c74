import Foundation

/// A logistic regression of a bad outcome on a few numeric inputs, with an L2 penalty on the coefficients but not
/// on the intercept — the same model as scikit-learn's `LogisticRegression(C: 1 / l2Penalty)`.
///
/// It minimises `Σ [ln(1 + e^η) − y·η] + (λ/2)·Σ βⱼ²` with `η = β₀ + Σ βⱼ·xⱼ` by Newton–Raphson: each step solves
/// the normal equations of the Hessian by Cholesky (a handful of features makes that cheap and exact), halving the
/// step when it would raise the loss. Same data, same bits: no randomness, a fixed order of summation.
public struct LogisticRegression: Sendable, Hashable {
    public var intercept: Double
    public var coefficients: [Double]
    /// Newton steps taken.
    public var iterations: Int

    /// Fits the model to `rows` (each as wide as the others) and `isBad`.
    /// - Parameters:
    ///   - gradientTolerance: convergence when every coordinate of the mean loss's gradient (the gradient over the
    ///     row count) is at most this.
    /// - Throws: `LogisticRegressionError` for mismatched input, a singular system, or no convergence.
    public static func fit(
        rows: [[Double]], isBad: [Bool], l2Penalty: Double,
        maximumIterations: Int = 100, gradientTolerance: Double = 1e-10
    ) throws(LogisticRegressionError) -> LogisticRegression {
        guard !rows.isEmpty, rows.count == isBad.count else { throw .invalidInput("rows and labels differ in count or are empty") }
        let width = rows[0].count + 1
        guard rows.allSatisfy({ $0.count == width - 1 && $0.allSatisfy(\.isFinite) }) else {
            throw .invalidInput("rows differ in width or hold a value that is not finite")
        }
        guard l2Penalty >= 0, l2Penalty.isFinite else { throw .invalidInput("the L2 penalty must be finite and not negative") }
        let problem = Problem(rows: rows, labels: isBad.map { $0 ? 1 : 0 }, width: width, penalty: l2Penalty)
        let bads = Double(isBad.count(where: { $0 }))
        var beta = [Double](repeating: 0, count: width)
        // Start at the population's log-odds, which the intercept alone would fit.
        if bads > 0, bads < Double(rows.count) { beta[0] = log(bads / (Double(rows.count) - bads)) }
        var loss = problem.loss(beta)
        for iteration in 0...maximumIterations {
            let (gradient, hessian) = problem.gradientAndHessian(beta)
            let largest = gradient.map(abs).max()! / Double(rows.count)
            if largest <= gradientTolerance {
                return LogisticRegression(intercept: beta[0], coefficients: Array(beta.dropFirst()), iterations: iteration)
            }
            if iteration == maximumIterations { throw .notConverged(iterations: iteration, gradient: largest) }
            guard let step = choleskySolve(hessian, gradient, size: width) else { throw .singular }
            var scale = 1.0
            while true {
                let candidate = zip(beta, step).map { $0 - scale * $1 }
                let candidateLoss = problem.loss(candidate)
                // A loss no higher than before, up to rounding, accepts the step.
                if candidateLoss <= loss + 1e-12 * max(1, abs(loss)) || scale < 1e-12 {
                    beta = candidate
                    loss = candidateLoss
                    break
                }
                scale /= 2
            }
        }
        throw .notConverged(iterations: maximumIterations, gradient: .infinity)
    }

    /// The log-odds of bad for one row.
    public func logOdds(_ row: [Double]) -> Double {
        zip(coefficients, row).reduce(intercept) { $0 + $1.0 * $1.1 }
    }

    private struct Problem {
        var rows: [[Double]]
        var labels: [Double]
        var width: Int
        var penalty: Double

        func linear(_ beta: [Double], _ row: [Double]) -> Double {
            var eta = beta[0]
            for index in row.indices { eta += beta[index + 1] * row[index] }
            return eta
        }

        func loss(_ beta: [Double]) -> Double {
            var total = 0.0
            for (row, label) in zip(rows, labels) {
                let eta = linear(beta, row)
                total += (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))) - label * eta
            }
            for index in 1..<width { total += 0.5 * penalty * beta[index] * beta[index] }
            return total
        }

        /// The gradient and the Hessian (row-major, `width × width`) of the loss at `beta`.
        func gradientAndHessian(_ beta: [Double]) -> ([Double], [Double]) {
            var gradient = [Double](repeating: 0, count: width)
            var hessian = [Double](repeating: 0, count: width * width)
            var x = [Double](repeating: 1, count: width)
            for (row, label) in zip(rows, labels) {
                for index in row.indices { x[index + 1] = row[index] }
                let probability = logistic(linear(beta, row))
                let residual = probability - label
                let weight = probability * (1 - probability)
                for i in 0..<width {
                    gradient[i] += residual * x[i]
                    for j in 0...i { hessian[i * width + j] += weight * x[i] * x[j] }
                }
            }
            for i in 0..<width {
                for j in 0..<i { hessian[j * width + i] = hessian[i * width + j] }
            }
            for index in 1..<width {
                gradient[index] += penalty * beta[index]
                hessian[index * width + index] += penalty
            }
            return (gradient, hessian)
        }
    }
}

/// Solves `A·x = b` for a symmetric positive-definite `A` (row-major); nil when `A` is not positive definite.
func choleskySolve(_ matrix: [Double], _ vector: [Double], size: Int) -> [Double]? {
    var lower = [Double](repeating: 0, count: size * size)
    for i in 0..<size {
        for j in 0...i {
            var sum = matrix[i * size + j]
            for k in 0..<j { sum -= lower[i * size + k] * lower[j * size + k] }
            if i == j {
                guard sum > 0, sum.isFinite else { return nil }
                lower[i * size + i] = sum.squareRoot()
            } else {
                lower[i * size + j] = sum / lower[j * size + j]
            }
        }
    }
    var y = [Double](repeating: 0, count: size)
    for i in 0..<size {
        var sum = vector[i]
        for k in 0..<i { sum -= lower[i * size + k] * y[k] }
        y[i] = sum / lower[i * size + i]
    }
    var x = [Double](repeating: 0, count: size)
    for i in stride(from: size - 1, through: 0, by: -1) {
        var sum = y[i]
        for k in (i + 1)..<size { sum -= lower[k * size + i] * x[k] }
        x[i] = sum / lower[i * size + i]
    }
    return x
}

/// Why a logistic regression could not be fitted.
public enum LogisticRegressionError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidInput(String)
    /// The Hessian is not positive definite: a constant or duplicated input with no penalty.
    case singular
    /// Newton–Raphson stopped at the iteration limit with this largest mean-gradient coordinate.
    case notConverged(iterations: Int, gradient: Double)

    public var description: String {
        switch self {
        case .invalidInput(let message): "logistic regression: \(message)"
        case .singular: "logistic regression: the inputs are collinear (add an L2 penalty or drop a feature)"
        case .notConverged(let iterations, let gradient):
            "logistic regression did not converge in \(iterations) iterations (gradient \(gradient))"
        }
    }
}
