internal import CCrypto

/// The one place where OpenSSL status codes become `CryptoError`s (or, where failure cannot happen in a working
/// installation, a stop with OpenSSL's own explanation).
enum OpenSSL {
    /// Bytes that non-contiguous sequences are copied into before being fed to OpenSSL, to bound memory use.
    static let chunkByteCount = 4_096

    /// Throws the queued OpenSSL error unless `status` is 1, the success value of every call used in this module.
    static func check(_ status: Int32, _ function: String) throws(CryptoError) {
        guard status == 1 else { throw failure(function) }
    }

    /// Stops the process unless `status` is 1.
    ///
    /// For calls on fixed, built-in algorithms (SHA-256, HMAC), which fail only when memory runs out or the OpenSSL
    /// installation is broken; Swift treats allocation failure the same way.
    static func require(_ status: Int32, _ function: String) {
        guard status == 1 else { stop(failure(function)) }
    }

    /// Stops the process with `error`'s explanation.
    static func stop(_ error: CryptoError) -> Never {
        fatalError("PaylaterCrypto: \(error)")
    }

    /// The first error on this thread's OpenSSL error queue, which is then emptied so that stale entries are never
    /// blamed on a later call.
    static func failure(_ function: String) -> CryptoError {
        let code = ERR_get_error()
        while ERR_get_error() != 0 {}
        guard code != 0 else { return .openSSL(function: function, code: 0, reason: "") }
        var text = [CChar](repeating: 0, count: 256)
        text.withUnsafeMutableBufferPointer { buffer in
            ERR_error_string_n(code, buffer.baseAddress, buffer.count)
        }
        let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .openSSL(function: function, code: code, reason: reason)
    }

    /// Calls `body` with `bytes` in place when they are contiguous, otherwise in copies of at most `chunkByteCount`.
    static func forEachChunk(of bytes: some Sequence<UInt8>, _ body: (UnsafeRawBufferPointer) -> Void) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { body(UnsafeRawBufferPointer($0)) }
        guard done == nil else { return }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(chunkByteCount)
        for byte in bytes {
            chunk.append(byte)
            if chunk.count == chunkByteCount {
                chunk.withUnsafeBytes(body)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { chunk.withUnsafeBytes(body) }
    }
}
