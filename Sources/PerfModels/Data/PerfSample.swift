import ClusterKit

/// One measurement a predictor learns from or is judged on: a graph (by index into its
/// ``PerfDataset``) run with a batch size, mode and precision on a device, and what was
/// measured. Targets that were not measured are nil.
public struct PerfSample: Sendable, Hashable {
    /// Index of the graph in ``PerfDataset/graphs``.
    public var graph: Int
    /// The device's name: a catalog name, or a name the catalog does not know (specs unknown).
    public var device: String
    public var batchSize: Int
    public var mode: RunMode
    public var precision: Precision
    /// Time per iteration, seconds.
    public var time: Double?
    /// Peak memory, bytes.
    public var memory: Double?
    /// SM utilization, 0...1.
    public var utilization: Double?
    /// Measured time of each operator (seconds; NaN where not measured), where the source has
    /// operator labels (NeuSight).
    public var operatorTimes: [Float]?
    /// Roofline time from the device's specs (seconds), where the specs are known.
    public var priorTime: Double?
    /// Analytic memory of the graph for this mode (bytes).
    public var priorMemory: Double?

    public init(graph: Int, device: String, batchSize: Int, mode: RunMode, precision: Precision = .fp32,
                time: Double? = nil, memory: Double? = nil, utilization: Double? = nil,
                operatorTimes: [Float]? = nil, priorTime: Double? = nil, priorMemory: Double? = nil) {
        self.graph = graph
        self.device = device
        self.batchSize = batchSize
        self.mode = mode
        self.precision = precision
        self.time = time
        self.memory = memory
        self.utilization = utilization
        self.operatorTimes = operatorTimes
        self.priorTime = priorTime
        self.priorMemory = priorMemory
    }
}
