import Foundation

/// Reads the system tzdata directly, independently of the module under test, to cross-check it.
enum TimeZoneFiles {
    static let directory = "/usr/share/zoneinfo"

    /// The raw bytes of a tzdata file.
    static func bytes(of identifier: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory + "/" + identifier).map { Array($0) }
    }

    /// The POSIX TZ footer of a TZif file: the text between the last two newlines.
    static func footer(of identifier: String) -> String? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + identifier) else { return nil }
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= 2 else { return nil }
        return String(decoding: lines[lines.count - 2], as: UTF8.self)
    }

    /// Every zone and link name listed in tzdata.zi ("Z name …" and "L target name" lines).
    static func allIdentifiers() -> [String] {
        guard let text = try? String(contentsOfFile: directory + "/tzdata.zi", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            switch fields.first {
            case "Z": return fields.count > 1 ? String(fields[1]) : nil
            case "L": return fields.count > 2 ? String(fields[2]) : nil
            default: return nil
            }
        }
    }
}
