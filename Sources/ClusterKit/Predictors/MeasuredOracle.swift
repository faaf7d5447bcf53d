/// Ground truth as a predictor: a table of measured performance.
///
/// The engine always executes jobs with this table. It is filled from public measurements read
/// in place (`MeasuredOracle+Gavel`, `+NB201`, `+NeuSight`, `+Lucid`) and the project's own
/// measurement files; every entry keeps its provenance. Where a metric was not measured for an
/// entry it is `nil` (e.g. memory of the NAS-Bench-201 latency table), never invented.
public struct MeasuredOracle: PerformancePredictor {
    /// One measured answer and where it came from.
    public struct Entry: Sendable, Hashable {
        public var estimate: PerformanceEstimate
        /// e.g. `gavel`, `nb201`, `neusight`; memory and utilization sources are appended
        /// (`+lucid` exact, `+lucid~` interpolated in batch size).
        public var source: String

        public init(estimate: PerformanceEstimate, source: String) {
            self.estimate = estimate
            self.source = source
        }
    }

    public private(set) var table: [PerformanceQuery: Entry] = [:]
    /// Measured co-location pairs, for checking the interference model.
    public var colocations: [ColocationRecord] = []
    /// Measured multi-GPU scaling.
    public var scaling = ScalingTable()
    /// Which reference device each family of configurations is converted on, in load order.
    public private(set) var referenceDevices: [(modelPrefix: String, device: String)] = []
    /// Reference devices of single models (the GPU benchmarks': each configuration its own),
    /// consulted before the prefixes.
    public private(set) var modelReferenceDevices: [String: String] = [:]
    /// Gavel's own throughput table as measured (steps per second of the whole job; 0 where Gavel
    /// says the job cannot run; scaling not capped): what `GavelMechanism` executes with.
    public internal(set) var gavelThroughputs: [GavelThroughputKey: Double] = [:]
    /// Gavel's co-located throughputs as given, per pair of job types, device and scale factor:
    /// (steps/s of the first, of the second) while they share the devices; (0, 0) where the
    /// pair does not fit. For the Gavel mechanism's space-sharing policies.
    public internal(set) var gavelPairThroughputs: [GavelPairKey: (first: Double, second: Double)] = [:]
    /// What each GPU benchmark entry's row says about memory (`fillMemory(from:catalog:)`).
    public internal(set) var memoryEvidence: [PerformanceQuery: MemoryEvidence] = [:]

    public init() {}

    public var name: String { "measured" }

    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        queries.map { table[$0]?.estimate }
    }

    public func entry(_ query: PerformanceQuery) -> Entry? { table[query] }

    public mutating func insert(_ query: PerformanceQuery, _ entry: Entry) { table[query] = entry }

    public mutating func setReferenceDevice(_ device: String, forModelsWithPrefix prefix: String) {
        referenceDevices.removeAll { $0.modelPrefix == prefix }
        referenceDevices.append((prefix, device))
    }

    /// The reference device of every configuration of `model` (before any prefix's).
    public mutating func setReferenceDevice(_ device: String, forModel model: String) {
        modelReferenceDevices[model] = device
    }

    /// The device on which a configuration's trace durations are expressed.
    public func referenceDevice(for config: ModelConfig) -> String? {
        if let d = modelReferenceDevices[config.model] { return d }
        return referenceDevices.first { config.model.hasPrefix($0.modelPrefix) }?.device
    }

    /// Devices on which `config` has a measurement, sorted by name.
    public func devices(for config: ModelConfig) -> [String] {
        table.keys.filter { $0.config == config }.map(\.device).sorted()
    }

    /// All measured configurations, sorted.
    public var configs: [ModelConfig] { Set(table.keys.map(\.config)).sorted() }
}

/// A Gavel throughput entry: job configuration, device type and scale factor (GPUs).
/// Two of Gavel's job types sharing devices of one type, each with `scale` devices
/// (`MeasuredOracle.gavelPairThroughputs`).
public struct GavelPairKey: Hashable, Sendable {
    public var first: ModelConfig
    public var second: ModelConfig
    public var device: String
    public var scale: Int
    public init(first: ModelConfig, second: ModelConfig, device: String, scale: Int) {
        self.first = first
        self.second = second
        self.device = device
        self.scale = scale
    }
}

public struct GavelThroughputKey: Hashable, Sendable {
    public var config: ModelConfig
    public var device: String
    public var scale: Int
    public init(config: ModelConfig, device: String, scale: Int) {
        self.config = config
        self.device = device
        self.scale = scale
    }
}

/// Two jobs measured sharing one GPU: each one's speed relative to running alone.
public struct ColocationRecord: Sendable, Hashable {
    public var dataset: String
    public var device: String
    public var a: String
    public var b: String
    /// Solo SM utilizations (0...1) of the two jobs, where measured.
    public var utilizationA: Double?
    public var utilizationB: Double?
    public var speedA: Double
    public var speedB: Double
}
