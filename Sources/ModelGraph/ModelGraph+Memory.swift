extension ModelGraph {
    /// Bytes of the activations a training step keeps from the forward pass for the
    /// backward pass: every distinct floating-point activation or input tensor that some node's
    /// gradient needs, by the rule of PyTorch's autograd for that operator
    /// (``OpCostModel/savedTensors(_:)``). Element-wise functions whose derivative follows from
    /// their result (ReLU, sigmoid, tanh, exp, square root, softmax) keep their output; sums,
    /// differences, means, average pooling, views and data movement keep nothing; a product or
    /// quotient keeps an operand only where the other one is trained or computed (a product
    /// with a literal constant keeps nothing); every other operator keeps its inputs. This is
    /// the first-order estimate of Korthikanti et al. 2022 ("Reducing Activation Recomputation
    /// in Large Transformer Models", §4: count the tensors each operator stores for backward),
    /// which also applies where an exporter has split a fused operator (LayerNorm, GELU) into
    /// element-wise pieces; it ignores recomputation, in-place operators and Dropout's masks.
    /// The bytes are at the graph's data types (FP32 for exported models); mixed precision
    /// keeps most of them in half precision (``PerfDataset``'s memory prior halves them).
    /// Tensors internal to a fused kernel (``fusedInternalTensors``) are recomputed, not kept.
    public func savedActivationBytes() -> Int {
        var saved = [Bool](repeating: false, count: tensors.count)
        let internalTensor = fusedInternalTensors
        func keep(_ id: Int) {
            guard !internalTensor[id] else { return }
            let t = tensors[id]
            if (t.kind == .activation || t.kind == .input) && t.dtype.isFloatingPoint { saved[id] = true }
        }
        /// Whether an operand's gradient is needed (or it is a computed tensor, not a literal).
        func trainedOrComputed(_ id: Int) -> Bool {
            let t = tensors[id]
            return t.kind == .parameter || ((t.kind == .activation || t.kind == .input) && t.elementCount > 1)
        }
        for node in nodes {
            switch OpCostModel.savedTensors(node.type) {
            case .nothing: continue
            case .output: node.outputs.forEach(keep)
            case .inputs: node.presentInputs.forEach(keep)
            case .operandsOfProduct:
                let inputs = node.presentInputs
                guard inputs.count == 2 else { inputs.forEach(keep); continue }
                if trainedOrComputed(inputs[1]) { keep(inputs[0]) }
                if trainedOrComputed(inputs[0]) { keep(inputs[1]) }
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
