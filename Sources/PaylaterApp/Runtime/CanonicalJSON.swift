import Foundation

/// The one JSON encoding for what the platform stores: documents, operation requests and results, event data.
///
/// Canonical means the same value always encodes to the same bytes: object keys are sorted, there is no whitespace,
/// and `/` is not escaped. A retry's request is compared with the stored one as text (a different request under the
/// same operation id is refused), so two encodings of one value must never differ. It does not normalise Unicode
/// or floating-point numbers; stored values hold money as integer minor units.
enum CanonicalJSON {
    /// `value` as canonical JSON text.
    static func encode(_ value: some Encodable) throws -> String {
        try encoded(value)
    }

    /// `value` as canonical JSON text, written by hand (`CanonicalJSONWritable`): the same bytes, several times
    /// faster than the encoder.
    static func encode(_ value: some CanonicalJSONWritable) throws -> String {
        String(decoding: try CanonicalJSONWriter.bytes(of: value), as: UTF8.self)
    }

    /// The encoder's text for a value that also writes itself: what `CanonicalJSONWriterTests` compares with.
    static func encodedByEncoder(_ value: some Encodable) throws -> String {
        try encoded(value)
    }

    /// A list of texts (a checkout's reasons, most often none): an empty one is `[]` without setting up an
    /// encoder, which costs more than the encoding itself.
    static func encode(_ texts: [String]) throws -> String {
        texts.isEmpty ? "[]" : try encoded(texts)
    }

    private static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
