import ArgumentParser
import ClusterKit
import Foundation

/// Augur's error contract: every bad input or flag ends the process with exit status 2 and one
/// line on stderr, `error: FILE[:LINE]: [FIELD: ]REASON` (or `error: REASON` for a flag), with
/// control characters escaped and overlong values cut, so a hostile input cannot forge or flood
/// the terminal. `--help` and `--version` exit 0; an interrupted run exits 130.
enum ErrorLine {
    /// The exit status of every input or flag error.
    static let status: Int32 = 2
    /// The longest run of characters without a space kept from a value; longer runs are cut.
    static let longestWord = 160
    /// The longest line printed.
    static let longestLine = 1000

    /// One printable line for `text`: control characters as `\n`, `\r`, `\t` or `\u{XX}`,
    /// words longer than `longestWord` cut with their length noted, the line cut at `longestLine`.
    static func clean(_ text: String) -> String {
        var out = ""
        var word = 0
        var cut = false
        var cutLength = 0
        func flushCut() {
            if cut { out += "…(\(cutLength) characters)"; cut = false; cutLength = 0 }
        }
        for scalar in text.unicodeScalars {
            if scalar == " " { flushCut(); word = 0; out += " "; continue }
            word += 1
            if word > longestWord { cut = true; cutLength = word; continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        flushCut()
        if out.count > longestLine { out = String(out.prefix(longestLine)) + "…" }
        return out
    }

    /// Prints `error` as one line on stderr.
    static func report(_ message: String) {
        printError("error: " + clean(message))
    }
}
