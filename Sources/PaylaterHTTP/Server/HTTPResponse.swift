/// An HTTP response: status, header fields and body bytes.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The route template that produced this response, set by `Router`; metrics label requests with it (or
    /// `unmatched`) so that raw paths never become series.
    public var routeTemplate: String?

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        precondition((100...599).contains(status), "HTTP status \(status) is outside 100...599")
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 plain-text response.
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// An `application/json` response with `value` written with sorted keys.
    public static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: value.serialized())
    }

    /// An `application/json` response with `value` encoded by `JSONEncoder` with sorted keys.
    /// Encoding failures (such as a non-finite `Double`) become a 500 internal problem.
    public static func json(encoding value: some Encodable, status: Int = 200) -> HTTPResponse {
        do {
            return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: try JSONValue.encode(value))
        } catch {
            return HTTPProblem.internalError().response
        }
    }

    /// A response with no body.
    public static func empty(status: Int = 204) -> HTTPResponse { HTTPResponse(status: status) }
}
