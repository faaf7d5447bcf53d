extension ModelGraph {
    /// Backward-to-forward FLOP ratio of one node: 2 for nodes with trainable parameters
    /// (gradient w.r.t. the input and w.r.t. the weights, each as costly as the forward
    /// product), 1 for the others (gradient w.r.t. the input only), 0 for nodes that carry
    /// no gradient (shape/constant computations on integers).
    ///
    /// This is the rule behind the common "training ≈ 3 × forward FLOPs" estimate
    /// (Kaplan et al. 2020, "Scaling Laws for Neural Language Models", §2.1: C ≈ 6N per
    /// token = 2N forward + 4N backward; Narayanan et al. 2021, "Efficient Large-Scale
    /// Language Model Training on GPU Clusters", §5.1).
    public func backwardMultiplier(ofNode index: Int) -> Int {
        let node = nodes[index]
        let carriesGradient = node.outputs.contains { tensors[$0].dtype.isFloatingPoint }
        guard carriesGradient else { return 0 }
        return node.cost.parameters > 0 ? 2 : 1
    }

    /// The cost of node `index` under `mode`: the forward cost for `.infer`; forward +
    /// backward (``backwardMultiplier(ofNode:)`` × forward FLOPs and bytes) for `.train`.
    /// The optimizer update is a whole-graph term, not a node's.
    public func nodeCost(_ index: Int, mode: Mode) -> OpCost {
        var c = nodes[index].cost
        if mode == .train {
            let m = 1 + backwardMultiplier(ofNode: index)
            c.flops = Saturating.mul(c.flops, m)
            c.bytes = Saturating.mul(c.bytes, m)
        }
        return c
    }

    /// Totals of one iteration.
    ///
    /// - `.infer`: forward FLOPs and bytes summed over the nodes.
    /// - `.train`: forward + backward (see ``backwardMultiplier(ofNode:)``) + one optimizer
    ///   update over all distinct parameters (``Optimizer``; fp32 states of the parameter's
    ///   dtype), and the bytes of saved activations (``savedActivationBytes()``).
    public func cost(mode: Mode, optimizer: Optimizer = .adam) -> CostTotals {
        var totals = CostTotals(
            mode: mode, forwardFLOPs: 0, backwardFLOPs: 0, optimizerFLOPs: 0, forwardBytes: 0,
            backwardBytes: 0, optimizerBytes: 0, parameters: parameterCount, savedActivationBytes: 0)
        for (i, node) in nodes.enumerated() {
            totals.forwardFLOPs = Saturating.add(totals.forwardFLOPs, node.cost.flops)
            totals.forwardBytes = Saturating.add(totals.forwardBytes, node.cost.bytes)
            if mode == .train {
                let m = backwardMultiplier(ofNode: i)
                totals.backwardFLOPs = Saturating.add(totals.backwardFLOPs, Saturating.mul(m, node.cost.flops))
                totals.backwardBytes = Saturating.add(totals.backwardBytes, Saturating.mul(m, node.cost.bytes))
            }
        }
        if mode == .train {
            let paramBytes = tensors.filter { $0.kind == .parameter }.reduce(0) { $0 + $1.byteCount }
            totals.optimizerFLOPs = Saturating.mul(optimizer.flopsPerParameter, totals.parameters)
            totals.optimizerBytes = Saturating.mul(optimizer.tensorsTouchedPerParameter, paramBytes)
            totals.savedActivationBytes = savedActivationBytes()
        }
        return totals
    }
}
