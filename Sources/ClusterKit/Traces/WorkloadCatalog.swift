import Foundation

/// The model configurations that jobs of production traces (which name no model) are given.
///
/// As Gavel (Narayanan et al., OSDI 2020) and Sia (Jayaram Subramanya et al., SOSP 2023) do,
/// each job keeps its GPU count and submit time and is assigned a configuration drawn from
/// this catalog by a generator seeded with the run's seed and the job's id, so the assignment
/// does not depend on the order of jobs or on other jobs. Its duration stays a duration on the
/// configuration's reference device and becomes iterations when bound to the measured oracle
/// (`Trace.bindingWork`). Configurations are grouped in families (the dataset that measured
/// them); a job first draws a family, uniformly, then a configuration within it, so large
/// families (NAS-Bench-201) do not crowd out small ones. Multi-GPU jobs draw only training
/// configurations.
public struct WorkloadCatalog: Sendable {
    public struct Entry: Sendable, Hashable {
        public var config: ModelConfig
        public var family: String
        public var referenceDevice: String
        /// Device types of the cluster with a measurement of this configuration, and how many
        /// devices of each type the cluster has.
        public var devices: [String: Int] = [:]

        public init(config: ModelConfig, family: String, referenceDevice: String, devices: [String: Int] = [:]) {
            self.config = config
            self.family = family
            self.referenceDevice = referenceDevice
            self.devices = devices
        }

        /// Whether a job of `gpus` devices, limited to `constraint` (empty = any), could run.
        public func fits(gpus: Int, constraint: [String]) -> Bool {
            if devices.isEmpty { return true }
            return devices.contains { (name, count) in count >= gpus && (constraint.isEmpty || constraint.contains(name)) }
        }
    }

    /// The families of measured configurations (the datasets that measured them) that jobs draw
    /// from unless told otherwise.
    public static let families: Set<String> = ["gavel", "nb201", "neusight", "augur"]
    /// Families drawn from only when named: `benchmarks`, the GPU training throughput table's
    /// DeepLearningExamples, MLPerf and MPT configurations on modern GPUs
    /// (``MeasuredOracle/loadGPUThroughput(path:catalog:)``).
    public static let optionalFamilies: Set<String> = ["benchmarks"]
    /// Every family a caller may name.
    public static var allFamilies: Set<String> { families.union(optionalFamilies) }

    /// The NAS-Bench-201 architectures kept by default: every 125th (125 of 15,625).
    public static let defaultNB201Stride = 125

    public private(set) var entries: [Entry]
    private var families: [String]
    /// Indices into `entries` of each family's configurations, in `entries` order.
    private var byFamily: [String: [Int]]
    private let pools = PoolCache()

    public init(entries: [Entry]) {
        self.entries = entries.sorted { ($0.family, $0.config) < ($1.family, $1.config) }
        var byFamily: [String: [Int]] = [:]
        for (i, e) in self.entries.enumerated() { byFamily[e.family, default: []].append(i) }
        self.byFamily = byFamily
        self.families = byFamily.keys.sorted()
    }

    /// The pools a job draws from, per (GPU count, constraint): a trace has few distinct ones,
    /// so each is filtered once instead of once per job.
    private final class PoolCache: @unchecked Sendable {
        struct Key: Hashable { var gpus: Int; var constraint: [String] }
        private let lock = NSLock()
        private var pools: [Key: [[Int]]] = [:]

        func pools(_ key: Key, make: () -> [[Int]]) -> [[Int]] {
            lock.lock()
            defer { lock.unlock() }
            if let p = pools[key] { return p }
            let p = make()
            pools[key] = p
            return p
        }
    }

    /// Configurations measured on their reference device and on at least one device type of
    /// `cluster`. `families` names the families (default ``families``; `benchmarks` only when named).
    /// `nb201Stride` keeps every n-th NAS-Bench-201 architecture (the table has 15,625).
    public init(oracle: MeasuredOracle, cluster: ClusterSpec, families allowed: Set<String>? = nil, nb201Stride: Int = defaultNB201Stride) {
        let topology = ClusterTopology(cluster)
        var deviceCounts: [String: Int] = [:]
        for node in topology.nodes { deviceCounts[node.device.name, default: 0] += node.deviceCount }
        let deviceNames = Set(deviceCounts.keys)
        var runnable: [ModelConfig: String] = [:]
        var where_: [ModelConfig: [String: Int]] = [:]
        var hasRef: Set<ModelConfig> = []
        var familyOf: [String: String] = [:]
        for (query, entry) in oracle.table {
            let family: String
            if let f = familyOf[entry.source] { family = f } else {
                family = String(entry.source.prefix { $0.isLetter || $0.isNumber })
                familyOf[entry.source] = family
            }
            if !(allowed ?? Self.families).contains(family) { continue }
            if family == "nb201", let i = Int(query.config.model.dropFirst(6)), i % max(nb201Stride, 1) != 0 { continue }
            if deviceNames.contains(query.device) {
                runnable[query.config] = family
                where_[query.config, default: [:]][query.device] = deviceCounts[query.device]
            }
            if oracle.referenceDevice(for: query.config) == query.device { hasRef.insert(query.config) }
        }
        let entries = runnable.keys.filter { hasRef.contains($0) }.map {
            Entry(config: $0, family: runnable[$0]!, referenceDevice: oracle.referenceDevice(for: $0)!, devices: where_[$0] ?? [:])
        }
        self.init(entries: entries)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Whether some configuration can run as a job of `gpus` devices on this cluster.
    public func canAssign(gpus: Int) -> Bool {
        entries.contains { ($0.config.mode == .train || gpus == 1) && $0.fits(gpus: gpus, constraint: []) }
    }

    /// The configuration for a job, deterministic in (seed, job id, GPU count, constraint):
    /// among configurations that can run on `gpus` devices of an allowed type of the cluster.
    public func assign(jobID: String, gpus: Int, constraint: [String] = [], seed: UInt64) -> Entry? {
        var g = SeededGenerator(seed: seed, stream: "workload/\(jobID)")
        let pools = self.pools.pools(.init(gpus: gpus, constraint: constraint)) {
            families.compactMap { f in
                let pool = byFamily[f]!.filter { (entries[$0].config.mode == .train || gpus == 1) && entries[$0].fits(gpus: gpus, constraint: constraint) }
                return pool.isEmpty ? nil : pool
            }
        }
        guard !pools.isEmpty else { return nil }
        let pool = pools[Int(g.next() % UInt64(pools.count))]
        return entries[pool[Int(g.next() % UInt64(pool.count))]]
    }
}

extension Trace {
    /// The trace with every duration converted into iterations:
    /// `iterations = duration × n × efficiency(n) / t₁(reference device)`, where `t₁` is the
    /// measured time per iteration on one reference GPU and `efficiency` the measured scaling of
    /// `n` consolidated GPUs.
    public func bindingWork(to oracle: MeasuredOracle) throws -> Trace {
        var jobs = self.jobs
        for i in jobs.indices {
            guard case .duration(let seconds, let ref) = jobs[i].work else { continue }
            guard let t1 = oracle.estimate(PerformanceQuery(config: jobs[i].config, device: ref))?.timePerIteration else {
                throw InputError(file: source, field: "job \(jobs[i].id)",
                                 reason: "no measurement of \(jobs[i].config) on reference device \(ref) to convert its duration")
            }
            let n = jobs[i].gpus
            let eff = oracle.scaling.efficiency(config: jobs[i].config, device: ref, gpus: n, consolidated: true)
            let fraction = Double(jobs[i].gpuMilli) / 1000
            jobs[i].work = .iterations(max(1, seconds * Double(n) * eff * fraction / t1))
        }
        return Trace(name: name, source: source, jobs: jobs, dropped: dropped)
    }
}
