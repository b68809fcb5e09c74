public import Foundation

/// Runs `body` with a new, empty directory under the system's temporary directory (named `prefix` and a UUID),
/// and removes the directory and everything in it afterwards, whether `body` returned or threw.
public func withTemporaryDirectory<T>(_ prefix: String, _ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
