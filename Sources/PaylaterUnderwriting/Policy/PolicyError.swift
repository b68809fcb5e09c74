/// Why a credit policy file could not be loaded; field errors name the field by its JSON path, such as
/// `score_bands[1].initial_limit.USD`.
public enum PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data is not a JSON object.
    case malformedJSON(String)
    /// A field is missing: `cut_offs.refer_at_or_below`.
    case missingField(path: String)
    /// A key the policy does not know, usually a typo: `velocity.orders_per_devise`.
    case unknownField(path: String)
    /// A field is present but its value is wrong; `reason` says why.
    case invalidField(path: String, reason: String)

    /// The JSON path of the bad field.
    public var fieldPath: String {
        switch self {
        case .malformedJSON: ""
        case .missingField(let path), .unknownField(let path), .invalidField(let path, _): path
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let reason): "the policy is not valid JSON: \(reason)"
        case .missingField(let path): "\(path) is missing"
        case .unknownField(let path): "\(path) is not a known field"
        case .invalidField(let path, let reason): path.isEmpty ? "\(reason) at the top level" : "\(path): \(reason)"
        }
    }
}
