/// Fused kernels: operators that one GPU kernel runs together, whose intermediate tensors never
/// reach device memory.
///
/// A builder marks such a group by giving each of its operators the attribute
/// ``fusedAttribute`` with one value per group (``GraphBuilder/fuse(since:kernel:)``). A tensor that a
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

    /// The number of fused kernels (distinct ``fusedAttribute`` values).
    public var fusedKernelCount: Int {
        Set(nodes.compactMap { n -> String? in if case .string(let g)? = n.attributes[Self.fusedAttribute] { g } else { nil } }).count
    }

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

extension ModelGraph {
    /// Element-wise operators that may sit between the scores' product and the softmax (scale,
    /// mask, bias).
    static let scoreEpilogue: Set<String> = ["Add", "Sub", "Mul", "Div", "Where"]
    /// Operators that may prepare a product's operand inside the kernel (`Kᵀ`, `Q·scale`).
    static let operandPrologue: Set<String> = ["Transpose", "Mul", "Div"]

    /// This graph with every unfused attention found by its pattern made one fused kernel
    /// (``fusedAttribute``), as PyTorch's `scaled_dot_product_attention` runs it on a GPU
    /// (FlashAttention or the memory-efficient kernel): `MatMul` (scores) → element-wise scale,
    /// mask or bias, each read only by the next → `Softmax` → `MatMul` with the probabilities as
    /// its first operand, the only reader of the softmax; a `Transpose`, `Mul` or `Div` read
    /// only by the scores' product (`Kᵀ`, a scaled `Q`) joins the kernel. Bytes and saved
    /// activations are recomputed, FLOPs unchanged; ``fusedKernelCount`` counts the kernels.
    public func fusingAttention() -> ModelGraph {
        let consumers = self.consumers, producers = self.producers
        func soleConsumer(_ tensor: Int) -> Int? {
            guard !outputs.contains(tensor), consumers[tensor].count == 1 else { return nil }
            return consumers[tensor][0]
        }
        var nodes = self.nodes
        var kernels = 0
        for (s, softmax) in nodes.enumerated() where softmax.type == "Softmax" && softmax.attributes[Self.fusedAttribute] == nil {
            guard let probabilities = softmax.outputs.first, let av = soleConsumer(probabilities),
                  nodes[av].type == "MatMul", nodes[av].inputs.first == probabilities,
                  nodes[av].attributes[Self.fusedAttribute] == nil else { continue }
            // Back from the softmax through its epilogue to the scores' product: at each step
            // the operand that only the current node reads, a product first.
            var group = [s, av]
            var current = s
            var qk: Int?
            while group.count < 8 {
                let candidates = nodes[current].presentInputs.filter { t in
                    guard let p = producers[t] else { return false }
                    return soleConsumer(t) == current && nodes[p].attributes[Self.fusedAttribute] == nil
                }
                if let t = candidates.first(where: { nodes[producers[$0]!].type == "MatMul" }) { qk = producers[t]; break }
                guard let t = candidates.first(where: { Self.scoreEpilogue.contains(nodes[producers[$0]!].type) }),
                      let p = producers[t] else { break }
                group.append(p)
                current = p
            }
            guard let scores = qk else { continue }
            group.append(scores)
            for operand in nodes[scores].presentInputs {
                if let p = producers[operand], soleConsumer(operand) == scores, Self.operandPrologue.contains(nodes[p].type),
                   nodes[p].attributes[Self.fusedAttribute] == nil {
                    group.append(p)
                }
            }
            let name = "attention#\(s)"
            for n in group { nodes[n].attributes[Self.fusedAttribute] = .string(name) }
            kernels += 1
        }
        guard kernels > 0 else { return self }
        let internalTensor = Self.fusedInternalTensors(nodes: nodes, tensorCount: tensors.count, outputs: outputs)
        for i in nodes.indices where nodes[i].attributes[Self.fusedAttribute] != nil && self.nodes[i].attributes[Self.fusedAttribute] == nil {
            nodes[i].cost = Self.withoutInternalBytes(nodes[i].cost, node: nodes[i], tensors: tensors, internalTensor: internalTensor)
        }
        var graph = self
        graph.nodes = nodes
        return graph
    }
}
