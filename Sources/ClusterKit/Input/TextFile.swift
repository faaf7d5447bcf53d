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
            throw InputError(file: path, reason: "is not UTF-8 text")
        }
        return text
    }

    /// Writes `contents` atomically: to a temporary file beside `path`, then renamed over it.
    public static func writeAtomically(_ contents: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url, options: .atomic)
    }
}
