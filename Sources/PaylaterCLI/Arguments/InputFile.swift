import Foundation

/// Reads the files commands are given, refusing what is missing, unreadable or too large before loading it.
enum InputFile {
    /// The bytes of the file at `path`, at most `maximumBytes` long.
    static func data(_ path: String, maximumBytes: Int) throws(InputError) -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? Int
        else { throw InputError("cannot read \(path)\(whereRelative(path))") }
        guard size <= maximumBytes else { throw InputError("\(path) is larger than \(maximumBytes) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read \(path)") }
        return data
    }

    /// For a relative path that is not there, where it was looked for: the defaults (`config/…`) are relative to
    /// the working directory, and a command run outside the repository only said it could not read them.
    private static func whereRelative(_ path: String) -> String {
        guard !path.hasPrefix("/"), !FileManager.default.fileExists(atPath: path) else { return "" }
        return " (no such file under \(FileManager.default.currentDirectoryPath); give the option an absolute path, "
            + "or run from the directory that holds it)"
    }

    /// The file at `path` as UTF-8 text.
    static func text(_ path: String, maximumBytes: Int) throws(InputError) -> String {
        let data = try data(path, maximumBytes: maximumBytes)
        guard let text = String(data: data, encoding: .utf8) else { throw InputError("\(path) is not UTF-8 text") }
        return text
    }
}
