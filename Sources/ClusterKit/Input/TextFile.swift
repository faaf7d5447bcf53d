import Foundation

/// Reads a whole text file, turning every failure into an `InputError` naming the file.
public enum TextFile {
    public static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw InputError(file: path, reason: "is a directory, expected a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let bad = firstInvalidUTF8(data)
            throw InputError(file: path, line: bad.line, reason: "is not UTF-8 text (byte \(bad.offset) of the file)")
        }
        return text
    }

    /// The line (1-based) and byte offset (0-based) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (line: Int, offset: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var line = 1, offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar):
                if scalar.count == 1 && scalar.first == 0x0A { line += 1 }
                offset += scalar.count
            case .error: return (line, offset)
            case .emptyInput: return (line, offset)
            }
        }
    }

    /// Writes `contents` atomically: to a temporary file beside `path`, then renamed over it.
    /// Every failure is an `InputError` naming the path.
    public static func writeAtomically(_ contents: String, to path: String) throws {
        guard !path.isEmpty else { throw InputError(file: "--out", reason: "must name a file, got an empty path") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: path, reason: "is a folder, expected a file path")
        }
        let url = URL(fileURLWithPath: path)
        try OutputFolder.createFolder(url.deletingLastPathComponent().path)
        do {
            try Data(contents.utf8).write(to: url, options: .atomic)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw InputError(file: path, reason: "cannot write: \(reason)")
        }
    }
}
