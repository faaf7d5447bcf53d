/// A parsed CSV file (RFC 4180: quoted fields, doubled quotes, newlines inside quotes).
struct CSVTable {
    /// Header names.
    let header: [String]
    /// Records after the header, each with the 1-based line where it starts.
    let rows: [(line: Int, fields: [String])]

    init(text: String, file: String) throws {
        var records: [(Int, [String])] = []
        var field = "", fields: [String] = []
        var inQuotes = false, line = 1, recordLine = 1
        var chars = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field); field = ""
                records.append((recordLine, fields)); fields = []
                line += 1; recordLine = line
            default: field.append(c)
            }
        }
        if inQuotes {
            throw ModelGraphError.malformed(file: file, field: "line \(recordLine)", reason: "unterminated quoted field")
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append((recordLine, fields)) }
        guard let first = records.first else {
            throw ModelGraphError.malformed(file: file, field: "header", reason: "the file is empty")
        }
        header = first.1
        rows = Array(records.dropFirst()).map { (line: $0.0, fields: $0.1) }
    }

    /// Index of column `name`, or an error naming the file and the column.
    func column(_ name: String, file: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw ModelGraphError.malformed(file: file, field: "header", reason: "missing column '\(name)'")
        }
        return i
    }
}
