/// Fused kernels: operators that one GPU kernel runs together, whose intermediate tensors never
/// reach device memory.
///
/// A builder marks such a group by giving each of its operators the attribute
/// ``fusedAttribute`` with one value per group (``GraphBuilder/fuse(_:kernel:)``). A tensor that a
/// group's operator produces and only operators of the same group read (and that is no graph
/// output) is *internal*: it moves no bytes (``OpCostModel``'s byte count of each operator loses
/// it) and is not kept for the backward pass (``savedActivationBytes()``), which recomputes it.
/// FLOPs are unchanged. This is how FlashAttention runs `softmax(Q·Kᵀ·scale + mask)·V` (Dao et
/// al., "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", NeurIPS
/// 2022): tiles of the scores stay in on-chip memory, so its traffic is Q, K, V and the output,
/// and its backward pass recomputes the scores instead of storing the `L×L` probabilities.
extension ModelGraph {
    /// The node attribute that names a node's fused group.
    public static let fusedAttribute = "augur_fused"

    /// For each tensor, whether it is internal to a fused group (see the extension's summary).
    public var fusedInternalTensors: [Bool] {
        Self.fusedInternalTensors(nodes: nodes, tensorCount: tensors.count, outputs: outputs)
    }

    static func fusedInternalTensors(nodes: [OpNode], tensorCount: Int, outputs: [Int]) -> [Bool] {
        var internalTensor = [Bool](repeating: false, count: tensorCount)
        guard nodes.contains(where: { $0.attributes[fusedAttribute] != nil }) else { return internalTensor }
        // The group of each tensor's producer; then a consumer outside it clears the tensor.
        var group = [String?](repeating: nil, count: tensorCount)
        for node in nodes {
            guard case .string(let g)? = node.attributes[fusedAttribute] else { continue }
            for id in node.outputs where id >= 0 && id < tensorCount {
                group[id] = g
                internalTensor[id] = true
            }
        }
        for node in nodes {
            let g: String? = if case .string(let v)? = node.attributes[fusedAttribute] { v } else { nil }
            for id in node.presentInputs where id >= 0 && id < tensorCount && internalTensor[id] && group[id] != g {
                internalTensor[id] = false
            }
        }
        for id in outputs where id >= 0 && id < tensorCount { internalTensor[id] = false }
        return internalTensor
    }

    /// `cost` of a fused group's `node` without the bytes of its internal tensors (each
    /// tensor once per reading or writing, as ``OpCostModel`` counts them).
    static func withoutInternalBytes(_ cost: OpCost, node: OpNode, tensors: [TensorInfo], internalTensor: [Bool]) -> OpCost {
        guard node.attributes[fusedAttribute] != nil else { return cost }
        var c = cost
        var internalBytes = 0
        for id in node.presentInputs + node.outputs where id >= 0 && id < internalTensor.count && internalTensor[id] {
            internalBytes = Saturating.add(internalBytes, tensors[id].byteCount)
        }
        c.bytes = max(0, c.bytes - internalBytes)
        return c
    }
}

extension GraphBuilder {
    /// Marks the nodes added since `firstNode` (a ``nodeCount`` read before adding them) as one
    /// fused kernel named `kernel` (see ``ModelGraph/fusedAttribute``).
    public mutating func fuse(since firstNode: Int, kernel: String) {
        let group = "\(kernel)#\(firstNode)"
        markFused(firstNode..<nodeCount, group: group)
    }
}
