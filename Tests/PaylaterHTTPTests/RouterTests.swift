import PaylaterHTTP
import Testing

@Suite("Router")
struct RouterTests {
    static func router() -> Router {
        var router = Router()
        router.get("/") { _, _ in .text("root") }
        router.get("/v1/orders/{id}") { _, parameters in .text("order " + parameters.require("id")) }
        router.post("/v1/orders/{id}/captures") { _, parameters in .text("capture " + parameters.require("id")) }
        router.put("/v1/orders/{id}") { _, _ in .text("put") }
        router.get("/v1/orders/search") { _, _ in .text("search") }
        router.get("/limited") { _, _ in throw HTTPProblem.rateLimited(retryAfterSeconds: 30) }
        return router
    }

    func body(_ method: HTTPMethod, _ path: String) -> (Int, String) {
        let response = Self.router().respond(to: HTTPRequest(method: method, path: path))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test("the route table lists every route in registration order")
    func routeTable() {
        let routes = Self.router().routes.map { "\($0.method) \($0.template)" }
        #expect(routes == [
            "GET /", "GET /v1/orders/{id}", "POST /v1/orders/{id}/captures", "PUT /v1/orders/{id}",
            "GET /v1/orders/search", "GET /limited",
        ])
    }

    @Test("matching is exact segment by segment; a parameter takes one non-empty segment")
    func exactMatching() {
        #expect(body(.get, "/").1 == "root")
        #expect(body(.get, "/v1/orders/o-1").1 == "order o-1")
        #expect(body(.post, "/v1/orders/o-1/captures").1 == "capture o-1")
        #expect(body(.get, "/v1/orders/search").1 == "search")
        #expect(body(.get, "/v1/orders").0 == 404)
        #expect(body(.get, "/v1/orders/").0 == 404)
        #expect(body(.get, "/v1/orders//captures").0 == 404)
        #expect(body(.get, "/v1/Orders/o-1").0 == 404)
        #expect(body(.get, "/v1/orders/o-1/").0 == 404)
    }

    @Test("segments are split at every '/', whatever the characters around it; a path that is not one finds nothing")
    func splitting() {
        #expect(body(.get, "/v1/orders/订单-1").1 == "order 订单-1")
        #expect(body(.get, "/v1/orders/e\u{301}").1 == "order e\u{301}")
        #expect(body(.post, "/v1/orders/😀/captures").1 == "capture 😀")
        #expect(body(.get, "/v1/orders/a/b").0 == 404)
        #expect(body(.get, "//").0 == 404)
        #expect(body(.get, "").0 == 404)
        #expect(body(.get, "*").0 == 404)
        #expect(body(.get, "v1/orders/o-1").0 == 404)
    }

    @Test("a 405 lists every method the path has, sorted, and its route template is recorded")
    func methodNotAllowed() {
        let response = Self.router().respond(to: HTTPRequest(method: .delete, path: "/v1/orders/o-1"))
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "GET, PUT")
        #expect(response.routeTemplate == nil)
        let found = Self.router().respond(to: HTTPRequest(method: .get, path: "/v1/orders/o-1"))
        #expect(found.routeTemplate == "/v1/orders/{id}")
    }

    @Test("HEAD takes the GET route of its path, unless the path has a HEAD route of its own")
    func headFallsBackToGet() {
        #expect(body(.head, "/v1/orders/o-1") == (200, "order o-1"))
        #expect(body(.head, "/v1/orders/search") == (200, "search"))
        #expect(body(.head, "/v1/orders/o-1/captures").0 == 405)
        var router = Self.router()
        router.add(.head, "/v1/orders/{id}") { _, _ in .text("head") }
        #expect(String(decoding: router.respond(to: HTTPRequest(method: .head, path: "/v1/orders/o-1")).body, as: UTF8.self) == "head")
    }

    @Test("a rate-limited problem carries Retry-After")
    func rateLimited() {
        let response = Self.router().respond(to: HTTPRequest(method: .get, path: "/limited"))
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "30")
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }

    @Test("a problem document has the RFC 9457 members and its extras")
    func problemDocument() {
        var problem = HTTPProblem.validation(field: "/amount", detail: "Expected an integer.")
        problem.extensions["limit"] = .integer(5)
        problem.extensions["status"] = .string("ignored")
        #expect(String(decoding: problem.response.body, as: UTF8.self)
            == #"{"detail":"Expected an integer.","field":"/amount","limit":5,"status":422,"title":"Invalid request","type":"https://paylater.dev/problems/validation"}"#)
    }
}
