import Tensors

/// GraphSAGE with mean aggregation (Hamilton, Ying and Leskovec, "Inductive Representation
/// Learning on Large Graphs", NeurIPS 2017), the encoder of PerfSAGE (Chai et al., "PerfSAGE:
/// Generalized Inference Performance Predictor for Arbitrary Deep Learning Models on Edge
/// Devices", 2023). Each layer: `x ← x + ReLU([x ‖ mean of neighbours] · W)` over producers and
/// consumers alike. Readout: max ‖ mean.
public struct SAGEEncoder: GraphEncoder {
    let hidden: Int
    let nodeIn: Dense
    let update: [Dense]

    public init(_ store: ParameterStore, hidden: Int, layers: Int) {
        self.hidden = hidden
        nodeIn = Dense(store, "sage.node_in", GraphFeaturizer.nodeWidth, hidden, shared: true)
        update = (0..<layers).map { Dense(store, "sage.\($0).update", 2 * hidden, hidden, shared: true) }
    }

    public var nodeWidth: Int { hidden }
    public var readoutWidth: Int { 2 * hidden }

    public func encode(_ b: GraphBatch, tape: Tape) -> Encoding {
        let n = b.nodeCount, g = b.graphCount
        var x = nodeIn(Variable(b.nodes), tape).relu()
        for layer in update {
            let neighbours = x.gather(b.senders).segmentMean(b.receivers, count: n)
            x = x + layer(Variable.concat([x, neighbours], axis: 1), tape).relu()
        }
        let readout = Variable.concat([x.segmentMax(b.nodeGraph, count: g), x.segmentMean(b.nodeGraph, count: g)], axis: 1)
        return Encoding(nodes: x, graphs: readout)
    }
}
