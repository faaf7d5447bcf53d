import Tensors

/// An edge-aware graph attention encoder (after SLAPP's EAGAT: attention whose scores read both
/// endpoint nodes and the edge's features; Veličković et al. 2018's GAT made edge-aware).
///
/// Each layer projects nodes (`z = x·W`) and edges, scores each directed edge per head as
/// `a_k · LeakyReLU([z_s ‖ z_r ‖ e·W_e])`, normalizes the scores over each receiver's incoming
/// edges (segment softmax), sums the messages `z_s + e·W_e` weighted by their head's score, and
/// updates nodes (ELU, residual) and edges (from the edge and its endpoints, residual).
/// Readout: max ‖ mean of the node embeddings. The node embeddings also feed an operator-level
/// head (per-operator times) where a model is trained with operator labels.
public struct EAGATEncoder: GraphEncoder {
    let hidden: Int, heads: Int
    let nodeIn: Dense, edgeIn: Dense
    let project: [Dense], edgeProject: [Dense], score: [Dense], output: [Dense], edgeUpdate: [Dense]
    /// `[heads, hidden]`: row k has ones over head k's columns, so `α · expand` spreads each head's
    /// weight over its slice of the message.
    let expand: Tensor

    public init(_ store: ParameterStore, hidden: Int, layers: Int, heads: Int) {
        precondition(heads >= 1 && hidden % heads == 0, "EAGAT: hidden (\(hidden)) must be a multiple of heads (\(heads))")
        self.hidden = hidden
        self.heads = heads
        nodeIn = Dense(store, "eagat.node_in", GraphFeaturizer.nodeWidth, hidden, shared: true)
        edgeIn = Dense(store, "eagat.edge_in", GraphFeaturizer.edgeWidth, hidden, shared: true)
        project = (0..<layers).map { Dense(store, "eagat.\($0).project", hidden, hidden, shared: true) }
        edgeProject = (0..<layers).map { Dense(store, "eagat.\($0).edge_project", hidden, hidden, shared: true) }
        score = (0..<layers).map { Dense(store, "eagat.\($0).score", 3 * hidden, heads, shared: true) }
        output = (0..<layers).map { Dense(store, "eagat.\($0).output", hidden, hidden, shared: true) }
        edgeUpdate = (0..<layers).map { Dense(store, "eagat.\($0).edge", 3 * hidden, hidden, shared: true) }
        let width = hidden / heads
        expand = Tensor(shape: [heads, hidden]) { p in
            for k in 0..<heads { for j in 0..<hidden { p[k * hidden + j] = j / width == k ? 1 : 0 } }
        }
    }

    public var nodeWidth: Int { hidden }
    public var readoutWidth: Int { 2 * hidden }

    public func encode(_ b: GraphBatch, tape: Tape) -> Encoding {
        let n = b.nodeCount, g = b.graphCount
        var x = nodeIn(Variable(b.nodes), tape).relu()
        var e = edgeIn(Variable(b.edges), tape).relu()
        let spread = Variable(expand)
        for l in project.indices {
            let z = project[l](x, tape)
            let zs = z.gather(b.senders), zr = z.gather(b.receivers)
            let ez = edgeProject[l](e, tape)
            let scores = score[l](Variable.concat([zs, zr, ez], axis: 1).leakyRelu(slope: 0.2), tape)
            let alpha = scores.segmentSoftmax(b.receivers, count: n).matmul(spread, using: tape.products)
            let messages = ((zs + ez) * alpha).segmentSum(b.receivers, count: n)
            x = x + output[l](messages, tape).elu()
            e = e + edgeUpdate[l](Variable.concat([e, zs, zr], axis: 1), tape).relu()
        }
        let readout = Variable.concat([x.segmentMax(b.nodeGraph, count: g), x.segmentMean(b.nodeGraph, count: g)], axis: 1)
        return Encoding(nodes: x, graphs: readout)
    }
}
