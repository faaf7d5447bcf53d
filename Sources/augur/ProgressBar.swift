import Foundation

/// A progress bar on stderr that appears only once work has run for over a second, and only
/// when stderr is a terminal (a log file gets the per-epoch lines, not carriage returns).
final class ProgressBar {
    private let label: String
    private let start = Date()
    private var shown = false
    private var lastDraw = Date.distantPast

    private let unit: String

    init(_ label: String, unit: String = "jobs ended") {
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, _ total: Int) {
        guard Self.interactive else { return }
        let now = Date()
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        shown = true
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        printError("\r\(label) [\(bar)] \(done)/\(total) \(unit), \(String(format: "%.1f", now.timeIntervalSince(start)))s", newline: false)
    }

    static let interactive = isatty(STDERR_FILENO) == 1

    func finish() { if shown { printError("", newline: true); shown = false } }
}

func printError(_ s: String, newline: Bool) {
    FileHandle.standardError.write(Data((s + (newline ? "\n" : "")).utf8))
}
