/// The header fields that say where a request's body ends (`Content-Length`, `Transfer-Encoding`) and which host it
/// is for (`Host`), each value as received, and what is wrong with them if anything.
///
/// libmicrohttpd reads the first `Content-Length` and ignores the rest, and reads a body as chunked when
/// `Transfer-Encoding` is there whatever `Content-Length` says, keeping the connection open afterwards. A proxy in
/// front that honours the other value sees one request where this server sees two (request smuggling), so such a
/// request is refused before its body is read, and its connection closed (RFC 9112 §6.3).
struct RequestFraming: Sendable, Equatable {
    /// The protocol version on the request line, such as `HTTP/1.1`.
    var version: String
    var contentLengths: [String] = []
    var transferEncodings: [String] = []
    var hosts: [String] = []
    /// The first field line that was not read as sent, if any: one reader could take it for another field (or
    /// none) and another for `Transfer-Encoding` or `Content-Length`.
    var malformedLine: MalformedFieldLine?

    /// Why the request cannot be read safely, or `nil` when its framing is sound.
    var refusal: HTTPProblem? {
        if let malformedLine { return malformedLine.problem }
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty {
                return .malformedRequest(
                    detail: "Transfer-Encoding and Content-Length cannot both be given.", field: "Transfer-Encoding")
            }
            guard version == "HTTP/1.1" else {
                return .malformedRequest(detail: "Transfer-Encoding needs HTTP/1.1.", field: "Transfer-Encoding")
            }
            guard transferEncodings.count == 1, transferEncodings[0].trimmedEquals("chunked") else {
                return .malformedRequest(
                    detail: "The only transfer coding accepted is chunked, given once.", field: "Transfer-Encoding")
            }
        }
        if let first = contentLengths.first, contentLengths.contains(where: { !$0.trimmedEquals(first) }) {
            return .malformedRequest(
                detail: "Content-Length is given more than once with different values.", field: "Content-Length")
        }
        // RFC 9112 §3.2; libmicrohttpd checks it only in its strict mode, whose refusal is sent garbled (see docs/API.md).
        if version == "HTTP/1.1", hosts.count != 1 {
            return .malformedRequest(detail: "An HTTP/1.1 request needs exactly one Host.", field: "Host")
        }
        return nil
    }
}

/// A header field line that is not `token ":" OWS value OWS` on a line of its own (RFC 9112 §5).
///
/// libmicrohttpd 0.9.75 keeps such a line: with whitespace before the colon the name it gives is
/// `"Transfer-Encoding "`, which no lookup of `Transfer-Encoding` finds, so it frames the request by `Content-Length`
/// while a lenient proxy in front reads it as chunked; and it appends an obsolete line folding's continuation to the
/// field's *name* (`Transfer-Encoding:` then ` chunked` becomes a field `Transfer-Encodingchunked` with an empty
/// value). RFC 9112 §5.1 and §5.2 let a server refuse both with 400.
enum MalformedFieldLine: Sendable, Equatable {
    /// The name is not a token: empty, or with whitespace (before the colon), a separator, a control or a non-ASCII
    /// byte in it. The name as received, not UTF-8 bytes replaced.
    case nameNotAToken(String)
    /// The field's value continues on the next line (obs-fold); the name libmicrohttpd made of it.
    case folded(String)

    /// The most spaces and tabs read between a colon and its value; a field with more is refused as if folded
    /// (a value that does not follow its name is not read byte by byte back to it).
    static let whitespaceBytesMaximum = 1_024

    /// Whether `byte` may appear in a token (RFC 9110 §5.6.2: `tchar`).
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    var problem: HTTPProblem {
        switch self {
        case .nameNotAToken(let name):
            .malformedRequest(
                detail: "A header field name must be a token (RFC 9110 §5.1), with nothing between it and its colon;"
                    + " \"\(HTTPProblem.excerpt(name))\" is not.",
                field: HTTPProblem.excerpt(name))
        case .folded(let name):
            .malformedRequest(
                detail: "A header field's value must be on one line: obsolete line folding (a line that starts with"
                    + " a space or a tab) is refused (RFC 9112 §5.2).",
                field: HTTPProblem.excerpt(name))
        }
    }
}

extension String {
    /// Whether the value, without the optional whitespace around it, is `other` ignoring ASCII case.
    fileprivate func trimmedEquals(_ other: String) -> Bool {
        String(self[...].trimmingOptionalWhitespace()).caseInsensitiveEquals(other)
    }
}
