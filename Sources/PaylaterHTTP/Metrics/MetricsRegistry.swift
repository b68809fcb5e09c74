import Synchronization

/// A thread-safe registry of Prometheus counters and histograms, rendered in the text exposition format 0.0.4.
///
/// Families are registered once by name; series within a family are keyed by label values. The server records
/// `http_requests_total` and `http_request_duration_seconds`; the application adds its own families.
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[String: MetricFamily]>([:])

    /// The `Content-Type` of `render()`'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Latency buckets in seconds, from one millisecond to ten seconds.
    public static let defaultDurationBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init() {}

    /// The counter family `name`, registering it on first use. Registering a name again with another kind or other
    /// labels is a programming error.
    public func counter(_ name: String, help: String, labelNames: [String] = []) -> Counter {
        register(name: name, help: help, labelNames: labelNames, kind: .counter)
        return Counter(registry: self, name: name, labelCount: labelNames.count)
    }

    /// The histogram family `name` with ascending finite upper bounds `buckets` (`+Inf` is implied).
    public func histogram(
        _ name: String, help: String, labelNames: [String] = [], buckets: [Double] = defaultDurationBuckets
    ) -> Histogram {
        precondition(!buckets.isEmpty && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets must ascend")
        precondition(buckets.allSatisfy(\.isFinite), "buckets must be finite; +Inf is implied")
        register(name: name, help: help, labelNames: labelNames, kind: .histogram(buckets: buckets))
        return Histogram(registry: self, name: name, labelCount: labelNames.count)
    }

    private func register(name: String, help: String, labelNames: [String], kind: MetricFamily.Kind) {
        precondition(Self.isValidName(name), "invalid metric name \(name)")
        precondition(labelNames.allSatisfy { Self.isValidName($0) && $0 != "le" }, "invalid label names \(labelNames)")
        families.withLock { families in
            if let existing = families[name] {
                precondition(existing.kind == kind && existing.labelNames == labelNames, "metric \(name) registered twice")
                return
            }
            families[name] = MetricFamily(name: name, help: help, labelNames: labelNames, kind: kind)
        }
    }

    fileprivate func update(_ name: String, labels: [String], _ body: (inout MetricFamily.Series, MetricFamily.Kind) -> Void) {
        families.withLock { families in
            guard var family = families[name] else { preconditionFailure("metric \(name) is not registered") }
            precondition(labels.count == family.labelNames.count, "metric \(name) needs \(family.labelNames.count) labels")
            var series = family.series[labels] ?? MetricFamily.Series(kind: family.kind)
            body(&series, family.kind)
            family.series[labels] = series
            families[name] = family
        }
    }

    /// Every family in name order, each series in label order, in the text exposition format 0.0.4.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var text = ""
        for family in snapshot.values.sorted(by: { $0.name < $1.name }) {
            family.render(into: &text)
        }
        return text
    }

    /// `render()` as a 200 response, for a `/metrics` route.
    public func response() -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": Self.contentType], body: Array(render().utf8))
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (65...90).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 58 }
    }
}

/// A monotonically increasing count, per combination of label values.
public struct Counter: Sendable {
    let registry: MetricsRegistry
    let name: String
    let labelCount: Int

    /// Adds `amount` (at least zero) to the series with `labels`, given in the order of the family's label names.
    public func increment(labels: [String] = [], by amount: Double = 1) {
        precondition(amount >= 0 && amount.isFinite, "a counter only goes up")
        registry.update(name, labels: labels) { series, _ in series.sum += amount }
    }
}

/// Observations counted into buckets, with their sum and count, per combination of label values.
public struct Histogram: Sendable {
    let registry: MetricsRegistry
    let name: String
    let labelCount: Int

    /// Records `value` in the series with `labels`.
    public func observe(_ value: Double, labels: [String] = []) {
        registry.update(name, labels: labels) { series, kind in
            guard case let .histogram(bounds) = kind else { return }
            for (index, bound) in bounds.enumerated() where value <= bound { series.bucketCounts[index] += 1 }
            series.sum += value
            series.count += 1
        }
    }
}

struct MetricFamily: Sendable {
    enum Kind: Equatable, Sendable {
        case counter
        case histogram(buckets: [Double])
    }

    /// One series: a counter's value is `sum`; a histogram has cumulative bucket counts (without `+Inf`, which is
    /// `count`).
    struct Series: Sendable {
        var sum: Double = 0
        var count: UInt64 = 0
        var bucketCounts: [UInt64]

        init(kind: Kind) {
            if case let .histogram(bounds) = kind { bucketCounts = Array(repeating: 0, count: bounds.count) } else { bucketCounts = [] }
        }
    }

    let name: String
    let help: String
    let labelNames: [String]
    let kind: Kind
    var series: [[String]: Series] = [:]

    func render(into text: inout String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n"
        switch kind {
        case .counter:
            text += "# TYPE \(name) counter\n"
            for (labels, series) in sortedSeries() {
                text += "\(name)\(labelSet(labels)) \(Self.format(series.sum))\n"
            }
        case let .histogram(bounds):
            text += "# TYPE \(name) histogram\n"
            for (labels, series) in sortedSeries() {
                for (bound, count) in zip(bounds, series.bucketCounts) {
                    text += "\(name)_bucket\(labelSet(labels, le: Self.format(bound))) \(count)\n"
                }
                text += "\(name)_bucket\(labelSet(labels, le: "+Inf")) \(series.count)\n"
                text += "\(name)_sum\(labelSet(labels)) \(Self.format(series.sum))\n"
                text += "\(name)_count\(labelSet(labels)) \(series.count)\n"
            }
        }
    }

    private func sortedSeries() -> [([String], Series)] {
        series.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }

    private func labelSet(_ values: [String], le: String? = nil) -> String {
        var pairs = zip(labelNames, values).map { "\($0)=\"\(Self.escapeLabel($1))\"" }
        if let le { pairs.append("le=\"\(le)\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ value: String) -> String {
        value.replacingBytes { byte in
            switch byte {
            case UInt8(ascii: "\\"): "\\\\"
            case UInt8(ascii: "\""): "\\\""
            case UInt8(ascii: "\n"): "\\n"
            default: nil
            }
        }
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ value: String) -> String {
        value.replacingBytes { byte in
            switch byte {
            case UInt8(ascii: "\\"): "\\\\"
            case UInt8(ascii: "\n"): "\\n"
            default: nil
            }
        }
    }

    /// Whole numbers without a fraction; others as Swift prints them (which Prometheus parses).
    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension String {
    /// The string with each byte that `replacement` maps to text replaced by it.
    fileprivate func replacingBytes(_ replacement: (UInt8) -> String?) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar.isASCII, let text = replacement(UInt8(scalar.value)) { result += text } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
