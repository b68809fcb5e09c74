import Foundation
import Synchronization

/// Where commands write: standard output for results, standard error for diagnostics.
public protocol Console: Sendable {
    func out(_ line: String)
    func error(_ line: String)
}

/// The process's own standard output and error.
public struct StandardConsole: Console {
    public init() {}
    public func out(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    public func error(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}

/// A console that keeps what was written, for tests.
public final class RecordingConsole: Console {
    private let lines = Mutex<(out: [String], error: [String])>(([], []))
    public init() {}
    public func out(_ line: String) { lines.withLock { $0.out.append(line) } }
    public func error(_ line: String) { lines.withLock { $0.error.append(line) } }
    public var output: String { lines.withLock { $0.out.joined(separator: "\n") } }
    public var errorOutput: String { lines.withLock { $0.error.joined(separator: "\n") } }
}
