#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writing a folder of result files all or nothing.
///
/// The files are written to a private temporary folder beside the target (its name holds the
/// process id and a random suffix), then, under an exclusive lock on the parent folder, either
/// the whole temporary folder is renamed to the target (when the target does not exist) or
/// each file is renamed over its namesake (other files a user put there are kept). The
/// temporary folder is removed on every path, success or failure. Every failure is an
/// `InputError` naming the path and the system's reason.
public enum OutputFolder {
    /// Checks that `path` can name an output folder: not empty, not an existing file.
    public static func check(_ path: String, flag: String = "--out") throws {
        guard !path.isEmpty else { throw InputError(file: flag, reason: "must name a folder, got an empty path") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw InputError(file: path, reason: "is a file; \(flag) must name a folder")
        }
        // The nearest existing ancestor must be a writable folder, so a run fails before it starts.
        var ancestor = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) && ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
        }
        guard isDirectory.boolValue, access(ancestor.path, W_OK) == 0 else {
            throw InputError(file: path, reason: "cannot be written: \(ancestor.path) is not a writable folder")
        }
    }

    /// Replaces `files` (name, contents) in the folder `path`, creating it and its parents.
    public static func replaceFiles(in path: String, with files: [(name: String, contents: Data)]) throws {
        try check(path)
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try createFolder(parent.path)
        let temp = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard mkdir(temp.path, 0o755) == 0 else { throw failure(target.path, "cannot create a temporary folder beside it") }
        defer { try? FileManager.default.removeItem(at: temp) }
        for (name, contents) in files {
            let file = temp.appendingPathComponent(name).path
            guard FileManager.default.createFile(atPath: file, contents: contents) else { throw failure(file, "cannot write") }
        }
        let lock = open(parent.path, O_RDONLY | O_DIRECTORY)
        guard lock >= 0 else { throw failure(parent.path, "cannot open the folder to lock it") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw failure(parent.path, "cannot lock the folder") }
        defer { flock(lock, LOCK_UN) }
        try check(path)
        if !FileManager.default.fileExists(atPath: target.path) {
            guard rename(temp.path, target.path) == 0 else { throw failure(target.path, "cannot move the results into place") }
            return
        }
        for (name, _) in files {
            let destination = target.appendingPathComponent(name).path
            guard rename(temp.appendingPathComponent(name).path, destination) == 0 else { throw failure(destination, "cannot write") }
        }
    }

    /// Creates a folder and its parents; an error names the path and the reason.
    public static func createFolder(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw InputError(file: path, reason: "is a file, expected a folder") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try createFolder(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure(path, "cannot create the folder") }
    }

    static func failure(_ path: String, _ what: String) -> InputError {
        InputError(file: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
