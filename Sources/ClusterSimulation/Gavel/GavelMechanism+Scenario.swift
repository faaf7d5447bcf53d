import ClusterKit

extension GavelMechanism {
    /// The mechanism for a scenario's cluster: its device types under Gavel's names (a type's
    /// `gavel:` alias in the catalog, else its own name) with their counts.
    public init(policy: GavelPolicyName, scenario: Scenario) {
        let types = scenario.cluster.deviceTypes
        let names = types.map { t in t.measuredAs.first { $0.hasPrefix("gavel:") }.map { String($0.dropFirst(6)) } ?? t.name }
        let counts = types.map { t in scenario.cluster.nodeGroups.filter { $0.device.name == t.name }.reduce(0) { $0 + $1.count * $1.devicesPerNode } }
        self.init(policy: policy, typeNames: names, counts: counts)
        if policy.isPacked {
            let kinds = Self.kinds(scenario.trace)
            let table = scenario.oracle.gavelPairThroughputs
            colocation = GavelColocationTable(rates: kinds.map { a in kinds.map { b in types.map { t in
                guard a.scale == b.scale, let r = table[GavelPairKey(first: a.config, second: b.config, device: t.name, scale: a.scale)] else { return .init(0, 0) }
                return .init(r.first, r.second)
            } } })
        }
    }

    /// A job's kind in the co-location table: its configuration and scale.
    struct Kind: Hashable {
        var config: ModelConfig
        var scale: Int
    }

    /// The trace's distinct kinds, in first-appearance order.
    static func kinds(_ trace: Trace) -> [Kind] {
        var seen: Set<Kind> = []
        var out: [Kind] = []
        for j in trace.jobs where seen.insert(Kind(config: j.config, scale: j.gpus)).inserted { out.append(Kind(config: j.config, scale: j.gpus)) }
        return out
    }

    /// The scenario's jobs as the mechanism runs them: steps from the trace; throughput with
    /// `scale` devices from Gavel's own table where it has the entry (`gavelThroughputs`; 0: the
    /// job cannot run there, and a job type of Gavel's without a positive single-device entry on
    /// a type cannot run there either), else scale × measured scaling efficiency ÷ time per
    /// iteration (a scale factor Gavel did not measure, as in traces Augur generates; Gavel's own
    /// traces have none). What runs comes from the measured oracle, what the policy sees from
    /// `predictor` (the same numbers when it is the oracle).
    public static func jobs(_ scenario: Scenario, predictor: any PerformancePredictor) throws -> [Job] {
        let types = scenario.cluster.deviceTypes
        let trace = scenario.trace
        var configs: [ModelConfig] = []
        var index: [ModelConfig: Int] = [:]
        for j in trace.jobs where index[j.config] == nil { index[j.config] = configs.count; configs.append(j.config) }
        let queries = configs.flatMap { c in types.map { PerformanceQuery(config: c, device: $0.name) } }
        let real = scenario.oracle.estimate(queries), believed = predictor.estimate(queries)
        let scaling = scenario.oracle.scaling
        let gavelConfigs = Set(scenario.oracle.gavelThroughputs.keys.map(\.config))
        let kinds = Self.kinds(trace)
        var kindOf: [Kind: Int] = [:]
        for (i, k) in kinds.enumerated() { kindOf[k] = i }
        return try trace.jobs.map { job in
            guard let iterations = job.iterations, iterations >= 1, iterations < Double(Int.max / 2) else {
                throw InputError(file: trace.source, field: "job \(job.id)", reason: "the Gavel mechanism needs a whole number of steps")
            }
            let base = index[job.config]! * types.count
            func rate(_ e: PerformanceEstimate?, _ t: Int) -> Double {
                guard let e, e.timePerIteration > 0, e.timePerIteration.isFinite else { return 0 }
                let efficiency = scaling.efficiency(config: job.config, device: types[t].name, gpus: job.gpus, consolidated: true)
                return Double(job.gpus) * efficiency / e.timePerIteration
            }
            let table = scenario.oracle.gavelThroughputs
            let measured = types.indices.map { t -> Double in
                if let v = table[GavelThroughputKey(config: job.config, device: types[t].name, scale: job.gpus)] { return v }
                let single = table[GavelThroughputKey(config: job.config, device: types[t].name, scale: 1)] ?? 0
                if gavelConfigs.contains(job.config) && (job.gpus == 1 || single <= 0) { return 0 }
                return rate(real[base + t], t)
            }
            return Job(arrival: job.submit.seconds, steps: Int(iterations.rounded()), scale: job.gpus, weight: Double(max(job.priority, 1)),
                       measured: measured, predicted: predictor is MeasuredOracle ? measured : types.indices.map { rate(believed[base + $0], $0) },
                       kind: kindOf[Kind(config: job.config, scale: job.gpus)] ?? -1)
        }
    }
}
