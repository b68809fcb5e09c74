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

    /// A problem whose type is `typePrefix` followed by `slug`.
    init(slug: String, title: String, status: Int, detail: String?, field: String? = nil, headers: HTTPHeaders = [:]) {
        self.init(type: Self.typePrefix + slug, title: title, status: status, detail: detail, field: field, headers: headers)
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
    /// The body is not JSON; `position` is the parser's character offset when it gave one.
    public static func malformedJSON(detail: String, position: Int? = nil) -> HTTPProblem {
        var problem = HTTPProblem(slug: "malformed-json", title: "Malformed JSON", status: 400, detail: detail)
        if let position { problem.extensions["position"] = .integer(Int64(position)) }
        return problem
    }

    /// Text that must be UTF-8 (the body, the path or the query) is not; `field` says which.
    public static func invalidUTF8(field: String, detail: String) -> HTTPProblem {
        HTTPProblem(slug: "invalid-utf8", title: "Invalid UTF-8", status: 400, detail: detail, field: field)
    }

    /// The body is longer than the server accepts.
    public static func bodyTooLarge(limitBytes: Int) -> HTTPProblem {
        HTTPProblem(
            slug: "body-too-large", title: "Request body too large", status: 413,
            detail: "The request body must be at most \(limitBytes) bytes."
        )
    }

    /// The body's media type is not one the route reads.
    public static func unsupportedMediaType(expected: String, received: String?) -> HTTPProblem {
        HTTPProblem(
            slug: "unsupported-media-type", title: "Unsupported media type", status: 415,
            detail: "Expected Content-Type \(expected), got \(received ?? "none").", field: "Content-Type",
            headers: ["Accept": expected]
        )
    }

    /// No resource at this path, or the resource named does not exist.
    public static func notFound(detail: String? = nil) -> HTTPProblem {
        HTTPProblem(slug: "not-found", title: "Not found", status: 404, detail: detail)
    }

    /// The path exists but not with this method; `Allow` lists the methods it has.
    public static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> HTTPProblem {
        let allow = allowed.map(\.description).sorted().joined(separator: ", ")
        return HTTPProblem(
            slug: "method-not-allowed", title: "Method not allowed", status: 405,
            detail: "\(method) is not allowed here; allowed: \(allow).", headers: ["Allow": allow]
        )
    }

    /// A field or parameter has a value the request cannot have; `field` is its JSON pointer or parameter name.
    public static func validation(field: String, detail: String) -> HTTPProblem {
        HTTPProblem(slug: "validation", title: "Invalid request", status: 422, detail: detail, field: field)
    }

    /// Missing or wrong credentials.
    public static func unauthorized(detail: String? = nil) -> HTTPProblem {
        HTTPProblem(slug: "unauthorized", title: "Unauthorized", status: 401, detail: detail)
    }

    /// Too many requests; try again after `retryAfterSeconds`.
    public static func rateLimited(retryAfterSeconds: Int, detail: String? = nil) -> HTTPProblem {
        precondition(retryAfterSeconds >= 0, "Retry-After cannot be negative")
        return HTTPProblem(
            slug: "rate-limited", title: "Too many requests", status: 429, detail: detail,
            headers: ["Retry-After": String(retryAfterSeconds)]
        )
    }

    /// The request conflicts with the resource's current state (a replayed idempotency key with another body, a
    /// capture of a voided order).
    public static func conflict(detail: String) -> HTTPProblem {
        HTTPProblem(slug: "conflict", title: "Conflict", status: 409, detail: detail)
    }

    /// A fault of the server itself; never says what, so nothing internal leaks.
    public static func internalError() -> HTTPProblem {
        HTTPProblem(slug: "internal", title: "Internal server error", status: 500, detail: nil)
    }
}
