import Foundation
import Glibc
import Synchronization

/// A throwaway PKI made at test time with the `openssl` command-line tool in a temporary directory: a test CA and,
/// issued by it, a certificate for `localhost` and 127.0.0.1 and one for `other.example` only. P-256 keys, valid for
/// two days. `remove()` deletes the directory.
struct TestPKI {
    struct Identity {
        var certificate: String
        var key: String
    }

    let directory: String
    var caFile: String { directory + "/ca.pem" }
    var localhost: Identity { Identity(certificate: directory + "/localhost.pem", key: directory + "/localhost.key") }
    var otherHost: Identity { Identity(certificate: directory + "/other.pem", key: directory + "/other.key") }

    private static let configuration = """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = Paylater Test
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        [localhost]
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:localhost,IP:127.0.0.1
        [other]
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:other.example

        """

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paylater-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            let config = directory + "/pki.cnf"
            try Self.configuration.write(toFile: config, atomically: true, encoding: .utf8)
            let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
            try Self.openssl(["req", "-x509", "-config", config, "-extensions", "ca"] + key + [
                "-keyout", directory + "/ca.key", "-out", directory + "/ca.pem", "-days", "2", "-subj", "/CN=Paylater Test CA",
            ])
            for (name, commonName) in [("localhost", "localhost"), ("other", "other.example")] {
                try Self.openssl(["req", "-config", config] + key + [
                    "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).csr", "-subj", "/CN=\(commonName)",
                ])
                try Self.openssl([
                    "x509", "-req", "-in", "\(directory)/\(name).csr", "-CA", directory + "/ca.pem", "-CAkey",
                    directory + "/ca.key", "-CAcreateserial", "-out", "\(directory)/\(name).pem", "-days", "2", "-extfile",
                    config, "-extensions", name,
                ])
            }
        } catch {
            remove()
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TLSTestError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(text)")
        }
    }
}

struct TLSTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `openssl s_server` on 127.0.0.1 and a free port, as a child process, for one connection (`-naccept 1`): once
/// the handshake is done it sends `response` (written to its standard input) and prints what the client sent to
/// its standard output, which `output` collects. `stop()` kills it; always call it.
final class TLSTestServer {
    let port: UInt16
    private let process: Process
    private let input: Pipe
    private let collected: Collector
    /// Signalled when the drain of s_server's output reaches its end.
    private let drained = DispatchSemaphore(value: 0)
    private let hasDrained = Mutex(false)

    private final class Collector: Sendable {
        let text: Mutex<String>
        init(_ text: String) { self.text = Mutex(text) }
    }

    init(_ identity: TestPKI.Identity, response: String = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", identity.certificate, "-key", identity.key, "-naccept", "1",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = input
        // The response waits in the pipe until s_server has a connection; the pipe stays open so that s_server
        // does not see end of input and quit.
        input.fileHandleForWriting.write(Data(response.utf8))

        // "ACCEPT 127.0.0.1:<port>" is printed once it listens.
        let reader = output.fileHandleForReading
        let descriptor = reader.fileDescriptor
        let deadline = ContinuousClock.now + .seconds(5)
        var text = ""
        var port: UInt16?
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while port == nil, ContinuousClock.now < deadline {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 100) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            text += String(decoding: chunk[0..<count], as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                let colon = line.lastIndex(of: ":")
            {
                port = UInt16(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
        }
        collected = Collector(text)
        guard let port else {
            process.terminate()
            process.waitUntilExit()
            throw TLSTestError("openssl s_server did not start: \(text)")
        }
        self.port = port
        // Keep draining its output (ends when the process does).
        Thread.detachNewThread { [collected, drained] in
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                collected.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            drained.signal()
        }
    }

    /// What s_server printed so far, including the bytes the client sent.
    var output: String { collected.text.withLock { $0 } }

    /// Ends s_server and waits until everything it printed has been read: the process can be gone with its last
    /// lines still in the pipe (the suite on two busy cores showed an `output` without the request).
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        if !hasDrained.withLock({ $0 }) {
            _ = drained.wait(timeout: .now() + .seconds(10))
            hasDrained.withLock { $0 = true }
        }
    }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts: the kernel completes connections, nobody answers.
final class SilentListener {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let listening = try LoopbackListener()
        descriptor = listening.descriptor
        port = listening.port
    }

    deinit { close(descriptor) }
}
