import ClusterKit
import Foundation

/// Everything one simulation run needs, loaded and validated: the device catalog, the cluster,
/// the measured oracle, the trace (work bound to iterations) and the policy's predictor.
public struct Scenario: Sendable {
    public var catalog: DeviceCatalog
    public var cluster: ClusterSpec
    public var oracle: MeasuredOracle
    public var trace: Trace
    public var inputs: [ResultWriter.Input]

    public init(catalog: DeviceCatalog, cluster: ClusterSpec, oracle: MeasuredOracle, trace: Trace, inputs: [ResultWriter.Input]) {
        self.catalog = catalog
        self.cluster = cluster
        self.oracle = oracle
        self.trace = trace
        self.inputs = inputs
    }

    /// Loads files (`ScenarioInputs`: the oracle reads only what the trace's jobs need);
    /// production traces' jobs are given models of `families` (nil: the default families).
    /// `oracle` may be passed in to share one across runs; `memoryAccount` fills the memory the
    /// GPU benchmarks did not measure (`MeasuredOracle.fillMemory(from:catalog:)`).
    public static func load(devicesPath: String, clusterPath: String, tracePath: String, format: TraceFormat,
                            data: DataRoot, seed: UInt64, limit: Int? = nil, skipInfeasible: Bool = false,
                            families: Set<String>? = nil, oracle: MeasuredOracle? = nil,
                            memoryAccount: (any MemoryAccount)? = nil) throws -> Scenario {
        let loaded = try ScenarioInputs.load(devicesPath: devicesPath, clusterPath: clusterPath, data: data,
                                             jobs: .traces([(tracePath, format)], limit: limit, families: families), oracle: oracle,
                                             memoryAccount: memoryAccount)
        return try replaying(tracePath: tracePath, format: format, seed: seed, limit: limit, skipInfeasible: skipInfeasible, inputs: loaded)
    }

    /// A scenario of loaded inputs and a trace file read with `seed`.
    public static func replaying(tracePath: String, format: TraceFormat, seed: UInt64, limit: Int? = nil, skipInfeasible: Bool = false,
                                 inputs loaded: ScenarioInputs) throws -> Scenario {
        try replaying(tracePath: tracePath, format: format, seed: seed, limit: limit, skipInfeasible: skipInfeasible,
                      catalog: loaded.catalog, cluster: loaded.cluster, oracle: loaded.oracle, workloads: loaded.workloads, inputs: loaded.inputs)
    }

    /// A scenario of already loaded parts and a trace file read with `seed` (production
    /// traces' model assignment depends on it); for evaluations that replay one trace per seed.
    public static func replaying(tracePath: String, format: TraceFormat, seed: UInt64, limit: Int? = nil, skipInfeasible: Bool = false,
                                 catalog: DeviceCatalog, cluster: ClusterSpec, oracle: MeasuredOracle, workloads: WorkloadCatalog,
                                 inputs: [ResultWriter.Input]) throws -> Scenario {
        let trace = try format.read(path: tracePath, catalog: workloads, devices: catalog, seed: seed, limit: limit,
                                    skipInfeasible: skipInfeasible).bindingWork(to: oracle)
        return Scenario(catalog: catalog, cluster: cluster, oracle: oracle, trace: trace,
                        inputs: inputs + [.init(role: "trace", path: tracePath)])
    }

    /// Runs one simulation and returns the simulator (for its state) and summary.
    public func run(scheduler: any SchedulingPolicy, placement: any PlacementPolicy, predictor: any PerformancePredictor,
                    config: SimulationConfig, progress: ((Int, Int) -> Void)? = nil) throws -> (Simulator, RunSummary) {
        let sim = try Simulator(trace: trace, cluster: cluster, oracle: oracle, predictor: predictor,
                                scheduler: scheduler, placement: placement, config: config)
        let metrics = MetricsCollector()
        sim.addObserver(metrics)
        sim.run(progress: progress)
        return (sim, RunSummary(simulator: sim, metrics: metrics))
    }
}
