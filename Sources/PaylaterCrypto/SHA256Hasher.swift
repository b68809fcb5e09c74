internal import CCrypto

extension SHA256 {
    /// Computes a SHA-256 digest from input that arrives in pieces.
    ///
    /// Noncopyable so that its OpenSSL context has exactly one owner, and `finalize()` consumes it so that it cannot
    /// be fed after the digest is taken. The context is freed when the hasher goes away.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        /// A hasher that has seen no input yet.
        public init() {
            guard let context = EVP_MD_CTX_new() else { OpenSSL.stop(OpenSSL.failure("EVP_MD_CTX_new")) }
            guard EVP_DigestInit_ex(context, Self.sha256.pointer, nil) == 1 else {
                let error = OpenSSL.failure("EVP_DigestInit_ex")
                EVP_MD_CTX_free(context)
                OpenSSL.stop(error)
            }
            self.context = context
        }

        deinit {
            EVP_MD_CTX_free(context)
        }

        /// SHA-256, fetched once: `EVP_sha256()` makes every `EVP_DigestInit_ex` fetch it again from the providers
        /// (an implicit fetch, under a lock), which took more time than hashing an API key in the server's profile
        /// (a tenth of the API key's check on every merchant request; mostly waiting, since the instructions
        /// counted did not change: docs/BENCHMARKS.md).
        private static let sha256: FetchedAlgorithm = {
            guard let digest = EVP_MD_fetch(nil, "SHA256", nil) else { OpenSSL.stop(OpenSSL.failure("EVP_MD_fetch")) }
            return FetchedAlgorithm(pointer: digest)
        }()

        /// Feeds `bytes` after everything fed so far.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            let context = self.context
            OpenSSL.forEachChunk(of: bytes) { chunk in
                OpenSSL.require(EVP_DigestUpdate(context, chunk.baseAddress, chunk.count), "EVP_DigestUpdate")
            }
        }

        /// Feeds `string`'s UTF-8 bytes after everything fed so far.
        public mutating func update(_ string: String) {
            update(string.utf8)
        }

        /// The digest of everything fed, ending the hasher.
        public consuming func finalize() -> Digest {
            var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            let status = output.withUnsafeMutableBufferPointer { buffer in
                EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
            }
            OpenSSL.require(status, "EVP_DigestFinal_ex")
            precondition(Int(length) == SHA256.byteCount, "SHA-256 produced \(length) bytes")
            return Digest(bytes: Array(output.prefix(Int(length))))
        }
    }
}
