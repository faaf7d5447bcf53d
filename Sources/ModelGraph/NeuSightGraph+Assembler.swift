extension NeuSightGraph {
    /// Emits NeuSight rows into a ``GraphBuilder``, repeating the layer rows.
    struct Assembler {
        let file: String
        let rows: [NeuSightRow]
        var builder: GraphBuilder
        /// Rows [layerStart, layerEnd) are the layer; found from `meta`'s module paths.
        var layerRange: Range<Int> = 0..<0

        init(file: String, rows: [NeuSightRow], builder: GraphBuilder) {
            self.file = file
            self.rows = rows
            self.builder = builder
            let layerRows = rows.indices.filter { rows[$0].layerIndex == 0 }
            if let first = layerRows.first, let last = layerRows.last { layerRange = first..<(last + 1) }
        }

        mutating func build(layers: Int) throws -> ModelGraph {
            guard !rows.isEmpty else {
                throw ModelGraphError.malformed(file: file, field: "rows", reason: "the CSV has no nodes")
            }
            var global: [String: Int] = [:]
            for row in rows[..<layerRange.lowerBound] {
                let g = global
                if let id = try emit(row, copy: 0, resolve: { g[$0] }) { global[row.name] = id }
            }
            var copies: [[String: Int]] = []
            let (carryIn, carryOut) = carryNames()
            if !layerRange.isEmpty {
                for k in 0..<layers {
                    var local: [String: Int] = [:]
                    let previous = copies.last
                    for row in rows[layerRange] {
                        let l = local
                        let id = try emit(row, copy: k) { name in
                            if let id = l[name] { return id }
                            if k > 0, name == carryIn, let carryOut, let id = previous?[carryOut] { return id }
                            return global[name]
                        }
                        if let id { local[row.name] = id }
                    }
                    copies.append(local)
                }
            }
            let last = copies.last ?? [:]
            for row in rows[layerRange.upperBound...] {
                let g = global
                if let id = try emit(row, copy: 0, resolve: { last[$0] ?? g[$0] }) { global[row.name] = id }
            }
            return try builder.build()
        }

        /// The tensor entering the layer from outside that the layer's output replaces in
        /// the next copy (same shape), and that output.
        func carryNames() -> (in: String?, out: String?) {
            guard !layerRange.isEmpty else { return (nil, nil) }
            let shapeOf = Dictionary(rows.map { ($0.name, $0.outputShape) }, uniquingKeysWith: { a, _ in a })
            let after = rows[layerRange.upperBound...].filter { $0.op != "output" }
            let out = rows[layerRange].last { row in
                after.contains { $0.inputs.contains(row.name) } && row.dtype.isFloatingPoint
            }?.name
            guard let out, let outShape = shapeOf[out] ?? nil else { return (nil, out) }
            let before = rows[..<layerRange.lowerBound]
            let inName = before.last { row in
                row.outputShape == outShape && row.dtype.isFloatingPoint
                    && rows[layerRange].contains { $0.inputs.contains(row.name) }
            }?.name
            return (inName, out)
        }

        mutating func emit(
            _ row: NeuSightRow, copy k: Int, resolve: (String) -> Int?
        ) throws -> Int? {
            let name = k == 0 ? row.name : "\(row.name)@\(k)"
            func input(_ n: String) throws -> Int {
                guard let id = resolve(n) else {
                    throw ModelGraphError.undefinedTensor(file: "\(file) line \(row.line)", node: row.name, tensor: n)
                }
                return id
            }
            switch row.op {
            case "placeholder":
                return builder.addInput(name, shape: row.outputShape, dtype: row.dtype)
            case "get_attr":
                let isWeight = (row.target.hasSuffix(".weight") || row.target.hasSuffix(".bias")) && row.dtype.isFloatingPoint
                return isWeight
                    ? builder.addParameter(name, shape: row.outputShape ?? [], dtype: row.dtype)
                    : builder.addConstant(name, shape: row.outputShape, dtype: row.dtype)
            case "output":
                for n in row.inputs { builder.markOutput(try input(n)) }
                return nil
            case "call_module", "call_function", "call_method": break
            default:
                throw ModelGraphError.malformed(file: file, field: "line \(row.line) op", reason: "unknown fx op '\(row.op)'")
            }
            let type = NeuSightGraph.onnxType(op: row.op, target: row.target, moduleClass: row.moduleClass, dtype: row.dtype)
            var inputs: [Int?] = try row.inputs.map { try input($0) }
            var attributes: [String: AttributeValue] = ["torch.target": .string(row.target)]
            let inShape = inputs.first.flatMap { $0.flatMap { builder.tensors[$0].shape } }
            let outShape = row.outputShape
            if row.op == "call_module" {
                switch type {
                case "Gemm":
                    let fin = inShape?.last ?? 0, fout = outShape?.last ?? 0
                    inputs.append(builder.addParameter(name + ".weight", shape: [fout, fin], dtype: row.dtype))
                    if !row.target.hasSuffix("lm_head") {
                        inputs.append(builder.addParameter(name + ".bias", shape: [fout], dtype: row.dtype))
                    }
                    attributes["transB"] = .int(1)
                case "Gather":
                    let dim = outShape?.last ?? 0
                    let rows = embeddingRows(target: row.target, inputShape: inShape)
                    let table = builder.addParameter(name + ".weight", shape: [rows, dim], dtype: row.dtype)
                    inputs = [table] + inputs
                case "LayerNormalization":
                    let d = outShape?.last ?? 0
                    inputs.append(builder.addParameter(name + ".weight", shape: [d], dtype: row.dtype))
                    inputs.append(builder.addParameter(name + ".bias", shape: [d], dtype: row.dtype))
                default: break
                }
            } else if type == "Gemm" && NeuSightGraph.functionName(row.target) == "addmm" && inputs.count == 3 {
                inputs = [inputs[1], inputs[2], inputs[0]]  // addmm(bias, A, B) → Gemm(A, B, bias)
            }
            let outs = builder.addNode(
                type, name: name, inputs: inputs, attributes: attributes, outputNames: [name],
                outputShapes: [outShape], outputDTypes: [row.dtype],
                measured: MeasuredLatency(forwardMs: row.forwardMs, backwardMs: row.backwardMs))
            return outs[0]
        }

        /// Rows of an embedding table, which the trace does not record: the vocabulary of
        /// the head (largest last dim of the last Linear) for word embeddings, 2 for token
        /// types, else the sequence length (position embeddings).
        func embeddingRows(target: String, inputShape: [Int]?) -> Int {
            let t = target.lowercased()
            if t.contains("token_type") { return 2 }
            if t.contains("word") || t.contains("wte") || t.contains("embed_tokens") {
                let head = rows.last { $0.op != "output" && ($0.outputShape?.count ?? 0) >= 2 }
                if let v = head?.outputShape?.last { return v }
            }
            return inputShape?.last ?? 1
        }
    }
}
