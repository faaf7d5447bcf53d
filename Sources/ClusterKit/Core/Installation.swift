import Foundation

/// Where Augur's own files are (the device catalog, cluster specs, trained models, graphs and
/// measurements), so the binary runs from any directory.
///
/// The installation root is `$AUGUR_HOME` if set, else the nearest folder above the running
/// executable that holds `clusters/devices.yaml` (for `swift build`, the package root above
/// `.build/<config>/augur`, also when the binary is reached through a link on `PATH`), else
/// the current directory. A relative path of Augur's is looked up first in the current
/// directory (so a checkout's own files win there), then under the root.
public enum Installation {
    /// The marker that identifies an installation root.
    public static let marker = "clusters/devices.yaml"

    /// The installation root and how it was found.
    public static let root: (path: String, source: String) = {
        if let home = ProcessInfo.processInfo.environment["AUGUR_HOME"], !home.isEmpty { return (home, "AUGUR_HOME") }
        var dir = URL(fileURLWithPath: executablePath()).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(marker).path) { return (dir.path, "found above the executable") }
            dir = dir.deletingLastPathComponent()
        }
        return (FileManager.default.currentDirectoryPath, "current directory (no \(marker) above the executable)")
    }()

    /// `path` as given when it is absolute or exists from the current directory; else the same
    /// relative path under the installation root when that exists; else `path` unchanged (so
    /// an error names what the user gave).
    public static func resolve(_ path: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), !FileManager.default.fileExists(atPath: path) else { return path }
        let installed = (root.path as NSString).appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: installed) ? installed : path
    }

    /// Where `path` resolves and whether it was found there: for `augur doctor`.
    public static func describe(_ path: String) -> String {
        let resolved = resolve(path)
        let found = FileManager.default.fileExists(atPath: resolved)
        let origin = resolved == path ? (path.hasPrefix("/") ? "" : " (current directory)") : " (installation)"
        return found ? resolved + origin : "\(path) — MISSING (looked in the current directory and \(root.path))"
    }

    static func executablePath() -> String {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return link }
        return CommandLine.arguments.first ?? "."
    }
}
