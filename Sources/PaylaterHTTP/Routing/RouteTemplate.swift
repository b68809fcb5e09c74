/// A path template such as `/v1/orders/{id}/captures`: literal segments match exactly, `{name}` matches one
/// non-empty segment.
struct RouteTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    let text: String
    let segments: [Segment]

    /// Parses `text`; a malformed template is a programming error.
    init(_ text: String) {
        precondition(text.hasPrefix("/"), "route template \(text) must start with /")
        var names = Set<String>()
        segments = RouteTemplate.split(text).map { part in
            precondition(!part.isEmpty || text == "/", "route template \(text) has an empty segment")
            if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 {
                let name = String(part.dropFirst().dropLast())
                precondition(!name.contains("{") && !name.contains("}"), "route template \(text) has a bad parameter")
                precondition(names.insert(name).inserted, "route template \(text) repeats {\(name)}")
                return .parameter(name)
            }
            precondition(!part.contains("{") && !part.contains("}"), "route template \(text) has a stray brace")
            return .literal(String(part))
        }
        self.text = text
    }

    /// The segments of a path: `/` has none, `/a/` has `a` and an empty one.
    ///
    /// Split at each `/` byte of the UTF-8, not at each `/` character: a path is split on every request, and
    /// splitting by characters (grapheme clusters) cost some 20,000 instructions for an API path. The two differ
    /// only where a `/` is followed by a combining mark, which no route's literal has.
    static func split(_ path: String) -> [Substring] {
        guard path != "/" else { return [] }
        let utf8 = path.utf8
        var segments: [Substring] = []
        // The first byte is the leading `/` (whatever it is, as `dropFirst()` did); an empty path is one empty segment.
        var start = utf8.isEmpty ? utf8.startIndex : utf8.index(after: utf8.startIndex)
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                segments.append(Substring(utf8[start..<index]))
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        segments.append(Substring(utf8[start..<utf8.endIndex]))
        return segments
    }

    /// The parameters if `segments` (from `split`) match this template, else `nil`.
    func match(_ pathSegments: [some StringProtocol]) -> PathParameters? {
        guard pathSegments.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, part) in zip(segments, pathSegments) {
            switch segment {
            case let .literal(literal): guard part == literal else { return nil }
            case let .parameter(name):
                guard !part.isEmpty else { return nil }
                values[name] = String(part)
            }
        }
        return PathParameters(values: values)
    }

    /// The same shape ignores parameter names: `/a/{x}` and `/a/{y}` would be ambiguous.
    var shape: [String?] {
        segments.map { if case let .literal(text) = $0 { text } else { nil } }
    }

    /// Whether this template should win over `other` when both match: the first segment where one is literal and
    /// the other a parameter decides, so `/orders/search` beats `/orders/{id}`.
    func isMoreSpecific(than other: RouteTemplate) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            switch (mine, theirs) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}

/// The values of a matched template's `{name}` segments.
public struct PathParameters: Sendable, Equatable {
    public let values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }

    public subscript(name: String) -> String? { values[name] }

    /// The value of `{name}`; asking for a name the template doesn't have is a programming error.
    public func require(_ name: String) -> String {
        guard let value = values[name] else { preconditionFailure("the route has no {\(name)} parameter") }
        return value
    }
}
