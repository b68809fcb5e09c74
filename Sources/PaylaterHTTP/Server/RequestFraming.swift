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

    /// Why the request cannot be read safely, or `nil` when its framing is sound.
    var refusal: HTTPProblem? {
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

extension String {
    /// Whether the value, without the optional whitespace around it, is `other` ignoring ASCII case.
    fileprivate func trimmedEquals(_ other: String) -> Bool {
        String(self[...].trimmingOptionalWhitespace()).caseInsensitiveEquals(other)
    }
}
