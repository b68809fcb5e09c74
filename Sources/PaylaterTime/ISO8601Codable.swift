/// Values whose JSON form is their ISO 8601 / RFC 3339 text ("2026-11-24", "08:00:00", "2026-11-24T08:00:00Z"):
/// decoding parses strictly and reports a malformed string as corrupted data; encoding writes `description`.
public protocol ISO8601Codable: Codable, CustomStringConvertible {
    init(iso8601 text: String) throws(TimeError)
}

extension ISO8601Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(iso8601: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
