import Foundation
import Glibc
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterTestSupport
import Testing

/// Two `paylater serve` processes on one store, as two API nodes behind a load balancer.
@Suite("Two API nodes on one store")
struct APINodesTests {
    /// A `paylater serve --port 0` child; its port is read from the line it prints.
    final class Node: Sendable {
        let process: Process
        let port: UInt16
        /// What the node prints after its port line, read by `awaitOutput(containing:)`.
        let output: FileHandle

        init(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = CrashSafetyTests.binary
            process.arguments = ["serve", "--port", "0"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            var seen = ""
            while !seen.contains("\n") {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            guard let port = seen.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            else { throw TestStoreError("serve did not print its port: \(seen)") }
            self.process = process
            self.port = port
            self.output = pipe.fileHandleForReading
        }

        /// Reads the node's output until a line holds `text`; returns all that was read.
        func awaitOutput(containing text: String) -> String {
            var seen = ""
            while !seen.contains(text) {
                let chunk = output.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            return seen
        }

        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func json(_ client: HTTPTestClient, _ path: String, key: String, _ body: [String: Any]) throws -> (Int, [String: Any]) {
        let response = try client.send(
            "POST", path,
            headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "application/json"), ("Idempotency-Key", UUID().uuidString)],
            body: Array(try JSONSerialization.data(withJSONObject: body)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    static func authorize(_ id: String, on client: HTTPTestClient, key: String, device: Int) throws -> (Int, [String: Any]) {
        let features: [String: Any] = ["account_age_days": 800, "orders_last_year": 20, "return_rate": 0.01, "late_repayments": 0]
        return try json(client, "/v1/checkouts/\(id)/authorize", key: key, [
            "product_id": "pay-in-4", "device_id": "device-\(device)", "shipping_address": "1 Long St",
            "payment_instrument": "card", "age_years": 30, "identity_verified": true, "features": features,
        ])
    }

    @Test("serve --connections-per-client bounds one address's connections (a reverse proxy's pool needs it raised)")
    func connectionsPerClient() throws {
        let scratch = ScratchDirectory()
        let node = try Node(["--connections-per-client", "1", "--data-dir", scratch.path])
        defer { _ = node.stop() }
        let client = HTTPTestClient(port: node.port, timeoutSeconds: 2)
        // The held connection is the node's first: a request before it could leave its connection counted until
        // the server noticed the close, and the held one refused in its place.
        let held = try client.connect()
        _ = "GET /healthz HTTP/1.1\r\n".withCString { send(held, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        defer { close(held) }
        #expect(eventually { (try? client.send("GET", "/healthz")) == nil }, "a second connection from the address is refused")
        shutdown(held, Int32(SHUT_RDWR))
        #expect(eventually { (try? client.send("GET", "/healthz"))?.status == 200 })
        #expect(CLIRun(["serve", "--port", "0", "--connections-per-client", "0", "--data-dir", scratch.path]).exitCode == 2)
    }

    @Test("a second SIGTERM while requests are in flight stops the node at once, with exit 1")
    func secondSignal() throws {
        let scratch = ScratchDirectory()
        let node = try Node(["--data-dir", scratch.path])
        defer { if node.process.isRunning { _ = node.stop() } }
        // A request whose body never comes: in flight until the grace period (10 s) runs out. The server's
        // `100 Continue` says it has begun the request.
        let held = try HTTPTestClient(port: node.port, timeoutSeconds: 10).connect()
        defer { close(held) }
        let head = "POST /v1/checkouts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: 10\r\nExpect: 100-continue\r\n\r\n"
        _ = head.withCString { send(held, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var reply = [UInt8](repeating: 0, count: 256)
        let received = recv(held, &reply, reply.count, 0)
        #expect(received > 0 && String(decoding: reply.prefix(max(received, 0)), as: UTF8.self).contains("100 Continue"))
        kill(node.process.processIdentifier, SIGTERM)
        #expect(node.awaitOutput(containing: "finishing requests in flight").contains("the signal again stops at once"))
        kill(node.process.processIdentifier, SIGTERM)
        let said = node.awaitOutput(containing: "stopping at once")
        node.process.waitUntilExit()
        #expect(said.contains("signal 15 again: stopping at once"), "\(said)")
        #expect(node.process.terminationStatus == 1)
    }

    @Test("authorizations for one shopper spread over two nodes never exceed the limit; SIGTERM stops both cleanly",
          arguments: StoreKind.available)
    func twoNodes(kind: StoreKind) throws {
        let store = try TestStore(kind)
        #expect(try CrashSafetyTests.run(["capacity", "set", "--amount", "1000000.00", "--currency", "CNY"] + store.arguments).status == 0)
        let created = try CrashSafetyTests.run(["merchant", "create", "--name", "Acme"] + store.arguments)
        let key = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("api key") }?.split(separator: " ").last.map(String.init))
        let nodes = try [Node(store.arguments), Node(store.arguments)]
        let clients = nodes.map { HTTPTestClient(port: $0.port, timeoutSeconds: 20) }
        func checkout() throws -> String {
            let (status, body) = try Self.json(clients[0], "/v1/checkouts", key: key, [
                "lines": [["name": "Jacket", "quantity": 1, "unit_price": ["amount": 100_000, "currency": "CNY"]]],
                "total": ["amount": 100_000, "currency": "CNY"], "merchant_reference": "r", "shopper_reference": "shopper-1",
            ])
            guard status == 201, let id = body["id"] as? String else { throw TestStoreError("checkout \(status) \(body)") }
            return id
        }
        // The first approval sets the shopper's initial limit; then twelve 1,000.00 checkouts race over both nodes.
        let (first, answer) = try Self.authorize(try checkout(), on: clients[0], key: key, device: 0)
        #expect(first == 200 && answer["decision"] as? String == "approved", "\(answer)")
        let sessions = try (0..<12).map { _ in try checkout() }
        let answers = concurrently(sessions.count) { index in
            let (status, body) = try Self.authorize(sessions[index], on: clients[index % 2], key: key, device: index % 3)
            return (status: status, decision: body["decision"] as? String, text: "\(status) \(body)")
        }
        #expect(answers.unexpectedFailures() == [])
        #expect(answers.successes().filter { $0.status != 200 && $0.status != 409 }.map(\.text) == [])
        let approved = 1 + answers.successes().filter { $0.status == 200 && $0.decision == "approved" }.count
        for node in nodes { #expect(node.stop() == 0) }
        let line = try CreditLineService(database: store.database, clock: store.clock).creditLine(try ConsumerID("shopper-1"), .CNY)
        #expect(line.held.minorUnits == Int64(approved) * 100_000)
        #expect(line.held.minorUnits <= line.limit.minorUnits)
        #expect(try CrashSafetyTests.run(["ledger", "verify"] + store.arguments).status == 0)
    }
}
