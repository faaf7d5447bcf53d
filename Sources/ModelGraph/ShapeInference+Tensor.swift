extension ShapeInference {
    /// Integer list from an attribute, else from the values of input `index`.
    static func ints(
        _ name: String, _ attributes: [String: AttributeValue], _ inputs: [TensorInfo?], _ index: Int
    ) -> [Int]? {
        if let v = attributes[name]?.intsValue { return v }
        if index < inputs.count, let t = inputs[index] { return t.intValues }
        return nil
    }

    /// Shapes of data-movement, reduction and constant operators.
    static func tensorOp(
        type: String, attributes: [String: AttributeValue], inputs: [TensorInfo?], outputCount: Int
    ) -> [[Int]?] {
        let x = inputs.first??.shape
        let rank = x?.count ?? 0
        switch type {
        case "Flatten":
            guard let x else { return [nil] }
            let a = attributes["axis"]?.intValue ?? 1
            let ax = a < 0 ? a + rank : a
            guard ax >= 0 && ax <= rank else { return [nil] }
            return [[Saturating.product(x[..<ax]), Saturating.product(x[ax...])]]
        case "Reshape":
            guard let x, let target = ints("shape", attributes, inputs, 1) else { return [nil] }
            return [reshape(x, target, allowZero: (attributes["allowzero"]?.intValue ?? 0) != 0)]
        case "Transpose":
            guard let x else { return [nil] }
            let perm = attributes["perm"]?.intsValue ?? Array((0..<rank).reversed())
            guard perm.count == rank, Set(perm) == Set(0..<rank) else { return [nil] }
            return [perm.map { x[$0] }]
        case "Squeeze":
            guard let x else { return [nil] }
            if let axes = ints("axes", attributes, inputs, 1) {
                let norm = Set(axes.compactMap { axis($0, rank: rank) })
                guard norm.count == axes.count else { return [nil] }
                return [x.enumerated().filter { !norm.contains($0.offset) }.map(\.element)]
            }
            return [x.filter { $0 != 1 }]
        case "Unsqueeze":
            guard let x, let axes = ints("axes", attributes, inputs, 1) else { return [nil] }
            let outRank = rank + axes.count
            let norm = Set(axes.compactMap { axis($0, rank: outRank) })
            guard norm.count == axes.count else { return [nil] }
            var rest = x.makeIterator()
            return [(0..<outRank).map { norm.contains($0) ? 1 : rest.next() ?? 1 }]
        case "Concat":
            let shapes = inputs.compactMap { $0?.shape }
            guard shapes.count == inputs.compactMap({ $0 }).count, let s0 = shapes.first,
                let a = axis(attributes["axis"]?.intValue ?? 0, rank: s0.count)
            else { return [nil] }
            var out = s0
            out[a] = shapes.reduce(0) { Saturating.add($0, $1.count == s0.count ? $1[a] : 0) }
            return [out]
        case "Split":
            guard let x, let a = axis(attributes["axis"]?.intValue ?? 0, rank: rank) else {
                return [[Int]?](repeating: nil, count: outputCount)
            }
            var sizes = ints("split", attributes, inputs, 1) ?? []
            if sizes.isEmpty {
                let parts = attributes["num_outputs"]?.intValue ?? outputCount
                guard parts > 0, parts <= 1 << 16 else { return [] }
                let chunk = (x[a] + parts - 1) / parts
                sizes = (0..<parts).map { min(chunk, max(x[a] - $0 * chunk, 0)) }
            }
            return sizes.map { s in var o = x; o[a] = s; return o }
        case "Slice": return [slice(x, attributes: attributes, inputs: inputs)]
        case "Pad":
            guard let x, let pads = ints("pads", attributes, inputs, 1) else { return [nil] }
            if pads.count == 2 * rank {
                return [(0..<rank).map { Saturating.add(x[$0], Saturating.add(pads[$0], pads[$0 + rank])) }]
            }
            // opset 18 `axes` input restricts the pads to some axes.
            guard let axes = inputs.count > 3 ? inputs[3]?.intValues : nil, pads.count == 2 * axes.count
            else { return [nil] }
            var out = x
            for (i, a) in axes.enumerated() {
                guard let ax = axis(a, rank: rank) else { return [nil] }
                out[ax] = Saturating.add(out[ax], Saturating.add(pads[i], pads[i + axes.count]))
            }
            return [out]
        case "Gather":
            guard let x, let idx = inputs.count > 1 ? inputs[1]?.shape : nil,
                let a = axis(attributes["axis"]?.intValue ?? 0, rank: rank)
            else { return [nil] }
            return [Array(x[..<a]) + idx + Array(x[(a + 1)...])]
        case "Shape":
            guard x != nil else { return [nil] }
            let values = shapeValues(of: inputs[0]!, attributes: attributes) ?? []
            return [[values.count]]
        case "Size": return [[]]
        case "Constant": return [constantShape(attributes)]
        case "ConstantOfShape":
            return [inputs.first??.intValues]
        case "Expand":
            guard let x, let target = inputs.count > 1 ? inputs[1]?.intValues : nil else { return [nil] }
            return [broadcast([x, target], expected: 2)]
        case "Tile":
            guard let x, let reps = inputs.count > 1 ? inputs[1]?.intValues : nil, reps.count == rank
            else { return [nil] }
            return [zip(x, reps).map { Saturating.mul($0, $1) }]
        case "Resize", "Upsample": return [resize(x, type: type, attributes: attributes, inputs: inputs)]
        case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
            "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp":
            guard let x else { return [nil] }
            let keep = (attributes["keepdims"]?.intValue ?? 1) != 0
            var axes = ints("axes", attributes, inputs, 1) ?? []
            if axes.isEmpty {
                if (attributes["noop_with_empty_axes"]?.intValue ?? 0) != 0 { return [x] }
                axes = Array(0..<rank)
            }
            return [reduce(x, axes: axes, keep: keep)]
        case "ArgMax", "ArgMin":
            guard let x else { return [nil] }
            return [reduce(x, axes: [attributes["axis"]?.intValue ?? 0],
                           keep: (attributes["keepdims"]?.intValue ?? 1) != 0)]
        case "Range":
            guard inputs.count == 3, let s = inputs[0]?.intValues?.first,
                let l = inputs[1]?.intValues?.first, let d = inputs[2]?.intValues?.first, d != 0
            else { return [nil] }
            return [[max((l - s + d - (d > 0 ? 1 : -1)) / d, 0)]]
        case "EyeLike": return [x]
        default: return [[Int]?](repeating: nil, count: outputCount)
        }
    }

    /// ONNX Reshape: 0 copies the input dim (unless `allowzero`), −1 is inferred.
    static func reshape(_ x: [Int], _ target: [Int], allowZero: Bool) -> [Int]? {
        var out = target
        for i in out.indices where out[i] == 0 && !allowZero {
            guard i < x.count else { return nil }
            out[i] = x[i]
        }
        let total = Saturating.product(x)
        let negatives = out.indices.filter { out[$0] == -1 }
        guard negatives.count <= 1, out.allSatisfy({ $0 >= -1 }) else { return nil }
        if let n = negatives.first {
            let known = Saturating.product(out.enumerated().filter { $0.offset != n }.map(\.element))
            guard known > 0, total % known == 0 else { return nil }
            out[n] = total / known
        }
        return Saturating.product(out) == total ? out : nil
    }

    static func reduce(_ x: [Int], axes: [Int], keep: Bool) -> [Int]? {
        let norm = Set(axes.compactMap { axis($0, rank: x.count) })
        guard norm.count == Set(axes).count else { return nil }
        return x.enumerated().compactMap { i, d in norm.contains(i) ? (keep ? 1 : nil) : d }
    }

    /// ONNX Slice (opset 1 attributes or opset ≥ 10 inputs), clamping as the spec says.
    static func slice(
        _ x: [Int]?, attributes: [String: AttributeValue], inputs: [TensorInfo?]
    ) -> [Int]? {
        guard let x, let starts = ints("starts", attributes, inputs, 1),
            let ends = ints("ends", attributes, inputs, 2), starts.count == ends.count
        else { return nil }
        let axes = ints("axes", attributes, inputs, 3) ?? Array(0..<starts.count)
        let steps = (inputs.count > 4 ? inputs[4]?.intValues : nil) ?? [Int](repeating: 1, count: starts.count)
        guard axes.count == starts.count, steps.count == starts.count else { return nil }
        var out = x
        for i in starts.indices {
            guard let a = axis(axes[i], rank: x.count), steps[i] != 0 else { return nil }
            let dim = x[a], step = steps[i]
            func clampIndex(_ v: Int, _ lo: Int, _ hi: Int) -> Int {
                let w = v < 0 ? (v < Int.min / 2 ? lo : v + dim) : v
                return min(max(w, lo), hi)
            }
            if step > 0 {
                let s = clampIndex(starts[i], 0, dim), e = clampIndex(ends[i], 0, dim)
                out[a] = e > s ? (e - s + step - 1) / step : 0
            } else {
                let s = clampIndex(starts[i], -1, dim - 1), e = clampIndex(ends[i], -1, dim - 1)
                out[a] = s > e ? (s - e + (-step) - 1) / (-step) : 0
            }
        }
        return out
    }

    static func resize(
        _ x: [Int]?, type: String, attributes: [String: AttributeValue], inputs: [TensorInfo?]
    ) -> [Int]? {
        guard let x else { return nil }
        if type == "Resize", inputs.count > 3, let sizes = inputs[3]?.intValues, !sizes.isEmpty {
            if sizes.count == x.count { return sizes }
            if let axes = attributes["axes"]?.intsValue, axes.count == sizes.count {
                var out = x
                for (i, a) in axes.enumerated() {
                    guard let ax = axis(a, rank: x.count) else { return nil }
                    out[ax] = sizes[i]
                }
                return out
            }
            return nil
        }
        var scales: [Double]? = nil
        if case .floats(let f)? = attributes["scales"] { scales = f }
        if scales == nil {
            let index = type == "Upsample" || inputs.count == 2 ? 1 : 2
            if index < inputs.count, let t = inputs[index] { scales = t.floatValues }
        }
        guard let scales, scales.count == x.count else { return nil }
        let out = zip(x, scales).compactMap { Saturating.int((Double($0) * $1).rounded(.down)) }
        return out.count == x.count ? out : nil
    }

    /// Shape of a Constant node from its `value*` attributes (the importer stores a
    /// tensor value's dims as `value.dims`).
    static func constantShape(_ attributes: [String: AttributeValue]) -> [Int]? {
        if let dims = attributes["value.dims"]?.intsValue { return dims }
        if attributes["value_int"] != nil || attributes["value_float"] != nil
            || attributes["value_string"] != nil { return [] }
        if let v = attributes["value_ints"]?.intsValue { return [v.count] }
        if case .floats(let v)? = attributes["value_floats"] { return [v.count] }
        if case .strings(let v)? = attributes["value_strings"] { return [v.count] }
        return nil
    }
}
