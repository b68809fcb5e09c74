/// One complete HTTP request, handed to a handler only once its whole body has arrived.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The percent-decoded path, without the query. Routing does not split this at `/`, since `%2F` is one: it
    /// uses `pathSegments`.
    public var path: String
    /// The segments of the path as sent, split at its `/`s and then each percent-decoded: `/v1/orders/a%2Fb` has
    /// `v1`, `orders` and `a/b`.
    public var pathSegments: [String]
    /// The query's name-value pairs in order, percent-decoded; a name without `=` has a `nil` value.
    public var queryItems: [(name: String, value: String?)]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The client's IP address as text, or empty if unknown.
    public var remoteAddress: String
    /// The id this request is known by in logs and in the `X-Request-Id` response header.
    public var requestID: String

    public init(
        method: HTTPMethod, path: String, pathSegments: [String]? = nil, queryItems: [(name: String, value: String?)] = [],
        headers: HTTPHeaders = [:], body: [UInt8] = [], remoteAddress: String = "", requestID: String = ""
    ) {
        self.method = method
        self.path = path
        self.pathSegments = pathSegments ?? RouteTemplate.split(path).map(String.init)
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
    }

    /// The first value of the query parameter called `name` (case-sensitive).
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value ?? nil
    }
}
