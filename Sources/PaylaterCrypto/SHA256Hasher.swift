internal import CCrypto

extension SHA256 {
    /// Computes a SHA-256 digest from input that arrives in pieces.
    ///
    /// Noncopyable so that its state has exactly one owner, and `finalize()` consumes it so that it cannot be fed
    /// after the digest is taken. The state is OpenSSL's low-level `SHA256_CTX`, held inline: no context to
    /// allocate or free, and no provider look-up (`EVP_DigestInit_ex` fetched the algorithm under a lock, which took
    /// more time than hashing an API key in the server's profile: docs/BENCHMARKS.md).
    public struct Hasher: ~Copyable {
        private var state: State

        /// A hasher that has seen no input yet.
        public init() {
            state = State()
        }

        /// Feeds `bytes` after everything fed so far.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            state.update(bytes)
        }

        /// Feeds `string`'s UTF-8 bytes after everything fed so far.
        public mutating func update(_ string: String) {
            update(string.utf8)
        }

        /// The digest of everything fed, ending the hasher.
        public consuming func finalize() -> Digest {
            state.finalize()
        }
    }

    /// A SHA-256 hash state as a value: copying it copies the hash of everything fed so far, which lets HMAC keep
    /// the states after its key's two pads and start each code from them (`HMACSHA256.Key`).
    ///
    /// The state is OpenSSL's `SHA256_CTX`, kept in Swift words of at least its size rather than as the C struct,
    /// so that the layout of the public types holding it (`Hasher`, and `HMACSHA256.Key` in `IdentifierHasher`)
    /// depends on no type from OpenSSL, which this module imports internally.
    struct State: Sendable {
        /// 112 bytes: eight hash words, the bit count, a 64-byte block buffer, its fill and the digest length.
        private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

        init() {
            withContext { paylater_sha256_init($0) }
        }

        mutating func update(_ bytes: some Sequence<UInt8>) {
            withContext { context in
                OpenSSL.forEachChunk(of: bytes) { chunk in paylater_sha256_update(context, chunk.baseAddress, chunk.count) }
            }
        }

        /// The digest of everything fed. Works on a copy, so the state itself can go on (or start another code).
        func finalize() -> Digest {
            var copy = self
            var output = [UInt8](repeating: 0, count: SHA256.byteCount)
            copy.withContext { context in
                output.withUnsafeMutableBufferPointer { buffer in paylater_sha256_final(buffer.baseAddress, context) }
            }
            return Digest(bytes: output)
        }

        private mutating func withContext<Result>(_ body: (UnsafeMutablePointer<SHA256_CTX>) -> Result) -> Result {
            precondition(MemoryLayout<SHA256_CTX>.size <= MemoryLayout.size(ofValue: words)
                && MemoryLayout<SHA256_CTX>.alignment <= MemoryLayout.alignment(ofValue: words),
                "SHA256_CTX does not fit the words kept for it")
            return withUnsafeMutableBytes(of: &words) { raw in
                raw.baseAddress!.withMemoryRebound(to: SHA256_CTX.self, capacity: 1, body)
            }
        }
    }
}
