import Foundation
import PaylaterJSON
import PaylaterTime
import Testing

/// The check that a text is one JSON object agrees with a full parser, without building values, and says where a
/// text stops being one.
@Suite("JSON object syntax")
struct JSONSyntaxTests {
    /// What `JSONSerialization` says: the text parses, and as an object.
    static func parsesAsObject(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any]
    }

    @Test("objects of every kind of value are accepted", arguments: [
        "{}", " {} ", "\n\t{ }\r\n", #"{"a":1}"#, #"{"a":-0.5e+10,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"{"s":"\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 名字"}"#, #"{"a":[[],[{}],[1,2.0,3E2,0,-0]]}"#,
        #"{"dup":1,"dup":2}"#, #"{"big":123456789012345678901234567890}"#,
    ])
    func accepted(text: String) {
        #expect(JSONSyntax.isObject(text))
        #expect(Self.parsesAsObject(text))
    }

    @Test("anything else is refused", arguments: [
        "", " ", "[]", "1", "\"{}\"", "null", "{} {}", "{", "}", "{,}", #"{"a"}"#, #"{"a":}"#,
        #"{"a":1 "b":2}"#, #"{a:1}"#, #"{'a':1}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#,
        #"{"a":+1}"#, #"{"a":-}"#, #"{"a":tru}"#, #"{"a":nulls}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#,
        #"{"a":"\ud800"}"#, #"{"a":"\udc00\ud800"}"#, #"{"a":"\ud800\u0041"}"#, "{\"a\":\"tab\there\"}",
        "{\"a\":\"\u{0}\"}", #"{"a":[1 2]}"#, "{\"a\":1}\u{0}", #"{"a":NaN}"#, #"{"a":Infinity}"#,
    ])
    func refused(text: String) {
        #expect(!JSONSyntax.isObject(text))
        #expect(!Self.parsesAsObject(text))
    }

    /// RFC 8259 has no trailing commas, and many merchants' parsers refuse them; the Foundation on Linux accepts
    /// them, so they are the one place the scan is stricter than `JSONSerialization`.
    @Test("a trailing comma is refused", arguments: [#"{"a":1,}"#, #"{"a":[1,]}"#, #"{"a":{"b":2,}}"#, "{\"a\":1 ,\n}"])
    func trailingComma(text: String) {
        #expect(!JSONSyntax.isObject(text))
    }

    @Test("nesting is refused past 512 levels")
    func depth() {
        func nested(_ levels: Int) -> String {
            String(repeating: #"{"a":"#, count: levels - 1) + "{}" + String(repeating: "}", count: levels - 1)
        }
        #expect(JSONSyntax.isObject(nested(512)))
        #expect(!JSONSyntax.isObject(nested(513)))
    }

    /// Seeded mutations of valid objects (a byte inserted, deleted or replaced, from the characters that matter
    /// to the grammar): the scan and `JSONSerialization` give the same answer on every one, trailing commas aside
    /// (mutants with a comma before a closing bracket, even inside a string, are left out).
    @Test("agrees with JSONSerialization on 20,000 mutated objects")
    func agreesWithAParser() {
        let seeds = [
            #"{"a":1,"b":[true,false,null],"c":{"d":"e\n"},"f":-2.5e3}"#, #"{"order_id":"ord_1","amount":{"amount":100}}"#,
            #"{"x":[[1],[2,[3]]],"y":"\u00e9"}"#, "{}",
        ]
        let alphabet = Array(#"{}[]",:\ 0123.-eE+tfnul"#.utf8) + [0x0A, 0x09, 0x00, 0x41]
        var random = SplitMix64(seed: 20_261_206)
        var disagreements: [String] = []
        var (compared, accepted) = (0, 0)
        for _ in 0..<20_000 {
            var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &random)].utf8)
            for _ in 0...Int.random(in: 0..<3, using: &random) {
                let position = Int.random(in: 0...bytes.count, using: &random)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: if position < bytes.count { bytes[position] = byte }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if text.contains(/,\s*[}\]]/) { continue }
            compared += 1
            let isObject = JSONSyntax.isObject(text)
            if isObject { accepted += 1 }
            if isObject != Self.parsesAsObject(text) { disagreements.append(text) }
        }
        #expect(compared > 15_000)
        #expect(accepted > 1_000 && compared - accepted > 1_000)  // both answers are exercised
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }
}
