public import PaylaterStore
import PaylaterTime

/// The JSON body of a webhook request:
/// `{"id":…,"type":…,"created_at":…,"order_id":…,"sequence":…,"data":{…}}`, with `data` exactly as enqueued.
public enum WebhookPayload {
    /// The body's UTF-8 bytes; the same event always gives the same bytes, so a retry carries the same body.
    public static func body(of event: WebhookEventRecord) -> [UInt8] {
        var json = "{\"id\":\(quoted(event.id)),\"type\":\(quoted(event.type.rawValue))"
        json += ",\"created_at\":\(quoted(event.createdAt.description)),\"order_id\":\(quoted(event.orderID))"
        json += ",\"sequence\":\(event.sequence),\"data\":\(event.data)}"
        return Array(json.utf8)
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
