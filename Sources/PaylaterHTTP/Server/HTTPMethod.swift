/// An HTTP request method: the standard ones, and any other token a client sends.
public enum HTTPMethod: Hashable, Sendable, CustomStringConvertible {
    case get, head, post, put, patch, delete, options, trace, connect
    /// A method outside the standard set, exactly as the client sent it.
    case other(String)

    /// The method for `token`; matching is case-sensitive, as RFC 9110 §9.1 requires.
    public init(_ token: String) {
        switch token {
        case "GET": self = .get
        case "HEAD": self = .head
        case "POST": self = .post
        case "PUT": self = .put
        case "PATCH": self = .patch
        case "DELETE": self = .delete
        case "OPTIONS": self = .options
        case "TRACE": self = .trace
        case "CONNECT": self = .connect
        default: self = .other(token)
        }
    }

    /// The token on the request line.
    public var description: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .trace: "TRACE"
        case .connect: "CONNECT"
        case let .other(token): token
        }
    }

    /// The label used in metrics: the token for standard methods, `OTHER` for the rest, so clients cannot grow the
    /// number of series.
    var metricsLabel: String {
        if case .other = self { return "OTHER" }
        return description
    }
}
