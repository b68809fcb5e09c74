import Foundation

/// Reads the files commands are given, refusing what is missing, unreadable or too large before loading it.
enum InputFile {
    /// The bytes of the file at `path`, at most `maximumBytes` long.
    static func data(_ path: String, maximumBytes: Int) throws(InputError) -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? Int
        else { throw InputError("cannot read \(path)") }
        guard size <= maximumBytes else { throw InputError("\(path) is larger than \(maximumBytes) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read \(path)") }
        return data
    }

    /// The file at `path` as UTF-8 text.
    static func text(_ path: String, maximumBytes: Int) throws(InputError) -> String {
        let data = try data(path, maximumBytes: maximumBytes)
        guard let text = String(data: data, encoding: .utf8) else { throw InputError("\(path) is not UTF-8 text") }
        return text
    }
}
