import Foundation

/// A small CSV reader for the trace and data files Augur reads (RFC 4180 quoting, `,` or tab).
///
/// Rows keep their 1-based line number in the file, so errors can name it.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [Substring]
    }

    /// The largest magnitude a number in an input file may have: beyond it, times in µs and
    /// counts would overflow.
    public static let largestNumber = 1e12

    public var path: String
    public var header: [String]
    public var rows: [Row]

    /// Parses `text`. With `hasHeader`, the first non-empty line names the columns.
    public init(text: String, path: String, separator: Character = ",", hasHeader: Bool = true) throws {
        self.path = path
        var rows: [Row] = []
        var lineNumber = 0
        var header: [String]? = hasHeader ? nil : []
        // "\r\n" is one Character in Swift, so split on both kinds of line end.
        // A quoted field may hold line ends (RFC 4180): a record with an odd number of quotes so
        // far continues on the next line; it keeps the number of its first line.
        var pending: (text: String, line: Int)?
        for rawLine in CSVTable.lines(of: text) {
            lineNumber += 1
            var line = rawLine
            if let p = pending {
                line = Substring(p.text + "\n" + rawLine)
            } else if line.last == "\r" {
                line = line.dropLast()
            }
            let recordLine = pending?.line ?? lineNumber
            if line.isEmpty { continue }
            if line.utf8.lazy.filter({ $0 == UInt8(ascii: "\"") }).count % 2 == 1 {
                pending = (String(line), recordLine)
                continue
            }
            pending = nil
            let fields = try CSVTable.split(line, separator: separator, path: path, line: recordLine)
            if header == nil {
                header = fields.map { String($0.trimmingWhitespace()) }
                continue
            }
            rows.append(Row(line: recordLine, fields: fields))
        }
        if let pending { throw InputError(file: path, line: pending.line, reason: "unterminated quoted field") }
        guard let header else { throw InputError(file: path, reason: "empty file, expected a header line") }
        self.header = header
        self.rows = rows
    }

    /// A field as RFC 4180 writes it: quoted (with quotes doubled) when it holds a separator,
    /// a quote or a line end; as is otherwise. Every CSV Augur writes goes through this.
    public static func quote(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A line of fields, each quoted where needed.
    public static func line(_ fields: [String]) -> String { fields.map(quote).joined(separator: ",") }

    /// The index of a required column, or an error naming the header line.
    public func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw InputError(file: path, line: 1, reason: "missing column '\(name)' (header has: \(header.joined(separator: ",")))")
        }
        return i
    }

    public func optionalColumn(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The lines of `text`, split at "\n" and "\r\n" (a lone "\r" is kept), as Characters would
    /// split them. ASCII text (every data file and trace Augur reads) is split on its bytes,
    /// which gives the same lines many times faster; other text on its Characters.
    package static func lines(of text: String) -> [Substring] {
        let utf8 = text.utf8
        let offsets: [(Int, Int)]? = utf8.withContiguousStorageIfAvailable { bytes in
            var result: [(Int, Int)] = []
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                if b >= 0x80 { return nil }
                guard b == UInt8(ascii: "\n") else { continue }
                // "\r\n" is one line end; the "\r" of a lone "\r\r\n" stays in the line.
                result.append((start, i > start && bytes[i - 1] == UInt8(ascii: "\r") ? i - 1 : i))
                start = i + 1
            }
            result.append((start, bytes.count))
            return result
        } ?? nil
        guard let offsets else {
            return text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        }
        let base = utf8.startIndex
        return offsets.map { text[utf8.index(base, offsetBy: $0.0)..<utf8.index(base, offsetBy: $0.1)] }
    }

    package static func split(_ line: Substring, separator: Character, path: String, line number: Int) throws -> [Substring] {
        if let sep = separator.asciiValue, sep < 0x80, sep != UInt8(ascii: "\r"), sep != UInt8(ascii: "\n") {
            // ASCII lines without quotes: split on the bytes (the same fields as on Characters).
            let fields: [Substring]? = line.utf8.withContiguousStorageIfAvailable { bytes in
                var starts: [Int] = [], ends: [Int] = []
                var start = 0
                for i in 0..<bytes.count {
                    let b = bytes[i]
                    if b >= 0x80 || b == UInt8(ascii: "\"") { return nil }
                    if b == sep { starts.append(start); ends.append(i); start = i + 1 }
                }
                starts.append(start); ends.append(bytes.count)
                let u = line.utf8, base = u.startIndex
                return starts.indices.map { line[u.index(base, offsetBy: starts[$0])..<u.index(base, offsetBy: ends[$0])] }
            } ?? nil
            if let fields { return fields }
        }
        if !line.contains("\"") { return line.split(separator: separator, omittingEmptySubsequences: false) }
        var fields: [Substring] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if inQuotes {
                if c == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" { current.append("\""); index = next }
                    else { inQuotes = false }
                } else { current.append(c) }
            } else if c == "\"" { inQuotes = true }
            else if c == separator { fields.append(Substring(current)); current = "" }
            else { current.append(c) }
            index = line.index(after: index)
        }
        if inQuotes { throw InputError(file: path, line: number, reason: "unterminated quoted field") }
        fields.append(Substring(current))
        return fields
    }
}

extension CSVTable.Row {
    /// The field at `index` as text, or an error naming the line and column.
    public func string(_ index: Int, _ name: String, in table: CSVTable) throws -> Substring {
        guard index < fields.count else {
            throw InputError(file: table.path, line: line, field: name,
                             reason: "missing (row has \(fields.count) fields, header has \(table.header.count))")
        }
        return fields[index].trimmingWhitespace()
    }

    public func double(_ index: Int, _ name: String, in table: CSVTable) throws -> Double {
        let s = try string(index, name, in: table)
        guard let v = Double(s), v.isFinite else {
            throw InputError(file: table.path, line: line, field: name, reason: "'\(s)' is not a number")
        }
        guard abs(v) <= CSVTable.largestNumber else {
            throw InputError(file: table.path, line: line, field: name, reason: "\(s) is out of range (magnitude at most 1e12)")
        }
        return v
    }

    public func int(_ index: Int, _ name: String, in table: CSVTable) throws -> Int {
        let s = try string(index, name, in: table)
        if let v = Int(s), v.magnitude <= UInt(CSVTable.largestNumber) { return v }  // not abs: abs(Int.min) traps
        if let d = Double(s), d.isFinite, d == d.rounded(), abs(d) <= CSVTable.largestNumber { return Int(d) }
        throw InputError(file: table.path, line: line, field: name, reason: "'\(s)' is not an integer")
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    package func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
