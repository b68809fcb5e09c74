/// Text from outside (a merchant's feature names and values kept in a decision) made safe for an operator's
/// terminal: each control character (C0, DEL, C1: a newline, an ANSI escape) is written as `\u{XX}`, so one
/// record stays one line and nothing a merchant sent can move the cursor, clear the screen or recolour the output.
enum PrintableText {
    static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
