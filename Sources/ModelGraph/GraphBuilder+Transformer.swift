/// Layers of the Swift-built transformers (``BERT``, ``TransformerXL``, ``DecoderLM``, ``MPT``)
/// and recommenders (``NCF``), under the ONNX operator names that `torch.onnx.export` gives
/// them (MatMul + Add for a 3-D `nn.Linear`, Gemm for a 2-D one, LayerNormalization, Gather
/// for embeddings, Softmax, Transpose/Reshape around the heads) and PyTorch's parameter names.
///
/// The builder records shapes only: no operator touches an element, so a 70 B-parameter
/// decoder builds as fast as a small one.
extension GraphBuilder {  // linear(_:from:to:bias:name:) and reshape(_:to:name:) are in GraphBuilder+Layers.swift
    /// A Transpose by `perm`.
    mutating func transpose(_ x: Int, _ perm: [Int], name: String) -> Int {
        add("Transpose", name: name, inputs: [x], attributes: ["perm": .ints(perm)])
    }

    /// A float scalar constant (a scale or an epsilon).
    mutating func scalar(_ value: Double, name: String) -> Int {
        addConstant(name, shape: [], dtype: .float32, floatValues: [value])
    }

    /// `nn.Linear` on a 2-D tensor as exported: Gemm with the `[out, in]` weight (`transB`)
    /// and the bias as C.
    mutating func gemm(_ x: Int, from input: Int, to output: Int, bias: Bool = true, name: String) -> Int {
        let w = addParameter(name + ".weight", shape: [output, input])
        var inputs = [x, w]
        if bias { inputs.append(addParameter(name + ".bias", shape: [output])) }
        return add("Gemm", name: name, inputs: inputs, attributes: ["transB": .int(1)])
    }

    /// `nn.LayerNorm(width)` over the last axis, with a bias unless `bias` is false (MPT's
    /// `no_bias` layer norms).
    mutating func layerNorm(_ x: Int, width: Int, bias: Bool = true, name: String) -> Int {
        var inputs = [x, addParameter(name + ".weight", shape: [width])]
        if bias { inputs.append(addParameter(name + ".bias", shape: [width])) }
        return add("LayerNormalization", name: name, inputs: inputs, attributes: [
            "axis": .int(-1), "epsilon": .float(1e-5),
        ])
    }

    /// RMSNorm (Zhang and Sennrich 2019; Llama's `LlamaRMSNorm`) from ONNX primitives:
    /// `x · 1/sqrt(mean(x²) + ε) · weight` as Mul, ReduceMean, Add, Sqrt, Div and Mul.
    mutating func rmsNorm(_ x: Int, width: Int, name: String) -> Int {
        let squared = add("Mul", name: name + ".square", inputs: [x, x])
        let mean = add("ReduceMean", name: name + ".mean", inputs: [squared], attributes: [
            "axes": .ints([-1]), "keepdims": .int(1),
        ])
        let shifted = add("Add", name: name + ".eps", inputs: [mean, scalar(1e-5, name: name + ".epsilon")])
        let root = add("Sqrt", name: name + ".sqrt", inputs: [shifted])
        let normed = add("Div", name: name + ".div", inputs: [x, root])
        let w = addParameter(name + ".weight", shape: [width])
        return add("Mul", name: name + ".scale", inputs: [normed, w])
    }

    /// The shapes of one attention problem: `queries` query positions against `keys` key
    /// positions, `heads` query heads sharing `kvHeads` key/value heads (grouped-query
    /// attention when fewer; Ainslie et al. 2023) of `headDim` each.
    struct AttentionShape {
        var batch: Int
        var queries: Int
        var keys: Int
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var group: Int { heads / kvHeads }
    }

    /// Splits `[B, L, heads·headDim]` into heads: `[B, heads, L, headDim]` for multi-head
    /// attention, `[B, kvHeads, group, L, headDim]` (queries) or `[B, kvHeads, 1, L, headDim]`
    /// (keys and values) for grouped-query attention, so that the key/value heads broadcast
    /// over their query group in the MatMuls and are never copied.
    mutating func splitHeads(_ x: Int, _ s: AttentionShape, length: Int, isQuery: Bool, transposeForKeys: Bool, name: String) -> Int {
        if s.kvHeads == s.heads {
            let h = reshape(x, to: [s.batch, length, s.heads, s.headDim], name: name + ".view")
            return transpose(h, transposeForKeys ? [0, 2, 3, 1] : [0, 2, 1, 3], name: name + ".heads")
        }
        let group = isQuery ? s.group : 1
        let h = reshape(x, to: [s.batch, length, s.kvHeads, group, s.headDim], name: name + ".view")
        return transpose(h, transposeForKeys ? [0, 2, 3, 4, 1] : [0, 2, 3, 1, 4], name: name + ".heads")
    }

    /// Attention scores `q·kᵀ · scale` from split heads (``splitHeads``).
    mutating func attentionScores(_ q: Int, _ kT: Int, headDim: Int, name: String) -> Int {
        let scores = add("MatMul", name: name + ".qk", inputs: [q, kT])
        return add("Mul", name: name + ".scale", inputs: [scores, scalar(1 / Double(headDim).squareRoot(), name: name + ".scale_value")])
    }

    /// Softmax over the keys of `scores` (plus `bias`: a mask or ALiBi), times the values,
    /// merged back to `[B, queries, heads·headDim]`. With `fusedFrom` (a ``nodeCount`` read
    /// before the scores' first operator), every node from there to the values' product is one
    /// fused attention kernel (``fuse(since:kernel:)``); the merge stays outside it.
    mutating func attend(_ scores: Int, values v: Int, bias: Int?, _ s: AttentionShape, fusedFrom kernel: Int? = nil,
                         name: String) -> Int {
        var logits = scores
        if let bias { logits = add("Add", name: name + ".mask", inputs: [logits, bias]) }
        let p = add("Softmax", name: name + ".softmax", inputs: [logits], attributes: ["axis": .int(-1)])
        let context = add("MatMul", name: name + ".av", inputs: [p, v])
        if let kernel { fuse(since: kernel, kernel: "flash_attention") }
        let perm = s.kvHeads == s.heads ? [0, 2, 1, 3] : [0, 3, 1, 2, 4]
        let merged = transpose(context, perm, name: name + ".merge")
        return reshape(merged, to: [s.batch, s.queries, s.heads * s.headDim], name: name + ".merge_view")
    }

    /// Full scaled dot-product attention of projected `q` `[B, queries, heads·headDim]`
    /// against `k`, `v` `[B, keys, kvHeads·headDim]`, with an additive `bias` broadcast over the
    /// scores (`[queries, keys]` for a causal mask). Dense: a causal mask still computes every
    /// score. Unfused as the benchmarks' kernels run it, or, with `fused`, one FlashAttention
    /// kernel from the scores to the values' product (``attend(_:values:bias:_:fusedFrom:name:)``).
    mutating func attention(q: Int, k: Int, v: Int, _ s: AttentionShape, bias: Int?, fused: Bool = false, name: String) -> Int {
        let qh = splitHeads(q, s, length: s.queries, isQuery: true, transposeForKeys: false, name: name + ".q")
        let kh = splitHeads(k, s, length: s.keys, isQuery: false, transposeForKeys: true, name: name + ".k")
        let vh = splitHeads(v, s, length: s.keys, isQuery: false, transposeForKeys: false, name: name + ".v")
        let kernel = nodeCount
        let scores = attentionScores(qh, kh, headDim: s.headDim, name: name)
        return attend(scores, values: vh, bias: bias, s, fusedFrom: fused ? kernel : nil, name: name)
    }

    /// An additive attention mask (a constant, not a parameter) of `shape`.
    mutating func attentionMask(shape: [Int], name: String) -> Int {
        addConstant(name, shape: shape, dtype: .float32)
    }

    /// Splits `x` into equal parts along `axis` (Split with `parts` outputs).
    mutating func split(_ x: Int, parts: Int, axis: Int, name: String) -> [Int] {
        guard let shape = tensors[x].shape else { return [] }
        let a = axis < 0 ? axis + shape.count : axis
        let size = shape[a] / parts
        return addNode("Split", name: name, inputs: [x], attributes: [
            "axis": .int(axis), "split": .ints([Int](repeating: size, count: parts)),
        ], outputNames: (0..<parts).map { "\(name):\($0)" })
    }

    /// Splits `x` along its last axis into parts of `sizes` (a fused QKV projection).
    mutating func split(_ x: Int, sizes: [Int], name: String) -> [Int] {
        addNode("Split", name: name, inputs: [x], attributes: [
            "axis": .int(-1), "split": .ints(sizes),
        ], outputNames: sizes.indices.map { "\(name):\($0)" })
    }

    /// Rotary position embedding (Su et al. 2021, "RoFormer"; Llama's `apply_rotary_pos_emb`)
    /// of split heads `x` (`[..., length, headDim]`): `x·cos + rotate_half(x)·sin`, with
    /// `rotate_half` as two Slices, Neg and Concat, and the cos/sin tables as constants.
    mutating func rotary(_ x: Int, length: Int, headDim: Int, name: String) -> Int {
        let half = headDim / 2
        let cos = addConstant(name + ".cos", shape: [length, headDim], dtype: .float32)
        let sin = addConstant(name + ".sin", shape: [length, headDim], dtype: .float32)
        let lo = add("Slice", name: name + ".lo", inputs: [x], attributes: [
            "starts": .ints([0]), "ends": .ints([half]), "axes": .ints([-1]),
        ])
        let hi = add("Slice", name: name + ".hi", inputs: [x], attributes: [
            "starts": .ints([half]), "ends": .ints([headDim]), "axes": .ints([-1]),
        ])
        let negated = add("Neg", name: name + ".neg", inputs: [hi])
        let rotated = add("Concat", name: name + ".rotate_half", inputs: [negated, lo], attributes: ["axis": .int(-1)])
        let a = add("Mul", name: name + ".mul_cos", inputs: [x, cos])
        let b = add("Mul", name: name + ".mul_sin", inputs: [rotated, sin])
        return add("Add", name: name, inputs: [a, b])
    }
}
