import Yams

/// A YAML node together with the file it came from, for reading specs with errors that name
/// the file, the line and the field.
public struct YAMLValue {
    public let node: Node
    public let file: String
    public let path: String

    public init(node: Node, file: String, path: String = "") {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses a YAML document, turning parser errors into `InputError`s.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: file, reason: "empty YAML document")
            }
            return YAMLValue(node: node, file: file)
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw InputError(file: file, line: YAMLValue.line(of: error), reason: "invalid YAML: \(YAMLValue.brief(error))")
        } catch {
            throw InputError(file: file, reason: "invalid YAML: \(error)")
        }
    }

    public var line: Int? { node.mark.map { $0.line } }

    public func error(_ reason: String, field: String? = nil) -> InputError {
        InputError(file: file, line: line, field: field ?? (path.isEmpty ? nil : path), reason: reason)
    }

    /// The value under `key` of a mapping, or nil when absent.
    public func optional(_ key: String) throws -> YAMLValue? {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        guard let child = mapping[key] else { return nil }
        if case .scalar(let s) = child, s.string == "null" || s.string == "~" || s.string.isEmpty { return nil }
        return YAMLValue(node: child, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The value under `key`, or an error naming the missing field.
    public func required(_ key: String) throws -> YAMLValue {
        guard let value = try optional(key) else {
            guard node.mapping != nil else { throw error("expected a mapping") }
            throw InputError(file: file, line: line, field: path.isEmpty ? key : "\(path).\(key)", reason: "required field is missing")
        }
        return value
    }

    /// Rejects keys not in `allowed`, so a typo in a spec is an error rather than silently ignored.
    public func checkKeys(_ allowed: Set<String>) throws {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        for (key, value) in mapping {
            let k = key.string ?? "?"
            if !allowed.contains(k) {
                throw InputError(file: file, line: key.mark?.line ?? value.mark?.line, field: path.isEmpty ? k : "\(path).\(k)",
                                 reason: "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
    }

    public func string() throws -> String {
        guard case .scalar(let s) = node else { throw error("expected a text value") }
        return s.string
    }

    public func double() throws -> Double {
        guard let v = node.float ?? node.int.map(Double.init), v.isFinite else {
            throw error("expected a number, got '\(node.string ?? "a collection")'")
        }
        guard abs(v) <= CSVTable.largestNumber else { throw error("\(v) is out of range (magnitude at most 1e12)") }
        return v
    }

    public func positiveDouble() throws -> Double {
        let v = try double()
        guard v > 0 else { throw error("must be positive, got \(v)") }
        return v
    }

    public func int() throws -> Int {
        guard let v = node.int else { throw error("expected an integer, got '\(node.string ?? "a collection")'") }
        guard v.magnitude <= UInt(CSVTable.largestNumber) else { throw error("\(v) is out of range (magnitude at most 1e12)") }
        return v
    }

    public func positiveInt() throws -> Int {
        let v = try int()
        guard v > 0 else { throw error("must be a positive integer, got \(v)") }
        return v
    }

    /// A positive integer no larger than `maximum` (a documented limit, see `Limits`).
    public func boundedCount(_ maximum: Int) throws -> Int {
        let v = try positiveInt()
        guard v <= maximum else { throw error("\(v) is beyond the limit of \(maximum)") }
        return v
    }

    public func nonNegativeDouble() throws -> Double {
        let v = try double()
        guard v >= 0 else { throw error("must not be negative, got \(v)") }
        return v
    }

    public func sequence() throws -> [YAMLValue] {
        guard let seq = node.sequence else { throw error("expected a list") }
        return seq.enumerated().map { YAMLValue(node: $0.element, file: file, path: "\(path)[\($0.offset)]") }
    }

    /// Mapping entries in document order.
    public func entries() throws -> [(key: String, value: YAMLValue)] {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        return mapping.map { (key: $0.key.string ?? "?", value: YAMLValue(node: $0.value, file: file, path: path.isEmpty ? ($0.key.string ?? "?") : "\(path).\($0.key.string ?? "?")")) }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    static func brief(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }
}
