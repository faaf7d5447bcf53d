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
    }

    public private(set) var entries: [Entry]
    private var families: [String]
    private var byFamily: [String: [Entry]]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { ($0.family, $0.config) < ($1.family, $1.config) }
        var byFamily: [String: [Entry]] = [:]
        for e in self.entries { byFamily[e.family, default: []].append(e) }
        self.byFamily = byFamily
        self.families = byFamily.keys.sorted()
    }

    /// Configurations measured on their reference device and on at least one device type of
    /// `cluster`. `families` restricts the families (`gavel`, `nb201`, `neusight`).
    /// `nb201Stride` keeps every n-th NAS-Bench-201 architecture (the table has 15,625).
    public init(oracle: MeasuredOracle, cluster: ClusterSpec, families allowed: Set<String>? = nil, nb201Stride: Int = 125) {
        let deviceNames = Set(cluster.deviceTypes.map(\.name))
        var runnable: [ModelConfig: String] = [:]
        var hasRef: Set<ModelConfig> = []
        for (query, entry) in oracle.table {
            let family = String(entry.source.prefix { $0.isLetter || $0.isNumber })
            if let allowed, !allowed.contains(family) { continue }
            if family == "nb201", let i = Int(query.config.model.dropFirst(6)), i % max(nb201Stride, 1) != 0 { continue }
            if deviceNames.contains(query.device) { runnable[query.config] = family }
            if oracle.referenceDevice(for: query.config) == query.device { hasRef.insert(query.config) }
        }
        let entries = runnable.keys.filter { hasRef.contains($0) }.map {
            Entry(config: $0, family: runnable[$0]!, referenceDevice: oracle.referenceDevice(for: $0)!)
        }
        self.init(entries: entries)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The configuration for a job, deterministic in (seed, job id, GPU count).
    public func assign(jobID: String, gpus: Int, seed: UInt64) -> Entry? {
        var g = SeededGenerator(seed: seed, stream: "workload/\(jobID)")
        let candidates = families.filter { f in gpus == 1 || byFamily[f]!.contains { $0.config.mode == .train } }
        guard !candidates.isEmpty else { return nil }
        let family = candidates[Int(g.next() % UInt64(candidates.count))]
        let pool = gpus == 1 ? byFamily[family]! : byFamily[family]!.filter { $0.config.mode == .train }
        return pool[Int(g.next() % UInt64(pool.count))]
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
            let eff = oracle.scaling.efficiency(model: "\(jobs[i].config.model)/b\(jobs[i].config.batchSize)", device: ref, gpus: n, consolidated: true)
            let fraction = Double(jobs[i].gpuMilli) / 1000
            jobs[i].work = .iterations(max(1, seconds * Double(n) * eff * fraction / t1))
        }
        return Trace(name: name, source: source, jobs: jobs)
    }
}
