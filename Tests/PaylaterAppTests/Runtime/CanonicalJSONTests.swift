import Foundation
@testable import PaylaterApp
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    private struct Sample: Encodable {
        let zeta: Int
        let alpha: String
        let nested: [String: [Int]]
    }

    @Test("keys are sorted, there is no whitespace and slashes are not escaped")
    func canonical() throws {
        let text = try CanonicalJSON.encode(Sample(zeta: 1, alpha: "a/b", nested: ["y": [2], "x": []]))
        #expect(text == #"{"alpha":"a/b","nested":{"x":[],"y":[2]},"zeta":1}"#)
    }

    @Test("a list of texts encodes as the general encoder does, the empty one included", arguments: [
        [], [""], ["late payment"], ["a/b", "\"quoted\"", "tab\there", "新的", "line\nbreak"],
    ])
    func texts(_ texts: [String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try CanonicalJSON.encode(texts) == String(decoding: try encoder.encode(texts), as: UTF8.self))
    }
}
