/// An RFC 9457 problem document, thrown by handlers and rendered as `application/problem+json`.
///
/// `type` is stable per kind of error so clients can branch on it; `title` is the same for every instance of a type;
/// `detail` explains this occurrence. `field` names the JSON pointer (such as `/items/0/amount`) or parameter at fault.
public struct HTTPProblem: Error, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var field: String?
    /// More members of the document; they never replace the standard ones.
    public var extensions: [String: JSONValue]
    /// Header fields sent with the problem, such as `Allow` or `Retry-After`.
    public var headers: HTTPHeaders

    /// Every problem type URI starts with this.
    public static let typePrefix = "https://paylater.dev/problems/"

    /// The most characters of the caller's own text (a name, an id, a number) a problem quotes back.
    public static let excerptCharactersMaximum = 100

    /// `text` as a problem quotes it: at most `maximum` characters, "…" marking a cut, so that a huge input does not
    /// come back (or reach a log) whole.
    public static func excerpt(_ text: some StringProtocol, maximum: Int = excerptCharactersMaximum) -> String {
        let head = text.prefix(maximum)
        return head.endIndex == text.endIndex ? String(text) : String(head) + "…"
    }

    public init(
        type: String, title: String, status: Int, detail: String? = nil, field: String? = nil,
        extensions: [String: JSONValue] = [:], headers: HTTPHeaders = [:]
    ) {
        precondition((400...599).contains(status), "a problem's status must be 4xx or 5xx, not \(status)")
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.field = field
        self.extensions = extensions
        self.headers = headers
    }

    /// A problem of one of the HTTP layer's own types, with that type's title and status.
    init(_ type: HTTPProblemType, detail: String?, field: String? = nil, headers: HTTPHeaders = [:]) {
        self.init(type: type.uri, title: type.title, status: type.status, detail: detail, field: field, headers: headers)
    }

    /// The document as a JSON object.
    public var document: JSONValue {
        var members = extensions
        members["type"] = .string(type)
        members["title"] = .string(title)
        members["status"] = .integer(Int64(status))
        if let detail { members["detail"] = .string(detail) }
        if let field { members["field"] = .string(field) }
        return .object(members)
    }

    /// The `application/problem+json` response for this problem, with its headers.
    public var response: HTTPResponse {
        var headers = self.headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/problem+json")
        return HTTPResponse(status: status, headers: headers, body: document.serialized())
    }
}

extension HTTPProblem {
    /// The body cannot be read as JSON; `position` is the parser's byte offset when it gave one, `field` the JSON
    /// pointer of the member at fault when there is one (a repeated name).
    public static func malformedJSON(detail: String, position: Int? = nil, field: String? = nil) -> HTTPProblem {
        var problem = HTTPProblem(.malformedJSON, detail: detail, field: field)
        if let position { problem.extensions["position"] = .integer(Int64(position)) }
        return problem
    }

    /// Text that must be UTF-8 (the body, the path or the query) is not; `field` says which.
    public static func invalidUTF8(field: String, detail: String) -> HTTPProblem {
        HTTPProblem(.invalidUTF8, detail: detail, field: field)
    }

    /// The request's framing or its required header fields are wrong (RFC 9112): Content-Length given twice with
    /// different values, Transfer-Encoding with Content-Length, a transfer coding other than chunked, or an
    /// HTTP/1.1 request without exactly one Host. The connection is closed after the answer, since where the next
    /// request would start is unknown.
    public static func malformedRequest(detail: String, field: String) -> HTTPProblem {
        HTTPProblem(.malformedRequest, detail: detail, field: field)
    }

    /// The body is longer than the server accepts.
    public static func bodyTooLarge(limitBytes: Int) -> HTTPProblem {
        HTTPProblem(.bodyTooLarge, detail: "The request body must be at most \(limitBytes) bytes.")
    }

    /// The body's media type is not one the route reads.
    public static func unsupportedMediaType(expected: String, received: String?) -> HTTPProblem {
        HTTPProblem(
            .unsupportedMediaType,
            detail: "Expected Content-Type \(expected), got \(received.map { excerpt($0) } ?? "none").", field: "Content-Type",
            headers: ["Accept": expected]
        )
    }

    /// No resource at this path, or the resource named does not exist.
    public static func notFound(detail: String? = nil) -> HTTPProblem {
        HTTPProblem(.notFound, detail: detail)
    }

    /// The path exists but not with this method; `Allow` lists the methods it has.
    public static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> HTTPProblem {
        let allow = allowed.map(\.description).sorted().joined(separator: ", ")
        return HTTPProblem(
            .methodNotAllowed,
            detail: "\(method) is not allowed here; allowed: \(allow).", headers: ["Allow": allow]
        )
    }

    /// A field or parameter has a value the request cannot have; `field` is its JSON pointer or parameter name.
    public static func validation(field: String, detail: String) -> HTTPProblem {
        HTTPProblem(.validation, detail: detail, field: field)
    }

    /// Missing or wrong credentials.
    public static func unauthorized(detail: String? = nil) -> HTTPProblem {
        HTTPProblem(.unauthorized, detail: detail)
    }

    /// Too many requests; try again after `retryAfterSeconds`.
    public static func rateLimited(retryAfterSeconds: Int, detail: String? = nil) -> HTTPProblem {
        precondition(retryAfterSeconds >= 0, "Retry-After cannot be negative")
        return HTTPProblem(
            .rateLimited, detail: detail,
            headers: ["Retry-After": String(retryAfterSeconds)]
        )
    }

    /// The request conflicts with the resource's current state (a replayed idempotency key with another body, a
    /// capture of a voided order).
    public static func conflict(detail: String) -> HTTPProblem {
        HTTPProblem(.conflict, detail: detail)
    }

    /// A fault of the server itself; never says what, so nothing internal leaks.
    public static func internalError() -> HTTPProblem {
        HTTPProblem(.internal, detail: nil)
    }
}

/// The problem types the HTTP layer answers with itself. Each has one status and one title; the application adds its
/// own types (and a test keeps every type listed in docs/API.md and the OpenAPI document).
public enum HTTPProblemType: String, CaseIterable, Sendable {
    case malformedJSON = "malformed-json"
    case invalidUTF8 = "invalid-utf8"
    case malformedRequest = "malformed-request"
    case unauthorized
    case notFound = "not-found"
    case methodNotAllowed = "method-not-allowed"
    case conflict
    case bodyTooLarge = "body-too-large"
    case unsupportedMediaType = "unsupported-media-type"
    case validation
    case rateLimited = "rate-limited"
    case `internal`

    /// The type's URI, as a problem document's `type`.
    public var uri: String { HTTPProblem.typePrefix + rawValue }

    /// The HTTP status every problem of this type has.
    public var status: Int {
        switch self {
        case .malformedJSON, .invalidUTF8, .malformedRequest: 400
        case .unauthorized: 401
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .bodyTooLarge: 413
        case .unsupportedMediaType: 415
        case .validation: 422
        case .rateLimited: 429
        case .internal: 500
        }
    }

    /// The title every problem of this type has.
    public var title: String {
        switch self {
        case .malformedJSON: "Malformed JSON"
        case .invalidUTF8: "Invalid UTF-8"
        case .malformedRequest: "Malformed request"
        case .unauthorized: "Unauthorized"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .conflict: "Conflict"
        case .bodyTooLarge: "Request body too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .validation: "Invalid request"
        case .rateLimited: "Too many requests"
        case .internal: "Internal server error"
        }
    }
}
