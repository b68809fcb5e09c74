public import Foundation

/// How an error message names a value `JSONSerialization` read, for the readers of the platform's own files (the
/// product catalog, the credit policy): `true`, `"14" (a string)`, `an array`, or the number as written. A boolean
/// is an `NSNumber` too, which would print as 1 and make "1 is not a whole number" of a `true`.
public enum JSONValueName {
    public static func of(_ raw: Any) -> String {
        switch raw {
        case let number as NSNumber where isBoolean(number): number.boolValue ? "true" : "false"
        case let text as String: "\"\(text.prefix(40))\" (a string)"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "\(raw)"
        }
    }

    /// Whether `JSONSerialization` read `number` from `true` or `false`.
    public static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }
}
