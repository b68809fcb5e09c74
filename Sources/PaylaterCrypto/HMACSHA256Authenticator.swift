extension HMACSHA256 {
    /// A key made ready for HMAC-SHA256: the SHA-256 states after the key's inner and outer pads, worked out once.
    ///
    /// RFC 2104 (section 4) notes that these two states may be computed once per key and kept; each code then costs
    /// the hash of the message and one more block, instead of four or more. A platform secret that hashes every
    /// decision's identifiers (`IdentifierHasher`) is made into one at start-up. The states are as secret as the key
    /// (they make codes without it), so they appear in no description, dump or log.
    public struct Key: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// SHA-256's block, the length every key is padded (or first hashed) to.
        private static let blockByteCount = 64

        private let inner: SHA256.State
        private let outer: SHA256.State

        /// `key` may have any length: keys longer than a block are hashed first, as RFC 2104 specifies.
        public init(_ key: [UInt8]) {
            var block = key.count > Self.blockByteCount ? SHA256.hash(key).bytes : key
            block.append(contentsOf: repeatElement(0, count: Self.blockByteCount - block.count))
            var inner = SHA256.State()
            inner.update(block.map { $0 ^ 0x36 })
            var outer = SHA256.State()
            outer.update(block.map { $0 ^ 0x5c })
            self.inner = inner
            self.outer = outer
        }

        /// The authentication code of `message` under this key.
        public func code(for message: some Sequence<UInt8>) -> Digest {
            var authenticator = Authenticator(self)
            authenticator.update(message)
            return authenticator.finalize()
        }

        public var description: String { "HMACSHA256.Key(<redacted>)" }

        public var debugDescription: String { description }

        public var customMirror: Mirror { Mirror(self, children: [:]) }

        /// The outer hash over `innerDigest`: the code.
        fileprivate func code(innerDigest: Digest) -> Digest {
            var outer = outer
            outer.update(innerDigest.bytes)
            return outer.finalize()
        }

        fileprivate var innerStart: SHA256.State { inner }
    }

    /// Computes an HMAC-SHA256 code from a message that arrives in pieces, such as a timestamp and a webhook body.
    ///
    /// Noncopyable, and `finalize()` consumes it, so that it cannot be fed after the code is taken.
    public struct Authenticator: ~Copyable {
        private let key: Key
        private var inner: SHA256.State

        /// An authenticator keyed with `key`, which may have any length (keys longer than 64 bytes are hashed first,
        /// as RFC 2104 specifies).
        public init(key: [UInt8]) {
            self.init(Key(key))
        }

        /// An authenticator under a key made ready before.
        public init(_ key: Key) {
            self.key = key
            inner = key.innerStart
        }

        /// Feeds `bytes` after everything fed so far.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            inner.update(bytes)
        }

        /// Feeds `string`'s UTF-8 bytes after everything fed so far.
        public mutating func update(_ string: String) {
            update(string.utf8)
        }

        /// The authentication code of everything fed, ending the authenticator.
        public consuming func finalize() -> Digest {
            key.code(innerDigest: inner.finalize())
        }
    }
}
