/// Builds a ``ModelGraph`` operator by operator, running ``ShapeInference`` for outputs
/// whose shapes are not given, and ``OpCostModel`` for every node on ``build()``.
///
/// ```swift
/// var b = GraphBuilder(name: "tiny")
/// let x = b.addInput("x", shape: [1, 3, 32, 32])
/// let w = b.addParameter("w", shape: [16, 3, 3, 3])
/// let y = try b.add("Conv", inputs: [x, w], attributes: ["pads": .ints([1, 1, 1, 1])])
/// b.markOutput(y)
/// let graph = try b.build()
/// ```
public struct GraphBuilder: Sendable {
    /// Name of the graph being built.
    public var name: String
    /// Tensors so far.
    public private(set) var tensors: [TensorInfo] = []
    /// Nodes so far.
    public private(set) var nodes: [OpNode] = []
    private var inputs: [Int] = []
    private var outputs: [Int] = []

    /// Starts an empty graph.
    public init(name: String) { self.name = name }

    private mutating func addTensor(
        _ name: String, shape: [Int]?, dtype: DType, kind: TensorKind,
        intValues: [Int]? = nil, floatValues: [Double]? = nil
    ) -> Int {
        let id = tensors.count
        tensors.append(TensorInfo(
            id: id, name: name, shape: shape, dtype: dtype, kind: kind,
            intValues: intValues, floatValues: floatValues))
        return id
    }

    /// Adds a graph input fed at run time.
    public mutating func addInput(_ name: String, shape: [Int]?, dtype: DType = .float32) -> Int {
        let id = addTensor(name, shape: shape, dtype: dtype, kind: .input)
        inputs.append(id)
        return id
    }

    /// Adds a trainable weight.
    public mutating func addParameter(_ name: String, shape: [Int], dtype: DType = .float32) -> Int {
        addTensor(name, shape: shape, dtype: dtype, kind: .parameter)
    }

    /// Adds a constant (not trained); small integer constants should carry their values.
    public mutating func addConstant(
        _ name: String, shape: [Int]?, dtype: DType, intValues: [Int]? = nil,
        floatValues: [Double]? = nil
    ) -> Int {
        addTensor(name, shape: shape, dtype: dtype, kind: .constant,
                  intValues: intValues, floatValues: floatValues)
    }

    /// Marks a tensor as a graph output.
    public mutating func markOutput(_ id: Int) { outputs.append(id) }

    /// Changes the role of an existing tensor (the ONNX importer turns initializers in
    /// weight slots into parameters).
    mutating func setKind(_ kind: TensorKind, of id: Int) { tensors[id].kind = kind }

    /// Sets the shape of an existing tensor (the importer's fallback to declared shapes).
    mutating func setShape(_ shape: [Int]?, of id: Int) { tensors[id].shape = shape }

    /// Adds an operator. Output shapes come from `outputShapes` where given and non-nil,
    /// else from ``ShapeInference``; output dtypes likewise. Returns the output ids.
    @discardableResult
    public mutating func addNode(
        _ type: String, name: String = "", inputs: [Int?],
        attributes: [String: AttributeValue] = [:], outputNames: [String],
        outputShapes: [[Int]?]? = nil, outputDTypes: [DType?]? = nil,
        measured: MeasuredLatency? = nil
    ) -> [Int] {
        let inputInfos = inputs.map { $0.flatMap { tensors.indices.contains($0) ? tensors[$0] : nil } }
        let inferred = ShapeInference.outputShapes(
            type: type, attributes: attributes, inputs: inputInfos, outputCount: outputNames.count)
        let values = ShapeInference.outputIntValues(type: type, attributes: attributes, inputs: inputInfos)
        var ids: [Int] = []
        for (i, outName) in outputNames.enumerated() {
            let given = outputShapes.flatMap { i < $0.count ? $0[i] : nil }
            let dtype = outputDTypes.flatMap { i < $0.count ? $0[i] : nil }
                ?? ShapeInference.outputDType(type: type, attributes: attributes, inputs: inputInfos, index: i)
            let shape = given ?? inferred[i]
            var ints: [Int]? = nil
            if i == 0, let values, values.count <= 64, shape == nil || Saturating.product(shape!) == values.count {
                ints = values
            }
            ids.append(addTensor(outName, shape: shape, dtype: dtype, kind: .activation, intValues: ints))
        }
        nodes.append(OpNode(
            name: name, type: type, attributes: attributes, inputs: inputs, outputs: ids,
            measured: measured))
        return ids
    }

    /// Adds a single-output operator named `name` and returns its output id.
    @discardableResult
    public mutating func add(
        _ type: String, name: String = "", inputs: [Int],
        attributes: [String: AttributeValue] = [:]
    ) -> Int {
        let label = name.isEmpty ? "\(type.lowercased())_\(nodes.count)" : name
        return addNode(type, name: label, inputs: inputs.map { $0 }, attributes: attributes,
                       outputNames: [label + ":0"])[0]
    }

    /// Validates a size (batch, resolution, length, width) of a Swift-built model, throwing
    /// ``ModelGraphError/invalidSpec(source:field:reason:)`` that names the field and the range.
    static func checkSize(_ value: Int, _ field: String, within range: ClosedRange<Int>, source: String) throws {
        guard range.contains(value) else {
            throw ModelGraphError.invalidSpec(source: source, field: field, reason: "must be within \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
    }

    /// The number of nodes added so far (the index the next node gets).
    public var nodeCount: Int { nodes.count }

    /// Marks the nodes added since `firstNode` (a ``nodeCount`` read before adding them) as one
    /// fused kernel named `kernel` (``ModelGraph/fusedAttribute``, one value per group).
    public mutating func fuse(since firstNode: Int, kernel: String) {
        let group = "\(kernel)#\(firstNode)"
        for i in max(0, firstNode)..<nodes.count {
            nodes[i].attributes[ModelGraph.fusedAttribute] = .string(group)
        }
    }

    /// Computes every node's cost (without the bytes of tensors internal to a fused kernel,
    /// ``ModelGraph/fusedInternalTensors``) and returns the validated graph.
    public func build() throws -> ModelGraph {
        var nodes = self.nodes
        let internalTensor = ModelGraph.fusedInternalTensors(nodes: nodes, tensorCount: tensors.count, outputs: outputs)
        for i in nodes.indices {
            let node = nodes[i]
            let cost = OpCostModel.cost(
                type: node.type, attributes: node.attributes,
                inputs: node.inputs.map { $0.flatMap { tensors.indices.contains($0) ? tensors[$0] : nil } },
                outputs: node.outputs.compactMap { tensors.indices.contains($0) ? tensors[$0] : nil })
            nodes[i].cost = ModelGraph.withoutInternalBytes(cost, node: node, tensors: tensors, internalTensor: internalTensor)
        }
        return try ModelGraph(name: name, nodes: nodes, tensors: tensors, inputs: inputs, outputs: outputs)
    }
}
