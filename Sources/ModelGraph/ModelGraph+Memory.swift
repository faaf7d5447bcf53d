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
        var saved = [Bool](repeating: false, count: tensors.count)
        for node in nodes {
            if OpCostModel.keepsNoActivations.contains(node.type) { continue }
            for id in node.presentInputs {
                let t = tensors[id]
                if (t.kind == .activation || t.kind == .input) && t.dtype.isFloatingPoint { saved[id] = true }
            }
        }
        var total = 0
        for id in saved.indices where saved[id] { total = Saturating.add(total, tensors[id].byteCount) }
        return total
    }

    /// A training step's memory: weights, gradients, optimizer states and saved activations.
    public func trainingMemoryBytes(optimizer: Optimizer = .adam) -> Int {
        trainingMemoryBytes(savedActivationBytes: savedActivationBytes(), optimizer: optimizer)
    }

    /// The same, given the saved activations already counted (e.g. in `cost(mode: .train)`).
    public func trainingMemoryBytes(savedActivationBytes saved: Int, optimizer: Optimizer = .adam) -> Int {
        let paramBytes = tensors.filter { $0.kind == .parameter }.reduce(0) { $0 + $1.byteCount }
        return Saturating.add(Saturating.mul(2 + optimizer.stateTensorsPerParameter, paramBytes), saved)
    }
}
