#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The module's one I/O point: reads a whole tzdata file with POSIX calls, bounded in size.
enum ZoneFileReader {
    enum Failure: Error, Equatable {
        /// No such file, or the path names a directory.
        case notFound
        /// The file is larger than the limit.
        case tooLarge
        /// Any other failure, with the C `errno`.
        case system(errno: Int32)
    }

    /// The contents of the file at `path`, read until end of file, failing if it exceeds `byteCountMaximum`.
    static func contents(ofPath path: String, byteCountMaximum: Int) -> Result<[UInt8], Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(classify(errno)) }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress, buffer.count)
            }
            if count == 0 { return .success(contents) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(classify(errno))
            }
            guard contents.count + count <= byteCountMaximum else { return .failure(.tooLarge) }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    private static func classify(_ code: Int32) -> Failure {
        switch code {
        case ENOENT, ENOTDIR, EISDIR: .notFound
        default: .system(errno: code)
        }
    }
}
