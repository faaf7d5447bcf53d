import ClusterKit

/// The metrics of one run.
public struct RunSummary: Sendable {
    public var jobs = 0
    public var completed = 0
    public var oomFailures = 0
    /// Jobs dropped because no node could ever hold them (`--skip-infeasible`).
    public var unschedulable = 0
    /// Jobs the policy never placed: its predictor said they fit on no device (`JobStatus.refused`).
    public var refused = 0
    public var avgJCT = 0.0
    public var p50JCT = 0.0
    public var p95JCT = 0.0
    public var p99JCT = 0.0
    public var avgQueueingDelay = 0.0
    public var makespan = 0.0
    /// Busy device-time over available device-time (all devices × makespan).
    public var gpuUtilization = 0.0
    /// Mean SM utilization over all devices and the makespan.
    public var meanSMUtilization = 0.0
    public var preemptions = 0
    public var colocatedJobs = 0
    /// Finish-time fairness ρ = JCT / measured isolated run time on the job's fastest feasible
    /// type (Themis); mean and max over completed jobs.
    public var meanFTF = 0.0
    public var maxFTF = 0.0
    public var events = 0
    /// Jobs the predictor answered on none of their feasible device types, which policies
    /// ranked by the median answered length instead (`ClusterState.fallbackSeconds`).
    public var fallbackJobs = 0
    /// JCTs of the completed jobs in seconds, ascending.
    public var completedJCTs: [Double] = []
    /// The first submission, from which the makespan is measured (zero for an empty trace).
    public var firstSubmit = SimTime.zero
    /// Per device type: name, devices, device-hours busy, utilization.
    public var byType: [(name: String, devices: Int, busyHours: Double, utilization: Double)] = []

    /// Computes the summary of a finished simulation.
    public init(simulator sim: Simulator, metrics: MetricsCollector) {
        let state = sim.state
        jobs = state.jobs.count
        var jcts: [Double] = []
        var waits: [Double] = []
        var rhos: [Double] = []
        var firstSubmit = SimTime.infinity
        var lastEnd = SimTime.zero
        for (i, j) in state.jobs.enumerated() {
            firstSubmit = min(firstSubmit, j.job.submit)
            if let end = j.end { lastEnd = max(lastEnd, end) }
            if j.colocated { colocatedJobs += 1 }
            if j.status == .unschedulable { unschedulable += 1 }
            if j.status == .refused { refused += 1 }
            guard j.status == .completed, let end = j.end else { continue }
            completed += 1
            let jct = (end - j.job.submit).seconds
            jcts.append(jct)
            if let s = j.firstStart { waits.append((s - j.job.submit).seconds) }
            let isolated = Self.isolatedSeconds(job: i, state: state, scaling: sim.scaling)
            if isolated > 0 { rhos.append(jct / isolated) }
        }
        oomFailures = metrics.oomFailures
        preemptions = metrics.preemptions
        events = sim.eventsProcessed
        fallbackJobs = sim.state.fallbackJobs
        jcts.sort()
        if !jcts.isEmpty {
            avgJCT = jcts.reduce(0, +) / Double(jcts.count)
            p50JCT = Self.percentile(jcts, 0.50)
            p95JCT = Self.percentile(jcts, 0.95)
            p99JCT = Self.percentile(jcts, 0.99)
        }
        if !waits.isEmpty { avgQueueingDelay = waits.reduce(0, +) / Double(waits.count) }
        completedJCTs = jcts
        if !rhos.isEmpty { meanFTF = rhos.reduce(0, +) / Double(rhos.count); maxFTF = rhos.max()! }
        makespan = firstSubmit == .infinity ? 0 : max(0, (lastEnd - firstSubmit).seconds)
        self.firstSubmit = firstSubmit == .infinity ? .zero : firstSubmit
        let devices = Double(state.deviceCount)
        if makespan > 0 {
            gpuUtilization = metrics.busySeconds.reduce(0, +) / (devices * makespan)
            meanSMUtilization = metrics.smSeconds.reduce(0, +) / (devices * makespan)
        }
        byType = state.deviceTypes.indices.map { t in
            let busy = t < metrics.busySeconds.count ? metrics.busySeconds[t] : 0
            let n = state.totalCount[t]
            return (state.deviceTypes[t].name, n, busy / 3600, makespan > 0 ? busy / (Double(n) * makespan) : 0)
        }
    }

    /// Nearest-rank percentile of sorted values.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func isolatedSeconds(job: Int, state: ClusterState, scaling: ScalingTable) -> Double {
        let j = state.jobs[job]
        var best = Double.infinity
        for t in state.feasibleTypes(job: job) {
            guard let m = state.measured[j.configIndex][t] else { continue }
            let eff = scaling.efficiency(config: j.job.config, device: state.deviceTypes[t].name,
                                         gpus: j.job.gpus, consolidated: true)
            best = min(best, j.totalIterations * m.timePerIteration / (Double(j.job.gpus) * eff * j.share))
        }
        return best
    }

    /// `summary.json`: every ``Metric`` by its summary key, then the device types.
    public var json: JSONText {
        .object(Metric.allCases.map { $0.summaryJSON(of: self) } + [
            ("device_types", .array(byType.map { .object([("device", .string($0.name)), ("devices", .integer($0.devices)),
                                                           ("busy_device_hours", .number($0.busyHours)), ("utilization", .number($0.utilization))]) })),
        ])
    }
}
