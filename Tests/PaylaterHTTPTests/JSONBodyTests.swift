import PaylaterHTTP
import PaylaterTestSupport
import Testing

@Suite("JSON request bodies")
struct JSONBodyTests {
    static let json = [("Content-Type", "application/json")]

    @Test("a valid order body is read field by field")
    func validBody() throws {
        let test = try TestServer()
        defer { test.server.shutdown(grace: .zero) }
        let body = #"{"amount":1250,"currency":"EUR","items":[{"sku":"A-1","quantity":2}],"note":null}"#
        let response = try test.client.send("POST", "/v1/orders", headers: Self.json, text: body)
        #expect(response.status == 201)
        #expect(response.bodyText == #"{"amount":1250,"capture":false,"currency":"EUR","skus":["A-1"]}"#)
    }

    /// Bodies the order route must refuse: the problem type's last segment and the field at fault.
    static let refusals: [(body: String, type: String, field: String?)] = [
        ("{", "malformed-json", nil),
        (#"{"amount":1}x"#, "malformed-json", nil),
        (#"{"amount":1250,"currency":"EUR","items":[],}"#, "malformed-json", nil),
        (#"{"amount":1250,"currency":"EUR","items":[{"sku":"A-1","quantity":2,}]}"#, "malformed-json", nil),
        (#"{"amount":1250,"currency":"EUR","items":[{"sku":"A-1","quantity":2},]}"#, "malformed-json", nil),
        ("[1,2]", "validation", ""),
        (#"{"amount":"12","currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":1.5,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":1.0,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":1e3,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":true,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":9223372036854775808,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":99999999999999999999,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":null,"currency":"EUR","items":[]}"#, "validation", "/amount"),
        (#"{"amount":1,"currency":"","items":[]}"#, "validation", "/currency"),
        (#"{"amount":1,"currency":7,"items":[]}"#, "validation", "/currency"),
        (#"{"amount":1,"currency":"EUR","items":[{"sku":"A","quantity":"2"}]}"#, "validation", "/items/0/quantity"),
        (#"{"amount":1,"currency":"EUR","items":[{"sku":"A","quantity":1},3]}"#, "validation", "/items/1"),
        (#"{"amount":1,"currency":"EUR","items":{}}"#, "validation", "/items"),
        (#"{"amount":1,"currency":"EUR","items":[],"capture":"yes"}"#, "validation", "/capture"),
        (#"{"amount":1,"currency":"EUR","items":[],"zeta":1,"alpha":2}"#, "validation", "/alpha"),
        (#"{"amount":1,"currency":"EUR","items":[{"sku":"A","quantity":1,"a/b":0}]}"#, "validation", "/items/0/a~1b"),
        (#"{"amount":1,"currency":"EUR","items":[{"sku":"A","quantity":1,"~a/~1":0}]}"#, "validation", "/items/0/~0a~1~01"),
        (#"{"amount":1,"currency":"EUR","items":[{"sku":"A","quantity":1,"é~":0}]}"#, "validation", "/items/0/é~0"),
        (#"{"amount":1,"currency":"EUR","items":[],"amount":2}"#, "malformed-json", "/amount"),
        (#"{"amount":1,"currency":"EUR","items":[{"sku":"A","quantity":1,"a/b":0,"a\/b":1}]}"#, "malformed-json", "/items/0/a~1b"),
    ]

    @Test("malformed JSON, wrong types, floats and unknown keys are problems naming the field", arguments: refusals)
    func refusedBodies(body: String, type: String, field: String?) throws {
        let test = try TestServer()
        defer { test.server.shutdown(grace: .zero) }
        let response = try test.client.send("POST", "/v1/orders", headers: Self.json, text: body)
        #expect((400...499).contains(response.status))
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(problemType(response) == problemPrefix + type)
        #expect(problemField(response) == field)
    }

    @Test("a body that is not UTF-8 is an invalid-utf8 problem whose field is body, as docs/API.md says")
    func invalidUTF8Body() throws {
        let test = try TestServer()
        defer { test.server.shutdown(grace: .zero) }
        let body = Array(#"{"currency":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let response = try test.client.send("POST", "/v1/orders", headers: Self.json, body: body)
        #expect(response.status == 400)
        #expect(problemType(response) == problemPrefix + "invalid-utf8")
        #expect(problemField(response) == "body")
    }

    @Test("a body that is not application/json is a 415 problem")
    func wrongMediaType() throws {
        let test = try TestServer()
        defer { test.server.shutdown(grace: .zero) }
        let response = try test.client.send("POST", "/v1/orders", headers: [("Content-Type", "text/plain")], text: "{}")
        #expect(response.status == 415)
        #expect(problemType(response) == problemPrefix + "unsupported-media-type")
        let withCharset = try test.client.send(
            "POST", "/v1/orders", headers: [("Content-Type", "Application/JSON; charset=utf-8")], text: "{}"
        )
        #expect(problemType(withCharset) == problemPrefix + "validation")
    }

    @Test("a malformed-json problem gives the parser's position")
    func malformedPosition() {
        #expect(throws: HTTPProblem.self) { try JSONObjectReader(body: Array(#"{"a" 1}"#.utf8)) }
        do {
            _ = try JSONObjectReader(body: Array(#"{"a" 1}"#.utf8))
        } catch {
            #expect(error.extensions["position"] == .integer(5))
        }
    }

    @Test("a repeated name is malformed JSON naming the name, at the byte where it repeats")
    func duplicateName() {
        #expect(throws: HTTPProblem.self) { try JSONObjectReader(body: Array(#"{"a":1,"a":2}"#.utf8)) }
        do {
            _ = try JSONObjectReader(body: Array(#"{"a":1,"a":2}"#.utf8))
        } catch {
            #expect(error.status == 400 && error.field == "/a" && error.extensions["position"] == .integer(7))
            #expect(error.detail?.contains(#""a" twice"#) == true, "\(error)")
        }
    }

    @Test("a body nested past the parser's limit is refused saying so, not called invalid JSON")
    func nestingTooDeep() {
        let body = Array((#"{"a":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}").utf8)
        #expect(throws: HTTPProblem.self) { try JSONObjectReader(body: body) }
        do {
            _ = try JSONObjectReader(body: body)
        } catch {
            #expect(error.status == 400 && error.type.hasSuffix("malformed-json"))
            #expect(error.detail?.contains("nested more than 512 levels") == true, "\(error)")
            #expect(error.detail?.contains("not valid JSON") == false, "\(error)")
        }
    }

    @Test("a trailing comma, which Foundation's parser lets through, is malformed JSON at the byte where it ends")
    func trailingComma() {
        let body = Array(#"{"a":1,}"#.utf8)
        #expect(throws: HTTPProblem.self) { try JSONObjectReader(body: body) }
        do {
            _ = try JSONObjectReader(body: body)
        } catch {
            #expect(error.type.hasSuffix("malformed-json"))
            #expect(error.extensions["position"] == .integer(7))
        }
    }

    @Test("optional accessors give nil for missing and null, and integers at the Int64 limits are read")
    func optionalsAndLimits() throws {
        let reader = try JSONObjectReader(
            body: Array(#"{"max":9223372036854775807,"min":-9223372036854775808,"none":null,"flag":false,"o":{"x":"y"}}"#.utf8)
        )
        let maximum = try reader.integer("max")
        let minimum = try reader.integer("min")
        let none = try reader.optionalInteger("none")
        let absent = try reader.optionalString("absent")
        let flag = try reader.bool("flag")
        let nested = try reader.object("o").string("x")
        #expect(maximum == Int64.max)
        #expect(minimum == Int64.min)
        #expect(none == nil)
        #expect(absent == nil)
        #expect(flag == false)
        #expect(nested == "y")
    }

    @Test("a number is read with or without a fraction, while anything else, or one beyond Double, is refused")
    func numbers() throws {
        let reader = try JSONObjectReader(
            body: Array(#"{"whole":3,"fraction":-2.5e-1,"text":"1","flag":true,"huge":1e400,"list":[1]}"#.utf8))
        #expect(try reader.optionalNumber("whole") == 3)
        #expect(try reader.optionalNumber("fraction") == -0.25)
        #expect(try reader.optionalNumber("absent") == nil)
        for key in ["text", "flag", "huge", "list"] {
            #expect(throws: HTTPProblem.self, "\(key)") { try reader.optionalNumber(key) }
        }
        do {
            _ = try reader.integer("fraction")
        } catch {
            #expect(error.detail == "Expected a whole number, got -2.5e-1.")
        }
    }

    @Test("JSON responses are written with sorted keys and escaped strings")
    func deterministicResponses() {
        let value = JSONValue.object(["b": .integer(1), "a": .array([.null, .bool(true), .string("q\"\\\n\u{1}é")])])
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"a":[null,true,"q\"\\\n\u0001é"],"b":1}"#)
        struct Item: Encodable { let zeta = 1; let alpha = "/" }
        #expect(String(decoding: HTTPResponse.json(encoding: Item()).body, as: UTF8.self) == #"{"alpha":"/","zeta":1}"#)
    }
}

@Suite("Header values")
struct HeaderValueTests {
    @Test("optional whitespace is spaces and tabs around a value; anything else, inside or not, stays",
          arguments: [
              ("  application/json\t", "application/json"), ("\t \t", ""), ("", ""), ("a b", "a b"),
              ("\u{A0}key\u{A0}", "\u{A0}key\u{A0}"), (" 鍵 \t", "鍵"), ("x\n", "x\n"),
          ])
    func trimming(value: String, expected: String) {
        #expect(value[...].trimmingOptionalWhitespace() == expected[...])
        #expect(("Bearer" + value).dropFirst(6).trimmingOptionalWhitespace() == expected[...])
    }
}
