import Tensors

/// Several graphs as one disjoint graph (as in jraph): node and edge rows stacked, edge
/// endpoints shifted to the stacked node indices, and segment ids saying which graph each node
/// and edge belongs to. Features are standardized with the model's normalizers.
public struct GraphBatch {
    public var nodes: Tensor
    public var edges: Tensor
    public var senders: [Int]
    public var receivers: [Int]
    /// Graph (0..<graphCount) of each node.
    public var nodeGraph: [Int]
    /// Graph of each edge.
    public var edgeGraph: [Int]
    /// `[graphCount, globalWidth]`.
    public var globals: Tensor
    public var graphCount: Int
    /// Index of each graph's first node.
    public var nodeOffsets: [Int]
    /// Unnormalized `ln(1+FLOPs)`, `ln(1+bytes)` of each node.
    public var nodeLogFLOPs: [Float]
    public var nodeLogBytes: [Float]

    public var nodeCount: Int { nodeGraph.count }

    /// Stacks `graphs`, standardizing with `norms` (node, edge, global).
    public init(_ graphs: [GraphFeatures], norms: FeatureNorms) {
        let n = graphs.reduce(0) { $0 + $1.nodeCount }, e = graphs.reduce(0) { $0 + $1.edgeCount }
        var nodeData: [Float] = [], edgeData: [Float] = [], globalData: [Float] = []
        nodeData.reserveCapacity(n * GraphFeaturizer.nodeWidth)
        edgeData.reserveCapacity(e * GraphFeaturizer.edgeWidth)
        senders = []; receivers = []; nodeGraph = []; edgeGraph = []; nodeOffsets = []
        nodeLogFLOPs = []; nodeLogBytes = []
        senders.reserveCapacity(e); receivers.reserveCapacity(e)
        var offset = 0
        for (g, f) in graphs.enumerated() {
            nodeOffsets.append(offset)
            nodeData += f.nodes
            edgeData += f.edges
            globalData += f.globals
            for s in f.senders { senders.append(s + offset) }
            for r in f.receivers { receivers.append(r + offset) }
            nodeGraph += repeatElement(g, count: f.nodeCount)
            edgeGraph += repeatElement(g, count: f.edgeCount)
            nodeLogFLOPs += f.nodeLogFLOPs
            nodeLogBytes += f.nodeLogBytes
            offset += f.nodeCount
        }
        norms.node.apply(&nodeData)
        norms.edge.apply(&edgeData)
        norms.global.apply(&globalData)
        nodes = Tensor(shape: [n, GraphFeaturizer.nodeWidth], data: nodeData)
        edges = Tensor(shape: [e, GraphFeaturizer.edgeWidth], data: edgeData)
        globals = Tensor(shape: [graphs.count, GraphFeaturizer.globalWidth], data: globalData)
        graphCount = graphs.count
    }
}

/// The normalizers of a model's inputs, fitted on its training data.
public struct FeatureNorms: Sendable, Hashable, Codable {
    public var node: FeatureNormalizer
    public var edge: FeatureNormalizer
    public var global: FeatureNormalizer
    public var context: FeatureNormalizer

    /// Fits every normalizer on the training graphs and samples, each keeping its columns'
    /// training range (inputs are clipped to it).
    public init(graphs: [GraphFeatures], contexts: [[Float]]) {
        node = FeatureNormalizer(width: GraphFeaturizer.nodeWidth, blocks: graphs.map(\.nodes), clipping: true)
        edge = FeatureNormalizer(width: GraphFeaturizer.edgeWidth, blocks: graphs.map(\.edges), clipping: true)
        global = FeatureNormalizer(width: GraphFeaturizer.globalWidth, blocks: graphs.map(\.globals), clipping: true)
        context = FeatureNormalizer(width: SampleContext.width, blocks: contexts, clipping: true)
    }
}
