extension OpCostModel {
    /// Conv: `2 · N · C_out · ∏out_spatial · (C_in / group) · ∏kernel`, plus one add per
    /// output element when a bias is present. Dilation, stride and pads act through the
    /// output shape.
    static func convFLOPs(
        inputs: [TensorInfo?], outputs: [TensorInfo], attributes: [String: AttributeValue]
    ) -> Int {
        guard inputs.count >= 2, let w = inputs[1]?.shape, w.count >= 2,
            let out = outputs.first?.shape, !out.isEmpty
        else { return 0 }
        // Weight is [C_out, C_in/group, k...]: MACs per output element = ∏w[1...].
        let macsPerOutput = Saturating.product(w.dropFirst())
        let outElements = Saturating.product(out)
        let bias = inputs.count > 2 && inputs[2] != nil ? outElements : 0
        return Saturating.add(Saturating.product([2, macsPerOutput, outElements]), bias)
    }

    /// ConvTranspose: `2 · N · C_in · ∏in_spatial · (C_out / group) · ∏kernel` (each input
    /// element scatters into a kernel window), plus the bias adds.
    static func convTransposeFLOPs(
        inputs: [TensorInfo?], outputs: [TensorInfo], attributes: [String: AttributeValue]
    ) -> Int {
        guard inputs.count >= 2, let x = inputs[0]?.shape, let w = inputs[1]?.shape, w.count >= 2
        else { return 0 }
        // Weight is [C_in, C_out/group, k...].
        let macsPerInput = Saturating.product(w.dropFirst())
        let outElements = outputs.first?.elementCount ?? 0
        let bias = inputs.count > 2 && inputs[2] != nil ? outElements : 0
        return Saturating.add(Saturating.product([2, macsPerInput, Saturating.product(x)]), bias)
    }

    /// MatMul/Gemm (batched, broadcasting): `2 · ∏batch · M · K · N` with K the contracted
    /// dimension, plus `M · N` for Gemm's C. Einsum is estimated as a MatMul contracting
    /// the first input's last dimension.
    static func matmulFLOPs(type: String, inputs: [TensorInfo?], outputs: [TensorInfo]) -> Int {
        guard let a = inputs.first??.shape, let out = outputs.first?.shape else { return 0 }
        let outElements = Saturating.product(out)
        let k: Int
        if type == "Gemm" {
            // A is [M, K] or [K, M] (transA): K = elements(A) / M either way.
            let m = out.count >= 2 ? Saturating.product(out.dropLast()) : 1
            k = m > 0 ? Saturating.product(a) / m : 0
        } else {
            k = a.last ?? 1
        }
        let c = type == "Gemm" && inputs.count > 2 && inputs[2] != nil ? outElements : 0
        return Saturating.add(Saturating.product([2, outElements, k]), c)
    }
}
