import Foundation
import PaylaterApp
import PaylaterTime
import Testing

/// The signature checks docs/WEBHOOKS.md gives merchants, run as written against the dispatcher's signatures.
@Suite("The documented signature verifiers")
struct WebhookDocumentedVerifierTests {
    private static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/WEBHOOKS.md")

    /// The first fenced block of `language` in docs/WEBHOOKS.md.
    private static func snippet(_ language: String) throws -> String {
        let text = try String(contentsOf: document, encoding: .utf8)
        let start = try #require(text.range(of: "```\(language)\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    private static func installed(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }

    /// Runs `program` with `arguments`; its standard output, trimmed.
    private static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Headers signed now for `body`: one code, then the new and the old secret's codes in both orders.
    private static func headers(body: [UInt8]) -> [String] {
        let now = SystemClock().now()
        let new = WebhookSignature.header(body: body, secret: "whsec_new", at: now)
        let old = WebhookSignature.header(body: body, secret: "whsec_old", at: now)
        let oldCode = old[old.range(of: ",v1=")!.lowerBound...]
        let newCode = new[new.range(of: ",v1=")!.lowerBound...]
        let timestamp = new[..<new.range(of: ",v1=")!.lowerBound]
        return [new, "\(timestamp)\(newCode)\(oldCode)", "\(timestamp)\(oldCode)\(newCode)"]
    }

    /// What `verify` answers, for each header, with the new secret, the old one and another one.
    private static let expected = ["true false false", "true true false", "true true false"]

    @Test("the Python verifier accepts any matching v1 code: two during a rotation, in either order", .enabled(if: installed("python3")))
    func python() throws {
        let body = Array(#"{"id":"evt_x","data":{"note":"caf\u00e9"}}"#.utf8)
        let driver = try Self.snippet("python") + """

            import sys
            body = sys.argv[1].encode()
            print(" ".join(str(verify(sys.argv[2], body, s)).lower() for s in ("whsec_new", "whsec_old", "whsec_other")))
            """
        let answers = try Self.headers(body: body).map { header in
            try Self.run("python3", ["-c", driver, String(decoding: body, as: UTF8.self), header])
        }
        #expect(answers == Self.expected)
    }

    @Test("the Node verifier accepts any matching v1 code: two during a rotation, in either order", .enabled(if: installed("node")))
    func node() throws {
        let body = Array(#"{"id":"evt_x","data":{"note":"caf\u00e9"}}"#.utf8)
        let driver = try Self.snippet("js") + """

            const body = Buffer.from(process.argv[1]);
            console.log(["whsec_new", "whsec_old", "whsec_other"].map((s) => verify(process.argv[2], body, s)).join(" "));
            """
        let answers = try Self.headers(body: body).map { header in
            try Self.run("node", ["-e", driver, String(decoding: body, as: UTF8.self), header])
        }
        #expect(answers == Self.expected)
    }
}
