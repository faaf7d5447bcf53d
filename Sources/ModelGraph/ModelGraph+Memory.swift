extension ModelGraph {
    /// Bytes of the activations a training step keeps from the forward pass for the
    /// backward pass: every distinct floating-point activation or input tensor read by a
    /// node that needs its inputs for its gradient. Views (Reshape, Flatten, …), zero-cost
    /// and pure data-movement nodes save nothing; element-wise and all other nodes save
    /// their floating-point activation inputs. This is the usual first-order estimate
    /// (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer
    /// Models", §4: count the tensors each operator stores for backward); it ignores
    /// recomputation, in-place ops and masks of Dropout.
    public func savedActivationBytes() -> Int {
        var saved = Set<Int>()
        for node in nodes {
            if OpCostModel.viewOps.contains(node.type) || OpCostModel.zeroCostOps.contains(node.type)
                || OpCostModel.copyOps.contains(node.type) { continue }
            for id in node.presentInputs {
                let t = tensors[id]
                if (t.kind == .activation || t.kind == .input) && t.dtype.isFloatingPoint {
                    saved.insert(id)
                }
            }
        }
        return saved.reduce(0) { Saturating.add($0, tensors[$1].byteCount) }
    }

    /// A training step's memory: weights, gradients, optimizer states and saved activations.
    public func trainingMemoryBytes(optimizer: Optimizer = .adam) -> Int {
        let paramBytes = tensors.filter { $0.kind == .parameter }.reduce(0) { $0 + $1.byteCount }
        return Saturating.add(
            Saturating.mul(2 + optimizer.stateTensorsPerParameter, paramBytes), savedActivationBytes())
    }
}
