import Foundation
import PaylaterAPI
import PaylaterHTTP
import PaylaterStore
import PaylaterTestSupport
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func document() throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        return try #require(parsed as? [String: Any], "the document is a JSON object")
    }

    /// Every (METHOD, path template) the document describes.
    static func documentedOperations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: Any], "the document has paths")
        var operations = Set<String>()
        for (path, item) in paths {
            let item = try #require(item as? [String: Any], "path item \(path) is an object")
            for method in item.keys where methods.contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// What a local `$ref` such as `#/components/parameters/OrderId` points at, or nil.
    static func target(of reference: String, in document: [String: Any]) -> Any? {
        let parts = reference.split(separator: "/").map(String.init)
        guard parts.first == "#" else { return nil }
        var node: Any? = document
        for part in parts.dropFirst() { node = (node as? [String: Any])?[part] }
        return node
    }

    /// The object itself, or what it refers to when it is a `{"$ref": …}`.
    static func dereferenced(_ object: [String: Any], in document: [String: Any]) -> [String: Any]? {
        guard let reference = object["$ref"] as? String else { return object }
        return target(of: reference, in: document) as? [String: Any]
    }

    @Test("the document is JSON and OpenAPI 3.1")
    func parsesAsOpenAPI31() throws {
        let document = try Self.document()
        let version = try #require(document["openapi"] as? String)
        #expect(version.hasPrefix("3.1"))
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["title"] is String && info["version"] is String)
    }

    @Test("the document's operations are exactly the router's routes")
    func operationsEqualRoutes() throws {
        let test = try APITestServer()
        let routes = PaylaterAPI.router(test.services).routes
        let registered = Set(routes.map { "\($0.method) \($0.template)" })
        #expect(registered.count == routes.count, "no route is registered twice")
        let documented = try Self.documentedOperations(try Self.document())
        let undocumented = registered.subtracting(documented).sorted()
        let unrouted = documented.subtracting(registered).sorted()
        #expect(undocumented.isEmpty, "routes missing from the OpenAPI document: \(undocumented)")
        #expect(unrouted.isEmpty, "operations in the OpenAPI document with no route: \(unrouted)")
    }

    @Test("every $ref points at a component that exists")
    func referencesResolve() throws {
        let document = try Self.document()
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in Set(references).sorted() {
            #expect(reference.hasPrefix("#/"), "\(reference) is local")
            #expect(Self.target(of: reference, in: document) != nil, "\(reference) resolves")
        }
    }

    @Test("every {name} in a path template is a required path parameter of each of its operations")
    func pathParametersAreDeclared() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            let names = path.split(separator: "/").filter { $0.hasPrefix("{") }
                .map { String($0.dropFirst().dropLast()) }
            for (method, value) in item where Self.methods.contains(method) {
                let parameters = ((value as? [String: Any])?["parameters"] as? [[String: Any]] ?? [])
                    .compactMap { Self.dereferenced($0, in: document) }
                let declared = parameters.filter { $0["in"] as? String == "path" && $0["required"] as? Bool == true }
                #expect(declared.compactMap { $0["name"] as? String }.sorted() == names.sorted(), "\(method) \(path)")
            }
        }
    }

    @Test("every POST and PUT success says, with the one shared header, when it is a replay of an Idempotency-Key")
    func replaysAreDocumented() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        for (path, item) in paths {
            for method in ["post", "put"] {
                guard let responses = (item[method] as? [String: Any])?["responses"] as? [String: Any] else { continue }
                let successes = responses.filter { $0.key.hasPrefix("2") }
                #expect(!successes.isEmpty, "\(method) \(path) has a success")
                for (status, response) in successes {
                    let header = ((response as? [String: Any])?["headers"] as? [String: Any])?["Idempotent-Replayed"]
                    let reference = (header as? [String: Any])?["$ref"] as? String
                    #expect(reference == "#/components/headers/IdempotentReplayed", "\(method) \(path) \(status)")
                }
            }
        }
    }

    @Test("every POST and PUT asks for an Idempotency-Key, and every /v1 operation but the document itself needs a bearer")
    func guardsAreDocumented() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        for (path, item) in paths {
            for (method, value) in item where Self.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
                let hasKey = parameters.contains { $0["$ref"] as? String == "#/components/parameters/IdempotencyKey" }
                #expect(hasKey == (method == "post" || method == "put"), "\(method) \(path): Idempotency-Key")
                let security = (operation["security"] as? [[String: Any]]) ?? []
                let expected = path.hasPrefix("/v1/me/") ? "shopperToken" : path.hasPrefix("/v1/") && path != "/v1/openapi.json" ? "merchantKey" : nil
                #expect(security.first?.keys.first == expected, "\(method) \(path): security")
            }
        }
    }

    @Test("every operation lists the 400 malformed-request the server sends whatever the path (no Host, unsafe framing)")
    func everyOperationListsMalformedRequest() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let components = try #require((document["components"] as? [String: Any])?["responses"] as? [String: Any])
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, value) in item where Self.methods.contains(method) {
                let responses = try #require((value as? [String: Any])?["responses"] as? [String: Any])
                let reference = (responses["400"] as? [String: Any])?["$ref"] as? String ?? ""
                let name = reference.split(separator: "/").last.map(String.init) ?? ""
                let description = (components[name] as? [String: Any])?["description"] as? String ?? ""
                #expect(description.contains("…/malformed-request"), "\(method) \(path) lists 400 malformed-request")
            }
        }
    }

    @Test("the event types the document names are exactly those the outbox records")
    func eventTypesMatch() throws {
        let schemas = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let documented = try #require((schemas["WebhookEventType"] as? [String: Any])?["enum"] as? [String])
        #expect(documented.sorted() == WebhookEventType.allCases.map(\.rawValue).sorted())
    }

    @Test("no description calls a number a decimal string: the API's numbers are JSON integers")
    func numbersAreNotStrings() {
        #expect(!OpenAPIDocument.json.contains("decimal string"))
    }

    @Test("GET /v1/openapi.json serves the document")
    func servedByTheServer() throws {
        let test = try APITestServer()
        let response = try HTTPTestClient(port: test.port).send("GET", "/v1/openapi.json")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.bodyText == OpenAPIDocument.json)
    }
}
