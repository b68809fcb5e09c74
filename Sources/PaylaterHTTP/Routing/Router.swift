/// Dispatches requests by method and path template to handlers, and turns what they throw into problem documents.
///
/// Unknown paths get a 404 problem; a known path with another method gets a 405 problem with `Allow`. HEAD is
/// answered by the GET route (RFC 9110 §9.3.2), whose body the server then leaves out, unless a HEAD route is
/// registered for the path. A handler
/// throws `HTTPProblem` for anything the client should see; any other error becomes a 500 internal problem whose
/// details go only to `unexpectedErrorReporter`. Build the router fully before serving; it is a value.
public struct Router: HTTPHandler {
    /// What a route runs: the request and the values of its template's parameters.
    public typealias Handler = @Sendable (HTTPRequest, PathParameters) throws -> HTTPResponse

    struct Route: Sendable {
        let method: HTTPMethod
        let template: RouteTemplate
        let handler: Handler
    }

    private var table: [Route] = []
    private let unexpectedErrorReporter: @Sendable (any Error, HTTPRequest) -> Void

    /// `unexpectedErrorReporter` hears about every error other than `HTTPProblem` a handler throws (for the log).
    public init(unexpectedErrorReporter: @escaping @Sendable (any Error, HTTPRequest) -> Void = { _, _ in }) {
        self.unexpectedErrorReporter = unexpectedErrorReporter
    }

    /// Every route as registered, in registration order: for comparing with the OpenAPI document.
    public var routes: [(method: HTTPMethod, template: String)] {
        table.map { (method: $0.method, template: $0.template.text) }
    }

    /// Adds a route. Registering the same method twice for templates of the same shape is a programming error.
    public mutating func add(_ method: HTTPMethod, _ template: String, _ handler: @escaping Handler) {
        let parsed = RouteTemplate(template)
        precondition(
            !table.contains { $0.method == method && $0.template.shape == parsed.shape },
            "route \(method) \(template) is already registered"
        )
        table.append(Route(method: method, template: parsed, handler: handler))
    }

    public mutating func get(_ template: String, _ handler: @escaping Handler) { add(.get, template, handler) }
    public mutating func post(_ template: String, _ handler: @escaping Handler) { add(.post, template, handler) }
    public mutating func put(_ template: String, _ handler: @escaping Handler) { add(.put, template, handler) }
    public mutating func patch(_ template: String, _ handler: @escaping Handler) { add(.patch, template, handler) }
    public mutating func delete(_ template: String, _ handler: @escaping Handler) { add(.delete, template, handler) }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let segments = request.pathSegments
        var best: (route: Route, parameters: PathParameters)?
        var allowed: [HTTPMethod] = []
        for route in table {
            guard let parameters = route.template.match(segments) else { continue }
            guard route.method == request.method || (request.method == .head && route.method == .get) else {
                if !allowed.contains(route.method) { allowed.append(route.method) }
                continue
            }
            if best == nil || route.template.isMoreSpecific(than: best!.route.template)
                || (route.method == .head && best!.route.method == .get && route.template.shape == best!.route.template.shape)
            {
                best = (route, parameters)
            }
        }
        guard let (route, parameters) = best else {
            let problem: HTTPProblem = allowed.isEmpty ? .notFound() : .methodNotAllowed(request.method, allowed: allowed)
            return problem.response
        }
        var response: HTTPResponse
        do {
            response = try route.handler(request, parameters)
        } catch let problem as HTTPProblem {
            response = problem.response
        } catch {
            unexpectedErrorReporter(error, request)
            response = HTTPProblem.internalError().response
        }
        response.routeTemplate = route.template.text
        return response
    }
}
