import Foundation
@testable import PaylaterAPI
import PaylaterHTTP
import Testing

/// Clients branch on a problem's `type`: every type the server can answer with is listed, at its status, in
/// docs/API.md's table and in the OpenAPI document, and neither lists a type the server does not have.
@Suite("Problem types are documented")
struct ProblemTypeDocumentationTests {
    /// Every type the server can answer with: the HTTP layer's and the API's, with their statuses.
    static let emitted: [String: Int] = Dictionary(
        uniqueKeysWithValues: HTTPProblemType.allCases.map { ($0.rawValue, $0.status) }
            + APIProblemType.allCases.map { ($0.rawValue, $0.status) })

    /// The OpenAPI response component that documents problems of each status (500 has none: the server never
    /// promises one).
    static let responseComponents: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed", 409: "Conflict",
        413: "PayloadTooLarge", 415: "UnsupportedMediaType", 422: "Unprocessable", 429: "TooManyRequests",
        503: "ServiceUnavailable",
    ]

    /// docs/API.md's error table: the types listed on each status's row.
    static func documentedTypes() throws -> [String: Int] {
        let text = try String(
            contentsOf: APITestServer.repository.appendingPathComponent("docs/API.md"), encoding: .utf8)
        var types: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let status = Int(cells[0]) else { continue }
            for type in cells[1].split(separator: ",") {
                let name = type.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                #expect(types[name] == nil, "\(name) is listed once in docs/API.md")
                types[name] = status
            }
        }
        return types
    }

    @Test("docs/API.md's error table lists every problem type at its status, and no other")
    func apiMarkdownTable() throws {
        let documented = try Self.documentedTypes()
        for (type, status) in Self.emitted.sorted(by: { $0.key < $1.key }) {
            #expect(documented[type] == status, "docs/API.md lists \(type) at \(status)")
        }
        let unknown = Set(documented.keys).subtracting(Self.emitted.keys).sorted()
        #expect(unknown.isEmpty, "docs/API.md lists types the server never answers with: \(unknown)")
    }

    @Test("the OpenAPI document's Problem schema enumerates exactly the problem types")
    func openAPIProblemSchema() throws {
        let document = try OpenAPITests.document()
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let problem = try #require(schemas["Problem"] as? [String: Any])
        let type = try #require((problem["properties"] as? [String: Any])?["type"] as? [String: Any])
        let listed = try #require(type["enum"] as? [String], "Problem.type has an enum")
        #expect(Set(listed) == Set(Self.emitted.keys.map { HTTPProblem.typePrefix + $0 }))
        #expect(listed.count == Self.emitted.count, "no type is listed twice")
    }

    @Test("each problem type is named in the OpenAPI response of its status")
    func openAPIResponses() throws {
        let document = try OpenAPITests.document()
        let responses = try #require((document["components"] as? [String: Any])?["responses"] as? [String: Any])
        for (type, status) in Self.emitted.sorted(by: { $0.key < $1.key }) where status != 500 {
            let name = try #require(Self.responseComponents[status], "a response component for \(status)")
            let description = (responses[name] as? [String: Any])?["description"] as? String ?? ""
            #expect(description.contains("…/\(type)"), "the \(name) response names …/\(type)")
        }
    }
}
