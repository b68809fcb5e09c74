/// The keys of a JSON object read through `Decodable`, so that an input file can refuse a key it does not have
/// rather than ignore it: a misspelt field would otherwise change what is recorded or computed without a word
/// (journal lines, `paylater apr` schedules).
enum UnknownKeys {
    /// Any key of an object.
    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The first key (in sorted order) of the object `decoder` reads that `allowed` lacks, if any.
    static func first(in decoder: any Decoder, allowed: Set<String>) throws -> String? {
        try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).sorted().first { !allowed.contains($0) }
    }
}
