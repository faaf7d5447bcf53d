import Tensors

/// SeerNet's graph-network encoder (PerfSeer: Zhao et al., "PerfSeer: An Efficient and
/// Accurate Deep Learning Models Performance Predictor", 2024; after Battaglia et al. 2018's
/// graph-network block).
///
/// Each of `layers` blocks: an edge update from the edge, both endpoints and the graph's global
/// node; mean aggregation of incoming edges; a node update from the node, its aggregate and the
/// global node; and the global node's update by attention pooling over the nodes (GNPB). Every
/// update is residual. Readout: max ‖ mean of the node embeddings (SynMM) ‖ the global node.
public struct SeerNetEncoder: GraphEncoder {
    let hidden: Int
    let nodeIn: Dense, edgeIn: Dense, globalIn: Dense
    let edgeUpdate: [Dense], nodeUpdate: [Dense], attention: [Dense], globalUpdate: [Dense]

    public init(_ store: ParameterStore, hidden: Int, layers: Int) {
        self.hidden = hidden
        nodeIn = Dense(store, "seernet.node_in", GraphFeaturizer.nodeWidth, hidden, shared: true)
        edgeIn = Dense(store, "seernet.edge_in", GraphFeaturizer.edgeWidth, hidden, shared: true)
        globalIn = Dense(store, "seernet.global_in", GraphFeaturizer.globalWidth, hidden, shared: true)
        edgeUpdate = (0..<layers).map { Dense(store, "seernet.\($0).edge", 4 * hidden, hidden, shared: true) }
        nodeUpdate = (0..<layers).map { Dense(store, "seernet.\($0).node", 3 * hidden, hidden, shared: true) }
        attention = (0..<layers).map { Dense(store, "seernet.\($0).attention", hidden, 1, shared: true) }
        globalUpdate = (0..<layers).map { Dense(store, "seernet.\($0).global", 2 * hidden, hidden, shared: true) }
    }

    public var nodeWidth: Int { hidden }
    public var readoutWidth: Int { 3 * hidden }

    public func encode(_ b: GraphBatch, tape: Tape) -> Encoding {
        let n = b.nodeCount, g = b.graphCount
        var x = nodeIn(Variable(b.nodes), tape).relu()
        var e = edgeIn(Variable(b.edges), tape).relu()
        var u = globalIn(Variable(b.globals), tape).relu()
        for l in edgeUpdate.indices {
            // [e ‖ x_s ‖ x_r ‖ u] · W, with the node- and graph-level blocks multiplied before
            // they are gathered onto edges.
            e = e + edgeUpdate[l](blocks: [(e, nil), (x, b.senders), (x, b.receivers), (u, b.edgeGraph)], tape).relu()
            let aggregate = e.segmentMean(b.receivers, count: n)
            x = x + nodeUpdate[l](blocks: [(x, nil), (aggregate, nil), (u, b.nodeGraph)], tape).relu()
            let weights = attention[l](x, tape).segmentSoftmax(b.nodeGraph, count: g)
            let pooled = (x * weights).segmentSum(b.nodeGraph, count: g)
            u = u + globalUpdate[l](Variable.concat([u, pooled], axis: 1), tape).relu()
        }
        let readout = Variable.concat([x.segmentMax(b.nodeGraph, count: g), x.segmentMean(b.nodeGraph, count: g), u], axis: 1)
        return Encoding(nodes: x, graphs: readout)
    }
}
