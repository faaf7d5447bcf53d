import ModelGraph

/// One computation graph turned into numbers (PerfSeer, Zhao et al. 2024: node, edge and
/// global features): raw values, before ``FeatureNormalizer`` standardizes them.
///
/// Edges are listed in both directions (the data-flow direction first, flagged in the edge
/// features), so messages reach an operator from its producers and its consumers.
public struct GraphFeatures: Sendable, Hashable {
    /// Operators.
    public var nodeCount: Int
    /// `nodeCount × GraphFeaturizer.nodeWidth`, row-major.
    public var nodes: [Float]
    /// Message senders and receivers (node indices), one pair per directed edge.
    public var senders: [Int]
    public var receivers: [Int]
    /// `edgeCount × GraphFeaturizer.edgeWidth`, row-major.
    public var edges: [Float]
    /// `GraphFeaturizer.globalWidth` whole-graph features.
    public var globals: [Float]
    /// `ln(1 + FLOPs)` and `ln(1 + bytes)` of each operator's forward pass (unnormalized), for
    /// operator-level roofline context.
    public var nodeLogFLOPs: [Float]
    public var nodeLogBytes: [Float]
    /// The graph's costs, for the analytic priors on any device (``PerfDataset/priors(profile:mode:precision:spec:)``).
    public var profile: CostProfile

    /// Directed edges.
    public var edgeCount: Int { senders.count }
}
