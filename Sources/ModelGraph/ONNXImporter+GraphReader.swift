import Foundation

extension ONNXImporter {
    /// Turns one `GraphProto` into a ``ModelGraph`` (the importer's working state).
    struct GraphReader {
        let file: String
        let batchSize: Int
        let graph: Onnx_GraphProto
        var builder = GraphBuilder(name: "")
        var ids: [String: Int] = [:]
        var declared: [String: (shape: [Int]?, dtype: DType, symbolic: Bool)] = [:]

        init(file: String, batchSize: Int, graph: Onnx_GraphProto) {
            self.file = file
            self.batchSize = batchSize
            self.graph = graph
        }

        mutating func read(name: String) throws -> ModelGraph {
            builder.name = name
            for vi in graph.valueInfo + graph.output + graph.input {
                declared[vi.name] = try valueInfo(vi, field: "value_info '\(vi.name)'")
            }
            for (i, t) in graph.initializer.enumerated() {
                guard !t.name.isEmpty else {
                    throw ModelGraphError.malformed(file: file, field: "initializer[\(i)].name", reason: "empty")
                }
                let (shape, dtype, ints, floats) = try tensorSummary(t, field: "initializer '\(t.name)'")
                ids[t.name] = builder.addConstant(
                    t.name, shape: shape, dtype: dtype, intValues: ints, floatValues: floats)
            }
            for s in graph.sparseInitializer where !s.values.name.isEmpty {
                let dims = try s.dims.map { try checkedDim($0, field: "sparse_initializer '\(s.values.name)'") }
                ids[s.values.name] = builder.addConstant(
                    s.values.name, shape: dims, dtype: DType(onnxCode: Int(s.values.dataType)))
            }
            for vi in graph.input where ids[vi.name] == nil {
                guard !vi.name.isEmpty else {
                    throw ModelGraphError.malformed(file: file, field: "graph.input", reason: "an input has no name")
                }
                let d = declared[vi.name]!
                ids[vi.name] = builder.addInput(vi.name, shape: d.shape, dtype: d.dtype)
            }
            for index in try topologicalOrder() {
                try addNode(graph.node[index], index: index)
            }
            for out in graph.output {
                guard let id = ids[out.name] else {
                    throw ModelGraphError.undefinedTensor(file: file, node: "graph.output", tensor: out.name)
                }
                builder.markOutput(id)
            }
            markParameters()
            return try builder.build()
        }

        /// Initializers in weight slots become parameters (``OpCostModel/isParameterSlot``).
        mutating func markParameters() {
            for node in builder.nodes {
                for (i, id) in node.inputs.enumerated() {
                    guard let id else { continue }
                    let t = builder.tensors[id]
                    if t.kind == .constant && OpCostModel.isParameterSlot(type: node.type, index: i, tensor: t) {
                        builder.setKind(.parameter, of: id)
                    }
                }
            }
        }

        mutating func addNode(_ node: Onnx_NodeProto, index: Int) throws {
            let label = node.name.isEmpty ? "\(node.opType)_\(index)" : node.name
            guard !node.opType.isEmpty else {
                throw ModelGraphError.malformed(file: file, field: "node[\(index)].op_type", reason: "empty")
            }
            var inputs: [Int?] = []
            for name in node.input {
                if name.isEmpty { inputs.append(nil); continue }
                guard let id = ids[name] else {
                    throw ModelGraphError.undefinedTensor(file: file, node: label, tensor: name)
                }
                inputs.append(id)
            }
            while let last = inputs.last, last == nil { inputs.removeLast() }
            var attributes: [String: AttributeValue] = [:]
            for a in node.attribute {
                try ONNXImporter.convert(a, into: &attributes, file: file, node: label)
            }
            let names = node.output
            // Declared shapes with symbolic dims lose to inference (ONNX's own inference
            // leaves dims it cannot resolve symbolic); they are the fallback.
            let shapes = names.map { declared[$0].flatMap { $0.symbolic ? nil : $0.shape } }
            let dtypes = names.map { declared[$0].map(\.dtype) }
            let outs = builder.addNode(
                node.opType, name: label, inputs: inputs, attributes: attributes,
                outputNames: names, outputShapes: shapes,
                outputDTypes: dtypes.map { $0 == .undefined ? nil : $0 })
            for (n, id) in zip(names, outs) where builder.tensors[id].shape == nil {
                if let d = declared[n], let shape = d.shape { builder.setShape(shape, of: id) }
            }
            for (n, id) in zip(names, outs) where !n.isEmpty {
                if ids[n] != nil {
                    throw ModelGraphError.malformed(
                        file: file, field: "node '\(label)'.output", reason: "tensor '\(n)' is defined twice")
                }
                ids[n] = id
            }
        }

        /// Kahn's algorithm, stable in file order; names defined by nothing are errors.
        func topologicalOrder() throws -> [Int] {
            var producer: [String: Int] = [:]
            for (i, n) in graph.node.enumerated() {
                for o in n.output where !o.isEmpty { producer[o] = i }
            }
            var known = Set(ids.keys)
            var pending = [Int](repeating: 0, count: graph.node.count)
            var dependents = [[Int]](repeating: [], count: graph.node.count)
            for (i, n) in graph.node.enumerated() {
                for name in Set(n.input) where !name.isEmpty && !known.contains(name) {
                    guard let p = producer[name] else {
                        let label = n.name.isEmpty ? "\(n.opType)_\(i)" : n.name
                        throw ModelGraphError.undefinedTensor(file: file, node: label, tensor: name)
                    }
                    pending[i] += 1
                    dependents[p].append(i)
                }
            }
            var ready = (0..<graph.node.count).filter { pending[$0] == 0 }.reversed() as [Int]
            var order: [Int] = []
            while let i = ready.popLast() {
                order.append(i)
                for o in graph.node[i].output { known.insert(o) }
                var released: [Int] = []
                for d in dependents[i] {
                    pending[d] -= 1
                    if pending[d] == 0 { released.append(d) }
                }
                ready.append(contentsOf: released.sorted(by: >))
                ready.sort(by: >)
            }
            guard order.count == graph.node.count else {
                throw ModelGraphError.malformed(
                    file: file, field: "GraphProto.node",
                    reason: "the graph has a cycle through \(graph.node.count - order.count) nodes")
            }
            return order
        }

        func checkedDim(_ d: Int64, field: String) throws -> Int {
            guard d >= 0 && d <= ONNXImporter.maxDim else {
                throw ModelGraphError.malformed(file: file, field: field, reason: "dimension \(d) out of range")
            }
            return Int(d)
        }

        /// Shape and dtype of a `ValueInfoProto`; `dim_param` and unset dims become the batch size.
        func valueInfo(_ vi: Onnx_ValueInfoProto, field: String) throws
            -> (shape: [Int]?, dtype: DType, symbolic: Bool)
        {
            guard case .tensorType(let t)? = vi.type.value else { return (nil, .undefined, false) }
            let dtype = DType(onnxCode: Int(t.elemType))
            guard t.hasShape else { return (nil, dtype, false) }
            var shape: [Int] = []
            var symbolic = false
            for d in t.shape.dim {
                switch d.value {
                case .dimValue(let v)?: shape.append(try checkedDim(v, field: field))
                case .dimParam?, nil: shape.append(batchSize); symbolic = true
                }
            }
            return (shape, dtype, symbolic)
        }

        /// Dims, dtype, and values of a small integer or float tensor.
        func tensorSummary(_ t: Onnx_TensorProto, field: String) throws
            -> (shape: [Int], dtype: DType, ints: [Int]?, floats: [Double]?)
        {
            let shape = try t.dims.map { try checkedDim($0, field: field) }
            guard Saturating.product(shape) < 1 << 50 else {
                throw ModelGraphError.malformed(file: file, field: field, reason: "too many elements")
            }
            let dtype = DType(onnxCode: Int(t.dataType))
            let count = Saturating.product(shape)
            return (shape, dtype, ONNXImporter.smallInts(t, count: count), ONNXImporter.smallFloats(t, count: count))
        }
    }
}
