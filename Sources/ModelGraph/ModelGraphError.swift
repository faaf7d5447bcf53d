/// Errors of graph import and construction. Every case names the file (or source),
/// the field and the reason, so that a damaged input never crashes the process.
public enum ModelGraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file was read but its content is malformed.
    case malformed(file: String, field: String, reason: String)
    /// A node references a tensor that nothing defines.
    case undefinedTensor(file: String, node: String, tensor: String)
    /// An architecture or model description is invalid.
    case invalidSpec(source: String, field: String, reason: String)
    /// Shapes do not fit an operator.
    case shapeMismatch(node: String, type: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read: \(reason)"
        case .malformed(let file, let field, let reason):
            "\(file): malformed \(field): \(reason)"
        case .undefinedTensor(let file, let node, let tensor):
            "\(file): node '\(node)' reads tensor '\(tensor)', which no input, initializer or node defines"
        case .invalidSpec(let source, let field, let reason):
            "\(source): invalid \(field): \(reason)"
        case .shapeMismatch(let node, let type, let reason):
            "\(type) node '\(node)': \(reason)"
        }
    }
}
