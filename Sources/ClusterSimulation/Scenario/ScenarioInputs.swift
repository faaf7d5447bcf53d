import ClusterKit
import Foundation

/// The load sequence every command shares: device catalog → cluster → measured oracle → the
/// workload catalog production traces' jobs are given models from. The oracle reads only the
/// datasets the run's jobs can need (`OracleNeeds`), each once.
public struct ScenarioInputs: Sendable {
    public var catalog: DeviceCatalog
    public var cluster: ClusterSpec
    public var oracle: MeasuredOracle
    public var workloads: WorkloadCatalog
    /// The device catalog and the cluster, as `run.json` lists them.
    public var inputs: [ResultWriter.Input]

    /// Where a run's jobs come from, which decides what the oracle reads.
    public enum Jobs: Sendable {
        /// Trace files (their first `limit` jobs each); jobs of production traces, which name no
        /// model, are given models of `families` (nil: ``WorkloadCatalog/families``).
        case traces([(path: String, format: TraceFormat)], limit: Int?, families: Set<String>? = nil)
        /// Jobs given models from the workload catalog of `families` (nil: all), e.g. generated.
        case drawn(families: Set<String>?)
    }

    /// Loads the inputs for `jobs`. `oracle` may be passed in to share one across runs;
    /// `memoryAccount` fills the memory of a loaded oracle's GPU benchmark entries that none was
    /// measured for (`MeasuredOracle.fillMemory(from:catalog:)`; without it they have none).
    public static func load(devicesPath: String, clusterPath: String, data: DataRoot, jobs: Jobs,
                            oracle: MeasuredOracle? = nil, memoryAccount: (any MemoryAccount)? = nil) throws -> ScenarioInputs {
        let catalog = try DeviceCatalog.load(path: devicesPath)
        let cluster = try ClusterSpec.load(path: clusterPath, catalog: catalog)
        var oracle = try oracle ?? MeasuredOracle.loadPublic(root: data, catalog: catalog, needs: needs(jobs, devices: catalog))
        if let memoryAccount { oracle.fillMemory(from: memoryAccount, catalog: catalog) }
        let families: Set<String>?
        switch jobs {
        case .drawn(let f): families = f
        case .traces(_, _, let f): families = f
        }
        return ScenarioInputs(catalog: catalog, cluster: cluster, oracle: oracle,
                              workloads: WorkloadCatalog(oracle: oracle, cluster: cluster, families: families),
                              inputs: [.init(role: "devices", path: devicesPath), .init(role: "cluster", path: clusterPath)])
    }

    static func needs(_ jobs: Jobs, devices: DeviceCatalog) throws -> OracleNeeds {
        switch jobs {
        case .drawn(let families): return .workloads(families: families)
        case .traces(let files, let limit, let families):
            return try files.reduce(OracleNeeds.gavelOnly) {
                try $0.union($1.format.oracleNeeds(path: $1.path, devices: devices, limit: limit, families: families))
            }
        }
    }
}
