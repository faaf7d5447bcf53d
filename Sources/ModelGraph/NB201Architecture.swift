/// A NAS-Bench-201 cell (Dong & Yang, ICLR 2020, "NAS-Bench-201: Extending the Scope of
/// Reproducible Neural Architecture Search", §2.1): four nodes, and for each node
/// i ∈ 1...3 one operation on the edge from every earlier node j.
///
/// String form: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, the groups separated by `+`
/// listing node 1's, 2's and 3's incoming edges.
public struct NB201Architecture: Sendable, Hashable, CustomStringConvertible {
    /// The five candidate operations.
    public enum Operation: String, Sendable, CaseIterable {
        case none
        case skipConnect = "skip_connect"
        case norConv1x1 = "nor_conv_1x1"
        case norConv3x3 = "nor_conv_3x3"
        case avgPool3x3 = "avg_pool_3x3"
    }

    /// `edges[i - 1]` lists node i's incoming edges as (source node, operation).
    public var edges: [[(from: Int, op: Operation)]]

    /// Parses the string form; errors say which group and token are wrong.
    public init(_ text: String) throws {
        let source = "NB201 architecture '\(text)'"
        let groups = text.split(separator: "+", omittingEmptySubsequences: false)
        guard groups.count == 3 else {
            throw ModelGraphError.invalidSpec(
                source: source, field: "groups", reason: "expected 3 groups separated by '+', found \(groups.count)")
        }
        var edges: [[(from: Int, op: Operation)]] = []
        for (g, group) in groups.enumerated() {
            let node = g + 1
            guard group.hasPrefix("|") && group.hasSuffix("|") && group.count >= 2 else {
                throw ModelGraphError.invalidSpec(
                    source: source, field: "group \(node)", reason: "must start and end with '|': '\(group)'")
            }
            let tokens = group.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
            guard tokens.count == node else {
                throw ModelGraphError.invalidSpec(
                    source: source, field: "group \(node)",
                    reason: "node \(node) needs \(node) edges, found \(tokens.count)")
            }
            var incoming: [(from: Int, op: Operation)] = []
            for (j, token) in tokens.enumerated() {
                let parts = token.split(separator: "~", omittingEmptySubsequences: false)
                guard parts.count == 2, let op = Operation(rawValue: String(parts[0])) else {
                    throw ModelGraphError.invalidSpec(
                        source: source, field: "edge '\(token)'",
                        reason: "expected op~j with op in \(Operation.allCases.map(\.rawValue))")
                }
                guard let from = Int(parts[1]), from == j else {
                    throw ModelGraphError.invalidSpec(
                        source: source, field: "edge '\(token)'",
                        reason: "edge \(j + 1) of node \(node) must come from node \(j)")
                }
                incoming.append((from, op))
            }
            edges.append(incoming)
        }
        self.edges = edges
    }

    /// The string form.
    public var description: String {
        edges.map { "|" + $0.map { "\($0.op.rawValue)~\($0.from)" }.joined(separator: "|") + "|" }
            .joined(separator: "+")
    }

    public static func == (a: Self, b: Self) -> Bool { a.description == b.description }
    public func hash(into h: inout Hasher) { h.combine(description) }
}
