/// Predicts what a user would: the job's own time estimate from the trace, blind to hardware.
///
/// Time per iteration is the same on every device: the median over the trace's jobs of that
/// configuration of `userEstimate / iterations` (falling back to the oracle's time on the
/// reference device, which is how trace durations were converted). Memory is unknown to users,
/// who ask for whole devices, so it is reported as the device's full memory; SM utilization as 1.
public struct UserEstimatePredictor: PerformancePredictor {
    private let timeByConfig: [ModelConfig: Double]
    private let catalog: DeviceCatalog

    /// `fallback` answers for configurations without a user estimate, on the device
    /// `referenceDevice(config)` names (the device the trace's durations refer to).
    public init(trace: Trace, catalog: DeviceCatalog, fallback: any PerformancePredictor, referenceDevice: (ModelConfig) -> String?) {
        var samples: [ModelConfig: [Double]] = [:]
        for job in trace.jobs {
            if let est = job.userEstimate, let n = job.iterations, n > 0 {
                samples[job.config, default: []].append(est.seconds / n * Double(max(job.gpus, 1)))
            }
        }
        var times: [ModelConfig: Double] = [:]
        for (config, s) in samples { times[config] = s.sorted()[s.count / 2] }
        let missing = Set(trace.jobs.map(\.config)).subtracting(times.keys).sorted()
        let withReference = missing.compactMap { c in referenceDevice(c).map { (c, $0) } }
        let answers = fallback.estimate(withReference.map { PerformanceQuery(config: $0.0, device: $0.1) })
        for ((config, _), answer) in zip(withReference, answers) { if let a = answer { times[config] = a.timePerIteration } }
        self.timeByConfig = times
        self.catalog = catalog
    }

    public var name: String { "user-estimate" }

    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        queries.map { q in
            guard let t = timeByConfig[q.config], let device = catalog[q.device] else { return nil }
            return PerformanceEstimate(timePerIteration: t, peakMemoryBytes: device.memoryBytes, smUtilization: 1)
        }
    }
}
