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
            // The parser follows the same grammar (and refuses a repeated name besides), and builds what
            // Foundation's parser builds.
            let parsed: ParsedJSON?
            do { parsed = try JSONSyntax.parse(bytes) } catch {
                parsed = nil
                if isObject, case .duplicateName = error.reason { continue }
            }
            if case .object = parsed {} else if isObject { disagreements.append("parse: " + text) }
            if isObject, let parsed, let foundation = try? JSONSerialization.jsonObject(with: Data(bytes)),
                !Self.same(parsed, foundation)
            {
                disagreements.append("value: " + text)
            }
        }
        #expect(compared > 15_000)
        #expect(accepted > 1_000 && compared - accepted > 1_000)  // both answers are exercised
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    /// Whether a parsed value is what `JSONSerialization` read from the same text (numbers by their value).
    static func same(_ parsed: ParsedJSON, _ foundation: Any) -> Bool {
        switch parsed {
        case .null: return foundation is NSNull
        case .bool(let value):
            guard let number = foundation as? NSNumber, String(cString: number.objCType) == "c" else { return false }
            return number.boolValue == value
        case .string(let text): return foundation as? String == text
        case .number(let number):
            guard let other = foundation as? NSNumber, String(cString: other.objCType) != "c" else { return false }
            return other.doubleValue == number.double
        case .array(let elements):
            guard let others = foundation as? [Any], others.count == elements.count else { return false }
            return zip(elements, others).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let others = foundation as? [String: Any], Set(others.keys) == Set(members.keys) else { return false }
            return members.allSatisfy { key, value in same(value, others[key]!) }
        }
    }

    @Test("parsing builds the values the text holds: escapes decoded, numbers as written")
    func parsedValues() throws {
        let text = #" {"s":"a\"b\\c\/\n\u00e9\ud83d\ude00名","n":[0,-0,12,1.0,1e3,-2.5E-2,9223372036854775808],"#
            + #""t":true,"f":false,"z":null,"o":{"k":[]}} "#
        let parsed = try JSONSyntax.parse(Array(text.utf8))
        let numbers: [(String, Bool)] = [
            ("0", true), ("-0", true), ("12", true), ("1.0", false), ("1e3", false), ("-2.5E-2", false),
            ("9223372036854775808", true),
        ]
        #expect(
            parsed
                == .object([
                    "s": .string("a\"b\\c/\né😀名"),
                    "n": .array(numbers.map { text, _ in .number(JSONNumber(text: text)) }),
                    "t": .bool(true), "f": .bool(false), "z": .null, "o": .object(["k": .array([])]),
                ]))
        // Whole: written without a fraction or an exponent.
        for (text, isWhole) in numbers { #expect(JSONNumber(text: text).isWhole == isWhole, "\(text)") }
        #expect(try JSONSyntax.parse(Array("[1, \"x\"]".utf8)) == .array([.number(JSONNumber(text: "1")), .string("x")]))
        #expect(try JSONSyntax.parse(Array(" 7 ".utf8)) == .number(JSONNumber(text: "7")))
    }

    @Test("a number says whether it fits in Int64 and what Double it is")
    func numbers() {
        #expect(JSONNumber(text: "-9223372036854775808").int64 == Int64.min)
        #expect(JSONNumber(text: "9223372036854775807").int64 == Int64.max)
        #expect(JSONNumber(text: "9223372036854775808").int64 == nil)
        #expect(JSONNumber(text: "1e3").int64 == nil)
        #expect(JSONNumber(text: "1e3").double == 1_000)
        #expect(JSONNumber(text: "-2.5E-2").double == -0.025)
        #expect(JSONNumber(text: "1e400").double == .infinity)
    }

    @Test("a parse error gives the offset where the text stops being JSON", arguments: [
        (#"{"a" 1}"#, 5), ("[1,]", 3), ("", 0), ("{", 1), (#"{"a":1} x"#, 8), (#"{"a":"\ud800"}"#, 12), ("[01]", 2),
    ])
    func parseErrors(text: String, offset: Int) {
        #expect(throws: JSONSyntaxError(offset: offset)) { try JSONSyntax.parse(Array(text.utf8)) }
    }

    @Test("parsing refuses nesting past 512 levels, as the check does, and says that was the reason")
    func parseDepth() {
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: JSONSyntaxError(offset: 512, reason: .nestingTooDeep)) { try JSONSyntax.parse(Array(deep.utf8)) }
        #expect((try? JSONSyntax.parse(Array(deepest.utf8))) != nil)
    }

    /// RFC 8259 leaves a repeated name to each parser ("the names within an object SHOULD be unique"): one keeps
    /// the first, another the last, so a proxy and the server could read different requests from the same bytes.
    @Test("parsing refuses a name repeated in one object, at the repeated name, with the path to it", arguments: [
        (#"{"a":1,"a":2}"#, 7, "a", [JSONPathComponent.key("a")]),
        (#"{"a":1,"\u0061":2}"#, 7, "a", [.key("a")]),
        (#"{"a":{"b":1},"a":{"b":1}}"#, 13, "a", [.key("a")]),
        (#"{"x":[{"k":1},{"k":1, "k":2}],"y":0}"#, 22, "k", [.key("x"), .index(1), .key("k")]),
    ])
    func duplicateNames(text: String, offset: Int, name: String, path: [JSONPathComponent]) {
        #expect(throws: JSONSyntaxError(offset: offset, reason: .duplicateName(name), path: path)) {
            try JSONSyntax.parse(Array(text.utf8))
        }
    }

    @Test("the same name in different objects is no repetition")
    func sameNameElsewhere() throws {
        let parsed = try JSONSyntax.parse(Array(#"{"a":{"a":1},"b":[{"a":2},{"a":3}]}"#.utf8))
        guard case .object(let members) = parsed else { Issue.record("an object"); return }
        #expect(members.count == 2)
    }
}
