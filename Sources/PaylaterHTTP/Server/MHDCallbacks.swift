import CMicroHTTPD
import Glibc
import Synchronization

// libmicrohttpd's callbacks: global functions (not closures in main.swift, which would inherit @MainActor), reaching
// the server through `cls` (an unretained ServerCore) and the request through `*con_cls` (a retained RequestContext
// released when the request completes).

/// Called once when headers arrive (`*con_cls` is nil), once per body chunk, and once more with no data when the
/// body is complete; only then is the handler called, so it never sees a partial body.
func mhdAccessHandler(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?, conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let uploadDataSize, let conCls else { return .NO }
    let core = Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
    guard let existing = conCls.pointee else {
        return beginRequest(core: core, connection: connection, url: url, method: method, version: version, conCls: conCls)
    }
    let context = Unmanaged<RequestContext>.fromOpaque(existing).takeUnretainedValue()
    let chunkSize = uploadDataSize.pointee
    if chunkSize > 0 {
        uploadDataSize.pointee = 0
        guard context.status == nil else { return .YES }  // Answered early: drop what still arrives.
        context.bytesIn += chunkSize
        // A chunked body past the limit (no Content-Length warned us): drop the rest and answer 413 at its end,
        // unless it goes on far past the limit, whose connection is closed.
        if context.bodyTooLarge || context.body.count + chunkSize > core.bodyBytesMaximum {
            context.bodyTooLarge = true
            context.body = []
            return context.bytesIn <= core.bodyBytesMaximum * ServerCore.oversizedBodyReadFactor ? .YES : .NO
        }
        guard let uploadData else { return .NO }
        uploadData.withMemoryRebound(to: UInt8.self, capacity: chunkSize) { bytes in
            context.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: chunkSize))
        }
        return .YES
    }
    guard context.status == nil else { return .YES }
    if context.bodyTooLarge {
        return queue(HTTPProblem.bodyTooLarge(limitBytes: core.bodyBytesMaximum).response, core, connection, context)
    }
    return answer(core: core, connection: connection, context: context)
}

/// Creates the request's context, and answers at once when the framing is unsafe, the declared body is too large or
/// the path is not UTF-8.
private func beginRequest(
    core: ServerCore, connection: OpaquePointer, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?, conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>
) -> MHD_Result {
    // The path as sent: libmicrohttpd leaves escapes alone (mhdKeepEscapes), so `%2F` is still inside its segment.
    let rawPath = url.map { String(cString: $0) } ?? ""
    let segments = RouteTemplate.split(rawPath).map(PercentDecoding.decodedString)
    let methodToken = method.map { String(cString: $0) } ?? ""
    let context = RequestContext(
        method: HTTPMethod(methodToken), path: rawPath,
        requestID: core.requestID(proposed: connectionValue(connection, kind: .HEADER_KIND, key: "X-Request-Id")),
        remoteAddress: clientAddress(connection)
    )
    conCls.pointee = Unmanaged.passRetained(context).toOpaque()
    core.inFlight.withLock { $0 += 1 }
    if let refusal = requestFraming(connection, version: version).refusal {
        context.closesConnection = true
        return queue(refusal.response, core, connection, context)
    }
    guard url.flatMap({ String(validatingCString: $0) }) != nil, !segments.contains(nil) else {
        return queue(HTTPProblem.invalidUTF8(field: "path", detail: "The path is not UTF-8.").response, core, connection, context)
    }
    context.pathSegments = segments.map { $0! }
    if let declared = connectionValue(connection, kind: .HEADER_KIND, key: "Content-Length"),
        Int(declared).map({ $0 > core.bodyBytesMaximum }) ?? false
    {
        return queue(HTTPProblem.bodyTooLarge(limitBytes: core.bodyBytesMaximum).response, core, connection, context)
    }
    return .YES
}

/// Builds the request from the complete body, calls the handler and queues its response.
private func answer(core: ServerCore, connection: OpaquePointer, context: RequestContext) -> MHD_Result {
    let headerFields = ValueCollector(decodesEscapes: false)
    headerFields.collect(connection, kind: .HEADER_KIND)
    if let name = headerFields.firstNotUTF8 {
        let problem = HTTPProblem.invalidUTF8(
            field: HTTPProblem.excerpt(name), detail: "The \(HTTPProblem.excerpt(name)) header is not UTF-8.")
        return queue(problem.response, core, connection, context)
    }
    let query = ValueCollector(decodesEscapes: true)
    query.collect(connection, kind: .GET_ARGUMENT_KIND)
    guard query.firstNotUTF8 == nil else {
        return queue(HTTPProblem.invalidUTF8(field: "query", detail: "The query is not UTF-8.").response, core, connection, context)
    }
    let request = HTTPRequest(
        method: context.method, path: PercentDecoding.decodedString(context.path[...]) ?? context.path,
        pathSegments: context.pathSegments, queryItems: query.pairs,
        headers: HTTPHeaders(headerFields.pairs.map { (name: $0.name, value: $0.value ?? "") }),
        body: context.body, remoteAddress: context.remoteAddress, requestID: context.requestID
    )
    context.body = []
    return queue(core.handler.respond(to: request), core, connection, context)
}

/// Hands `response` to libmicrohttpd, adding `X-Request-Id` (and `Connection: close` while shutting down, or when the
/// request's framing leaves the next request's start unknown).
private func queue(
    _ response: HTTPResponse, _ core: ServerCore, _ connection: OpaquePointer, _ context: RequestContext
) -> MHD_Result {
    var body = response.body
    let created = body.withUnsafeMutableBytes { buffer in
        MHD_create_response_from_buffer(buffer.count, buffer.baseAddress, .RESPMEM_MUST_COPY)
    }
    guard let mhdResponse = created else { return .NO }
    defer { MHD_destroy_response(mhdResponse) }
    for (name, value) in response.headers
    where !name.caseInsensitiveEquals("Content-Length") && !name.caseInsensitiveEquals("Transfer-Encoding") {
        _ = MHD_add_response_header(mhdResponse, name, value)  // Refused only for CR or LF in the text.
    }
    _ = MHD_add_response_header(mhdResponse, "X-Request-Id", context.requestID)
    if context.closesConnection || core.shuttingDown.load(ordering: .relaxed) {
        _ = MHD_add_response_header(mhdResponse, "Connection", "close")
    }
    context.status = response.status
    context.route = response.routeTemplate
    context.bytesOut = context.method == .head ? 0 : response.body.count  // libmicrohttpd sends no body for HEAD.
    return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
}

/// Called when libmicrohttpd is done with a request, however it ended; releases the context.
func mhdRequestCompleted(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    termination: MHD_RequestTerminationCode
) {
    guard let cls, let conCls, let raw = conCls.pointee else { return }
    conCls.pointee = nil
    let context = Unmanaged<RequestContext>.fromOpaque(raw).takeRetainedValue()
    Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().finish(context)
}

/// The request's framing header fields, gathered by `mhdCollectFraming`.
private func requestFraming(_ connection: OpaquePointer, version: UnsafePointer<CChar>?) -> RequestFraming {
    let collector = FramingCollector(RequestFraming(version: version.map { String(cString: $0) } ?? ""))
    _ = MHD_get_connection_values(
        connection, .HEADER_KIND, mhdCollectFraming, Unmanaged.passUnretained(collector).toOpaque())
    return collector.framing
}

private final class FramingCollector {
    var framing: RequestFraming
    init(_ framing: RequestFraming) { self.framing = framing }
}

private func mhdCollectFraming(
    cls: UnsafeMutableRawPointer?, kind: MHD_ValueKind, key: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    let collector = Unmanaged<FramingCollector>.fromOpaque(cls).takeUnretainedValue()
    if collector.framing.malformedLine == nil {
        collector.framing.malformedLine = malformedFieldLine(key: key, value: value)
    }
    // Names compared as C strings, and only the three fields' values made into strings: this runs over every
    // header of every request, before the headers are gathered again for the handler.
    let text = { value.map { String(cString: $0) } ?? "" }
    if strcasecmp(key, "Content-Length") == 0 {
        collector.framing.contentLengths.append(text())
    } else if strcasecmp(key, "Transfer-Encoding") == 0 {
        collector.framing.transferEncodings.append(text())
    } else if strcasecmp(key, "Host") == 0 {
        collector.framing.hosts.append(text())
    }
    return .YES
}

/// What is wrong with the field line libmicrohttpd read as `key` and `value`, or `nil` if it was read as sent.
///
/// Relies on how libmicrohttpd 0.9.75 stores a field (pinned by RequestFramingTests): `key` and `value` point into
/// the line as received, the name cut where the colon was and the value after the whitespace that follows it, so a
/// name with whitespace before the colon still has it; an obs-fold's continuation is appended to the name in a new
/// block of the connection's memory pool, after which the value no longer follows its name.
private func malformedFieldLine(key: UnsafePointer<CChar>, value: UnsafePointer<CChar>?) -> MalformedFieldLine? {
    let nameLength = strlen(key)
    let name = UnsafeRawBufferPointer(start: key, count: nameLength)
    guard nameLength > 0, name.allSatisfy(MalformedFieldLine.isTokenCharacter) else {
        return .nameNotAToken(String(decoding: name, as: UTF8.self))
    }
    // Where the value starts relative to the name: just past the name's end (the colon), then spaces and tabs.
    let gap = value.map { key.distance(to: $0) - nameLength - 1 } ?? -1
    let isWhitespace = { (byte: CChar) in byte == CChar(UInt8(ascii: " ")) || byte == CChar(UInt8(ascii: "\t")) }
    guard gap >= 0, gap <= MalformedFieldLine.whitespaceBytesMaximum,
        (0..<gap).allSatisfy({ isWhitespace(key[nameLength + 1 + $0]) })
    else { return .folded(String(decoding: name, as: UTF8.self)) }
    return nil
}

/// Name-value pairs gathered by `mhdCollectValue`; query names and values have their escapes decoded.
private final class ValueCollector {
    var pairs: [(name: String, value: String?)] = []
    /// The name of the first pair whose name or value is not UTF-8 (kept with U+FFFD in `pairs`).
    var firstNotUTF8: String?
    let decodesEscapes: Bool

    init(decodesEscapes: Bool) { self.decodesEscapes = decodesEscapes }

    /// Adds the connection's values of `kind`.
    func collect(_ connection: OpaquePointer, kind: MHD_ValueKind) {
        _ = MHD_get_connection_values(connection, kind, mhdCollectValue, Unmanaged.passUnretained(self).toOpaque())
    }
}

private func mhdCollectValue(
    cls: UnsafeMutableRawPointer?, kind: MHD_ValueKind, key: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    let collector = Unmanaged<ValueCollector>.fromOpaque(cls).takeUnretainedValue()
    guard collector.pairs.count < 1_000 else { return .NO }
    var valid = true
    func text(_ pointer: UnsafePointer<CChar>) -> String {
        let raw = UnsafeBufferPointer(start: pointer, count: strlen(pointer)).withMemoryRebound(to: UInt8.self) { Array($0) }
        let bytes = collector.decodesEscapes ? PercentDecoding.decode(raw) : raw
        guard let text = String(validating: bytes, as: UTF8.self) else {
            valid = false
            return String(decoding: bytes, as: UTF8.self)
        }
        return text
    }
    let pair = (name: text(key), value: value.map(text))
    if !valid, collector.firstNotUTF8 == nil { collector.firstNotUTF8 = pair.name }
    collector.pairs.append(pair)
    return .YES
}

/// libmicrohttpd's unescape callback: leaves the path and query as sent (returns their length unchanged), so that
/// the server decodes each path segment after splitting at `/`, and `%00` cannot cut a C string short.
func mhdKeepEscapes(cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, text: UnsafeMutablePointer<CChar>?) -> Int {
    text.map { strlen($0) } ?? 0
}

/// The first value of `key` of `kind` (header names ignore case).
private func connectionValue(_ connection: OpaquePointer, kind: MHD_ValueKind, key: String) -> String? {
    MHD_lookup_connection_value(connection, kind, key).map { String(cString: $0) }
}

private func clientAddress(_ connection: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    guard cmhd_client_address(connection, &buffer, socklen_t(buffer.count)) == 0 else { return "" }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
