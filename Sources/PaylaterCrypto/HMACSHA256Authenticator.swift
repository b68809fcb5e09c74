internal import CCrypto

extension HMACSHA256 {
    /// Computes an HMAC-SHA256 code from a message that arrives in pieces, such as a timestamp and a webhook body.
    ///
    /// Noncopyable so that its OpenSSL `EVP_MAC_CTX` has exactly one owner, and `finalize()` consumes it so that it
    /// cannot be fed after the code is taken. The context is freed when the authenticator goes away.
    public struct Authenticator: ~Copyable {
        private let context: OpaquePointer

        /// An authenticator keyed with `key`, which may have any length (keys longer than 64 bytes are hashed first,
        /// as RFC 2104 specifies).
        public init(key: [UInt8]) {
            guard let context = EVP_MAC_CTX_new(Self.hmac.pointer) else { OpenSSL.stop(OpenSSL.failure("EVP_MAC_CTX_new")) }
            let status = Self.initialise(context, key: key)
            guard status == 1 else {
                let error = OpenSSL.failure("EVP_MAC_init")
                EVP_MAC_CTX_free(context)
                OpenSSL.stop(error)
            }
            self.context = context
        }

        deinit {
            EVP_MAC_CTX_free(context)
        }

        /// The HMAC algorithm, fetched from OpenSSL's providers once: a fetch looks the algorithm up under a lock and
        /// cost as much as the hash of a short identifier (OpenSSL 3 advises fetching once and reusing). Fetched
        /// algorithms may be shared between threads; each context holds its own reference.
        private static let hmac: FetchedAlgorithm = {
            guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { OpenSSL.stop(OpenSSL.failure("EVP_MAC_fetch")) }
            return FetchedAlgorithm(pointer: mac)
        }()

        /// Feeds `bytes` after everything fed so far.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            let context = self.context
            OpenSSL.forEachChunk(of: bytes) { chunk in
                let data = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self)
                OpenSSL.require(EVP_MAC_update(context, data, chunk.count), "EVP_MAC_update")
            }
        }

        /// Feeds `string`'s UTF-8 bytes after everything fed so far.
        public mutating func update(_ string: String) {
            update(string.utf8)
        }

        /// The authentication code of everything fed, ending the authenticator.
        public consuming func finalize() -> Digest {
            code()
        }

        /// The authentication code of everything fed, then starts again under the same key with nothing fed: the
        /// next code costs no new context and no new key set-up (for OpenSSL's HMAC, `EVP_MAC_init` without a key
        /// restarts under the key it has).
        mutating func finalizeAndRestart() -> Digest {
            let digest = code()
            OpenSSL.require(EVP_MAC_init(context, nil, 0, nil), "EVP_MAC_init")
            return digest
        }

        private func code() -> Digest {
            var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length = 0
            let status = output.withUnsafeMutableBufferPointer { buffer in
                EVP_MAC_final(context, buffer.baseAddress, &length, buffer.count)
            }
            OpenSSL.require(status, "EVP_MAC_final")
            precondition(length == HMACSHA256.byteCount, "HMAC-SHA256 produced \(length) bytes")
            return Digest(bytes: Array(output.prefix(length)))
        }

        /// Sets SHA-256 as the digest and `key` as the key. An empty key is passed as a non-null pointer with length
        /// zero, because OpenSSL reads a null key as "keep the previous key" and this context has none.
        private static func initialise(_ context: OpaquePointer, key: [UInt8]) -> Int32 {
            var digestName = Array("SHA256".utf8CString)
            return "digest".withCString { parameterName in
                digestName.withUnsafeMutableBufferPointer { name in
                    let parameters = [
                        OSSL_PARAM_construct_utf8_string(parameterName, name.baseAddress, 0),
                        OSSL_PARAM_construct_end(),
                    ]
                    guard !key.isEmpty else {
                        var noKey: UInt8 = 0
                        return EVP_MAC_init(context, &noKey, 0, parameters)
                    }
                    return key.withUnsafeBufferPointer { keyBytes in
                        EVP_MAC_init(context, keyBytes.baseAddress, keyBytes.count, parameters)
                    }
                }
            }
        }
    }
}
