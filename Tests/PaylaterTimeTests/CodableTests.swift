import Foundation
import PaylaterTime
import Testing

@Suite struct TextCodable {
    private struct Payment: Codable, Equatable {
        var dueDate: LocalDate
        var capturedAt: Instant
        var cutoff: LocalTime
        var reminder: LocalDateTime
    }

    @Test("dates, instants and times encode as their ISO 8601 strings")
    func encodesAsStrings() throws {
        let payment = Payment(
            dueDate: date(2026, 11, 24), capturedAt: instant("2026-11-24T08:00:00.5Z"),
            cutoff: try LocalTime(hour: 17, minute: 0), reminder: localDateTime("2026-11-23T09:30:00")
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(payment), as: UTF8.self)
        #expect(json == #"{"capturedAt":"2026-11-24T08:00:00.500Z","cutoff":"17:00:00","dueDate":"2026-11-24","#
            + #""reminder":"2026-11-23T09:30:00"}"#)
        #expect(try JSONDecoder().decode(Payment.self, from: Data(json.utf8)) == payment)
    }

    @Test("instants decode from any RFC 3339 offset")
    func decodesOffsets() throws {
        let decoded = try JSONDecoder().decode([Instant].self, from: Data(#"["2026-11-24T16:00:00+08:00"]"#.utf8))
        #expect(decoded == [instant("2026-11-24T08:00:00Z")])
    }

    @Test("invalid strings fail decoding with the module's explanation", arguments: [
        #"["2026-02-30"]"#, #"["2026-1-01"]"#, #"[20261124]"#,
    ])
    func rejectsInvalid(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(json.utf8)) }
    }
}
