/// Answers a complete request. Called on the server's worker threads, possibly many at once, so it must be
/// `Sendable` and should not block for long.
public protocol HTTPHandler: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
}

/// An `HTTPHandler` made from a closure.
public struct ClosureHTTPHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest) -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.body = body }

    public func respond(to request: HTTPRequest) -> HTTPResponse { body(request) }
}
