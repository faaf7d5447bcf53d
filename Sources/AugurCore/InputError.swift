/// An error in user input: a file, flag, trace row or spec that Augur cannot accept.
///
/// Its description is one line: `file:line: field: reason` (parts that are unknown are left out),
/// so the CLI prints it as is and exits non-zero.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var field: String?
    public var reason: String

    public init(file: String, line: Int? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let field { s += "\(field): " }
        return s + reason
    }
}
