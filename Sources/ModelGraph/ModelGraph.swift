/// A deep-learning computation graph: operators (``OpNode``) connected by tensors
/// (``TensorInfo``), with per-operator forward costs.
///
/// Sources: ``ONNXImporter`` (ONNX files), ``NB201`` (NAS-Bench-201 cells),
/// ``NeuSightGraph`` (torch.fx traces with measured latencies), ``GraphBuilder`` (code),
/// and the JSON form (``jsonData()`` / ``init(json:)``).
///
/// Nodes are stored in a topological order: every tensor a node reads is a graph input,
/// a parameter or constant, or the output of an earlier node.
public struct ModelGraph: Codable, Sendable, Hashable {
    /// Name of the model.
    public var name: String
    /// Operators in topological order.
    public var nodes: [OpNode]
    /// All tensors; `tensors[i].id == i`.
    public var tensors: [TensorInfo]
    /// Ids of the graph inputs fed at run time (not parameters).
    public var inputs: [Int]
    /// Ids of the graph outputs.
    public var outputs: [Int]

    /// Creates a graph and checks that every id is in range, that `tensors[i].id == i`,
    /// that each tensor has at most one producer, and that nodes are topologically ordered.
    public init(
        name: String, nodes: [OpNode], tensors: [TensorInfo], inputs: [Int], outputs: [Int]
    ) throws {
        self.name = name
        self.nodes = nodes
        self.tensors = tensors
        self.inputs = inputs
        self.outputs = outputs
        try validate()
    }

    /// Checks the structural invariants listed at ``init(name:nodes:tensors:inputs:outputs:)``.
    public func validate() throws {
        let source = name.isEmpty ? "graph" : name
        for (i, t) in tensors.enumerated() where t.id != i {
            throw ModelGraphError.malformed(
                file: source, field: "tensors[\(i)].id", reason: "is \(t.id), expected \(i)")
        }
        func check(_ id: Int, _ field: String) throws {
            guard id >= 0 && id < tensors.count else {
                throw ModelGraphError.malformed(
                    file: source, field: field, reason: "tensor id \(id) out of range 0..<\(tensors.count)")
            }
        }
        for id in inputs { try check(id, "inputs") }
        for id in outputs { try check(id, "outputs") }
        var defined = [Bool](repeating: false, count: tensors.count)
        for t in tensors where t.kind != .activation { defined[t.id] = true }
        for (n, node) in nodes.enumerated() {
            for id in node.presentInputs {
                try check(id, "nodes[\(n)].inputs")
                guard defined[id] else {
                    throw ModelGraphError.undefinedTensor(
                        file: source, node: node.name.isEmpty ? "#\(n) \(node.type)" : node.name,
                        tensor: tensors[id].name)
                }
            }
            for id in node.outputs {
                try check(id, "nodes[\(n)].outputs")
                if defined[id] {
                    throw ModelGraphError.malformed(
                        file: source, field: "nodes[\(n)].outputs",
                        reason: "tensor '\(tensors[id].name)' is defined twice")
                }
                defined[id] = true
            }
        }
    }

    /// For each tensor, the index of the node that produces it (`nil` for inputs,
    /// parameters and constants).
    public var producers: [Int?] {
        var result = [Int?](repeating: nil, count: tensors.count)
        for (n, node) in nodes.enumerated() {
            for id in node.outputs { result[id] = n }
        }
        return result
    }

    /// For each tensor, the indices of the nodes that read it, in node order.
    public var consumers: [[Int]] {
        var result = [[Int]](repeating: [], count: tensors.count)
        for (n, node) in nodes.enumerated() {
            for id in Set(node.presentInputs).sorted() { result[id].append(n) }
        }
        return result
    }

    /// Producer → consumer dependencies, one per (producer, consumer, tensor), ordered by
    /// consumer then input position. Tensors without a producer (inputs, weights) give no edge.
    public var edges: [Edge] {
        let producers = self.producers
        var result: [Edge] = []
        for (n, node) in nodes.enumerated() {
            let inputs = node.presentInputs
            // Operators have a handful of inputs: a linear look-back beats hashing.
            for (k, id) in inputs.enumerated() where !inputs[..<k].contains(id) {
                if let p = producers[id] {
                    result.append(Edge(producer: p, consumer: n, tensor: id))
                }
            }
        }
        return result
    }

    /// Number of distinct trainable parameters (shared weights counted once).
    public var parameterCount: Int {
        tensors.filter { $0.kind == .parameter }.reduce(0) { $0 + $1.elementCount }
    }

    /// Operator types in the graph with how many nodes have each, sorted by type.
    public var operatorHistogram: [(type: String, count: Int)] {
        var counts: [String: Int] = [:]
        for node in nodes { counts[node.type, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    /// Operator types the cost model does not know (FLOPs counted as 0), sorted, with
    /// how many nodes have each.
    public func uncostedOperators() -> [(type: String, count: Int)] {
        var counts: [String: Int] = [:]
        for node in nodes where !node.cost.isCosted { counts[node.type, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }
}
