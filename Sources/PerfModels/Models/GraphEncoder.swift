import Tensors

/// What an encoder computes for a batch: an embedding per node and a readout per graph.
public struct Encoding {
    /// `[nodes, nodeWidth]`.
    public var nodes: Variable
    /// `[graphs, readoutWidth]`.
    public var graphs: Variable
}

/// A graph neural network that embeds a ``GraphBatch``: the part of a performance model that
/// reads the computation graph. Heads on top turn the readout into predictions.
public protocol GraphEncoder {
    /// Width of each node embedding.
    var nodeWidth: Int { get }
    /// Width of each graph readout.
    var readoutWidth: Int { get }
    func encode(_ batch: GraphBatch, tape: Tape) -> Encoding
}

/// The encoder families `augur train --model` offers.
public enum EncoderKind: String, Sendable, Codable, CaseIterable {
    /// SeerNet-style graph-network blocks (PerfSeer, Zhao et al. 2024).
    case seernet
    /// Edge-aware graph attention (SLAPP, 2024's EAGAT idea).
    case eagat
    /// GraphSAGE (Hamilton et al. 2017), as PerfSAGE uses (Chai et al. 2023).
    case sage
    /// No graph: an MLP on the global features and the device (a baseline).
    case mlp

    /// Builds an encoder of this kind.
    public func make(_ store: ParameterStore, hidden: Int, layers: Int, heads: Int) -> any GraphEncoder {
        switch self {
        case .seernet: return SeerNetEncoder(store, hidden: hidden, layers: layers)
        case .eagat: return EAGATEncoder(store, hidden: hidden, layers: layers, heads: heads)
        case .sage: return SAGEEncoder(store, hidden: hidden, layers: layers)
        case .mlp: return GlobalOnlyEncoder()
        }
    }
}

/// The `mlp` baseline's encoder: it ignores the graph's structure (readout width 0), so the
/// heads see only global features, the device and the priors.
public struct GlobalOnlyEncoder: GraphEncoder {
    public var nodeWidth: Int { 1 }
    public var readoutWidth: Int { 0 }
    public func encode(_ batch: GraphBatch, tape: Tape) -> Encoding {
        Encoding(nodes: Variable(Tensor.zeros([batch.nodeCount, 1])), graphs: Variable(Tensor.zeros([batch.graphCount, 0])))
    }
}
