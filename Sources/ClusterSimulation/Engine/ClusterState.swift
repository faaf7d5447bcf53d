import ClusterKit

/// The state of a simulated cluster at one instant: devices, nodes and jobs, plus each job
/// configuration's measured and predicted performance per device type (memoized once).
///
/// Only the engine (`Simulator`) changes it. Policies never see it: they get a `PolicyView`,
/// which shows the occupancy and the predictions but no measured value.
public final class ClusterState: @unchecked Sendable {
    public let spec: ClusterSpec
    public let topology: ClusterTopology
    /// Device types of the cluster; devices refer to them by index.
    public let deviceTypes: [DeviceSpec]
    public let deviceTypeOfDevice: [Int]
    /// Model configurations of the trace; jobs refer to them by index.
    public let configs: [ModelConfig]
    /// Measured performance, `[config][deviceType]`: what the engine executes with.
    public let measured: [[PerformanceEstimate?]]
    /// The policy's predictor's answers, `[config][deviceType]`.
    public let predicted: [[PerformanceEstimate?]]
    public let predictorName: String

    public internal(set) var now: SimTime = .zero
    public internal(set) var jobs: [JobRuntime] = []
    /// Indices of queued jobs, in submit order (built on each read: O(queue)).
    public internal(set) var queued: [Int] {
        get { queuedSet.elements }
        set {
            queuedSet = JobSet()
            for j in newValue { queuedSet.insert(j) }
        }
    }
    /// The queued jobs' indices.
    var queuedSet = JobSet()
    /// How many jobs are queued.
    public var queuedCount: Int { queuedSet.count }
    /// Indices of running jobs, ascending (submit order; built on each read: O(running)).
    public var running: [Int] { runningSet.elements }
    /// The running jobs' indices (removal does not scan them).
    var runningSet = JobSet()
    /// How many jobs run.
    public var runningCount: Int { runningSet.count }

    // Per-device state.
    public internal(set) var residents: [[Int]]
    /// Thousandths of the device reserved by residents (changed through ``reserve(_:milli:)``).
    public private(set) var milliUsed: [Int]
    /// Per type: a bit per device of that type (by its place in ``devicesByType``) set while
    /// the device has room left (`milliUsed` below 1000), so a first fit skips full devices
    /// 64 at a time.
    private(set) var withRoomByType: [[UInt64]]
    /// Each device's place among the devices of its type.
    let placeInType: [Int]
    /// Per node: its devices with nothing reserved (`milliUsed` 0), up or not; what a
    /// whole-device placement scans instead of the devices.
    public internal(set) var unreservedOnNode: [Int]
    /// Real (measured) memory used, bytes.
    public internal(set) var realMemoryUsed: [Int64]
    /// Memory the policy believes is used (its predictor's answers), bytes.
    public internal(set) var predictedMemoryUsed: [Int64]
    /// The same with each resident's upper memory bound where its predictor gives one, bytes.
    public internal(set) var predictedMemoryUpperUsed: [Int64]
    /// Predicted SM utilization of residents, summed.
    public internal(set) var predictedUtilization: [Double]
    /// Real SM utilization of residents, summed.
    public internal(set) var realUtilization: [Double]
    public internal(set) var nodeUp: [Bool]
    /// Devices of each type that are up and have nothing on them.
    public internal(set) var idleCount: [Int]
    /// Devices of each type in the cluster.
    public let totalCount: [Int]
    /// Device indices of each type, ascending.
    public let devicesByType: [[Int]]
    /// Node indices of each type, ascending.
    public let nodesByType: [[Int]]

    init(spec: ClusterSpec, configs: [ModelConfig], measured: [[PerformanceEstimate?]],
         predicted: [[PerformanceEstimate?]], predictorName: String) {
        self.spec = spec
        let topology = ClusterTopology(spec)
        self.topology = topology
        let deviceTypes = spec.deviceTypes
        self.deviceTypes = deviceTypes
        let typeIndex = Dictionary(uniqueKeysWithValues: deviceTypes.enumerated().map { ($1.name, $0) })
        let deviceTypeOfDevice = topology.nodeOfDevice.map { typeIndex[topology.nodes[$0].device.name]! }
        self.deviceTypeOfDevice = deviceTypeOfDevice
        self.configs = configs
        self.measured = measured
        self.predicted = predicted
        self.predictorName = predictorName
        let n = topology.deviceCount
        residents = Array(repeating: [], count: n)
        milliUsed = Array(repeating: 0, count: n)
        unreservedOnNode = topology.nodes.map(\.deviceCount)
        realMemoryUsed = Array(repeating: 0, count: n)
        predictedMemoryUsed = Array(repeating: 0, count: n)
        predictedMemoryUpperUsed = Array(repeating: 0, count: n)
        predictedUtilization = Array(repeating: 0, count: n)
        realUtilization = Array(repeating: 0, count: n)
        nodeUp = Array(repeating: true, count: topology.nodes.count)
        var counts = Array(repeating: 0, count: deviceTypes.count)
        for t in deviceTypeOfDevice { counts[t] += 1 }
        totalCount = counts
        idleCount = counts
        var byType = Array(repeating: [Int](), count: deviceTypes.count)
        for (d, t) in deviceTypeOfDevice.enumerated() { byType[t].append(d) }
        devicesByType = byType
        var place = Array(repeating: 0, count: n)
        for list in byType { for (k, d) in list.enumerated() { place[d] = k } }
        placeInType = place
        withRoomByType = byType.map { list in
            (0..<(list.count + 63) / 64).map { w in w < list.count / 64 ? ~0 : (1 << UInt64(list.count % 64)) &- 1 }
        }
        var nodesOfType = Array(repeating: [Int](), count: deviceTypes.count)
        for (i, node) in topology.nodes.enumerated() { nodesOfType[typeIndex[node.device.name]!].append(i) }
        nodesByType = nodesOfType
    }

    public var deviceCount: Int { deviceTypeOfDevice.count }

    public func isUp(device: Int) -> Bool { nodeUp[topology.nodeOfDevice[device]] }

    /// Adds `milli` thousandths (negative: frees them) to device `d`'s reservation, keeping
    /// ``withRoomByType`` in step.
    func reserve(_ d: Int, milli: Int) {
        milliUsed[d] += milli
        let (t, k) = (deviceTypeOfDevice[d], placeInType[d])
        let bit = UInt64(1) << UInt64(k % 64)
        if milliUsed[d] < 1000 { withRoomByType[t][k / 64] |= bit } else { withRoomByType[t][k / 64] &= ~bit }
    }

    /// The devices of a node (read field by field: a node's copy would retain its strings).
    public func devices(ofNode node: Int) -> Range<Int> {
        let first = topology.nodes[node].firstDevice
        return first..<(first + topology.nodes[node].deviceCount)
    }

    /// Memory of one device, bytes (nil when the catalog does not know it).
    public func memory(ofType type: Int) -> Int64? { deviceTypes[type].memoryBytes }

    /// Predicted memory of a job on a type (its upper bound with `upper`, where given); the
    /// device's whole memory when the predictor does not say.
    public func predictedMemory(job: Int, type: Int, upper: Bool) -> Int64 {
        let p = prediction(job: job, type: type)
        return (upper ? p?.memoryInterval.map { Int64($0.upper.rounded(.up)) } : nil) ?? p?.peakMemoryBytes ?? (memory(ofType: type) ?? 0)
    }

    /// The policy's view of a job on a device type: its predictor's estimate.
    public func prediction(job: Int, type: Int) -> PerformanceEstimate? { predicted[jobs[job].configIndex][type] }

    /// Device types a job may run on: allowed by its constraint, measured there (so the engine
    /// can execute it), and with enough devices in the cluster.
    public func feasibleTypes(job: Int) -> [Int] { feasible[job] }

    /// The feasible types where the job's predictor says it fits: the only ones a placement may
    /// use (`PlacementViolation.predictedNotToFit`). Empty when the predictor says it fits nowhere.
    public func placeableTypes(job: Int) -> [Int] { placeable[job] }
    var feasible: [[Int]] = []
    /// Each job's `placeableTypes`, computed once (predictions do not change during a run).
    private var placeable: [[Int]] = []
    /// Each job's feasible types by predicted speed, once computed (`typesByPredictedSpeed`).
    var speedOrder: [[Int]?] = []
    /// Each job's smallest predicted time per iteration over its feasible types, once computed.
    var bestTimePerIteration: [Double?] = []

    /// Predicted seconds for the job's remaining work now (its progress accounted first) on
    /// `type` with its requested devices (nil when the predictor cannot say). Scaling across
    /// devices is not modelled here.
    public func predictedRemainingSeconds(job: Int, type: Int) -> Double? {
        accountProgress(job)
        return predictedSeconds(job: job, type: type, iterations: jobs[job].remainingIterations)
    }

    /// Predicted seconds for `iterations` of the job on `type` with its requested devices.
    func predictedSeconds(job: Int, type: Int, iterations: Double) -> Double? {
        guard let p = prediction(job: job, type: type) else { return nil }
        return iterations * p.timePerIteration / Double(max(jobs[job].job.gpus, 1)) / max(jobs[job].share, 0.001)
    }

    /// The smallest predicted time for `iterations` over the job's feasible device types; for a
    /// job the predictor answered on none of them, its share of the median answered length
    /// (`fallbackSeconds`), so no job is ranked last for want of an answer.
    func bestPredictedSeconds(job: Int, iterations: Double) -> Double {
        // The fastest type's time per iteration, found once (predictions do not change): the
        // scaling below is monotone, so this is the smallest of the per-type times, bit for bit.
        if bestTimePerIteration[job] == nil {
            var t = Double.infinity
            for type in feasible[job] { if let p = prediction(job: job, type: type), p.timePerIteration < t { t = p.timePerIteration } }
            bestTimePerIteration[job] = t
        }
        var best = Double.infinity
        if let t = bestTimePerIteration[job], t < .infinity {
            best = iterations * t / Double(max(jobs[job].job.gpus, 1)) / max(jobs[job].share, 0.001)
        }
        if best == .infinity, let fallback = fallbackSeconds, jobs[job].totalIterations > 0 {
            return fallback * iterations / jobs[job].totalIterations
        }
        return best
    }

    /// The median, over the jobs the predictor answered on some feasible type, of their
    /// smallest predicted total time (the lower middle for an even count); nil when every job
    /// or none was answered. What length-ranking policies see for a job it did not answer.
    public internal(set) var fallbackSeconds: Double?
    /// Jobs given a fallback answer: ranked by `fallbackSeconds`, or answered on some feasible
    /// type by a fallback predictor (`PerformanceEstimate.fallback`).
    public internal(set) var fallbackJobs = 0
    /// Seconds a preempted job spends restoring its checkpoint when it starts again.
    public internal(set) var restoreSeconds: Double = 0
    /// With restore protection, how long after its start a restored run may not be preempted
    /// (restore plus one round); nil without.
    var restoreProtectionSeconds: Double?

    /// Sizes the per-job caches and sets `fallbackSeconds` and `fallbackJobs` from the
    /// predictions (once, when the jobs are known).
    func finishSetup() {
        speedOrder = Array(repeating: nil, count: jobs.count)
        placeable = jobs.indices.map { j in
            let fits = feasible[j].filter { predictedToFit(job: j, type: $0) }
            return fits.count == feasible[j].count ? feasible[j] : fits
        }
        bestTimePerIteration = Array(repeating: nil, count: jobs.count)
        var lengths: [Double] = []
        var unanswered = 0
        for j in jobs.indices where !feasible[j].isEmpty {
            let s = bestPredictedSeconds(job: j, iterations: jobs[j].totalIterations)
            if s.isFinite { lengths.append(s) } else { unanswered += 1 }
            if !s.isFinite || feasible[j].contains(where: { prediction(job: j, type: $0)?.fallback == true }) { fallbackJobs += 1 }
        }
        guard unanswered > 0, !lengths.isEmpty else { return }
        lengths.sort()
        fallbackSeconds = lengths[(lengths.count - 1) / 2]
    }

    /// The smallest predicted remaining time now (progress accounted first) over the job's
    /// feasible device types.
    public func bestPredictedRemainingSeconds(job: Int) -> Double {
        accountProgress(job)
        return bestPredictedSeconds(job: job, iterations: jobs[job].remainingIterations)
    }

    /// Whether `device` can take `job` exclusively-by-share now: up, and enough unreserved share.
    public func hasRoom(device: Int, for job: Int) -> Bool {
        isUp(device: device) && milliUsed[device] + jobs[job].job.gpuMilli <= 1000
    }
}

extension ClusterState {
    /// Accounts a running job's progress up to now (the engine's bookkeeping; the same
    /// whenever it is done).
    func accountProgress(_ j: Int) {
        guard jobs[j].status == .running else { return }
        let dt = (now - jobs[j].progressSince).seconds
        guard dt > 0 else { return }
        jobs[j].remainingIterations = max(0, jobs[j].remainingIterations - dt * jobs[j].rate)
        jobs[j].progressSince = now
    }

    /// When a running job may be preempted again: with restore protection
    /// (`SimulationConfig.protectsRestoredRuns`), a job that restored a checkpoint for this run
    /// first restores and then runs for one round (so every preemption follows progress);
    /// otherwise at once.
    func preemptibleFrom(_ j: Int) -> SimTime {
        guard let protection = restoreProtectionSeconds, jobs[j].preemptions > 0 else { return .zero }
        return jobs[j].runStart + SimTime(seconds: protection)
    }

    /// GPU-seconds the job has received up to now, including its current run.
    public func attainedService(job: Int) -> Double {
        guard jobs[job].status == .running else { return jobs[job].attainedService }
        return jobs[job].attainedService + max(0, (now - jobs[job].runStart).seconds) * Double(jobs[job].devices.count) * jobs[job].share
    }

    /// Seconds the job has run up to now, including its current run.
    public func runSeconds(job: Int) -> Double {
        guard jobs[job].status == .running else { return jobs[job].runSeconds }
        return jobs[job].runSeconds + max(0, (now - jobs[job].runStart).seconds)
    }

    /// Fraction of the job's work done, 0...1 (progress accounted at its last rate change).
    public func progress(job: Int) -> Double {
        let j = jobs[job]
        var remaining = j.remainingIterations
        if j.status == .running { remaining = max(0, remaining - max(0, (now - j.progressSince).seconds) * j.rate) }
        return 1 - remaining / max(j.totalIterations, 1e-9)
    }
}

extension ClusterState {
    /// Whether the job's predicted peak memory fits an empty device of `type` (unknown
    /// memory, on either side, counts as fitting).
    public func predictedToFit(job: Int, type: Int) -> Bool {
        guard let need = prediction(job: job, type: type)?.peakMemoryBytes, let capacity = memory(ofType: type) else { return true }
        return need <= capacity
    }

    /// Feasible types ordered by the predictor's time per iteration, fastest first; types it
    /// cannot answer for go last, in cluster order. Predictions do not change during a run, so
    /// each job's order is computed once.
    func typesByPredictedSpeed(job: Int) -> [Int] {
        if let cached = speedOrder[job] { return cached }
        let order = computeTypesByPredictedSpeed(job: job)
        speedOrder[job] = order
        return order
    }

    private func computeTypesByPredictedSpeed(job: Int) -> [Int] {
        var keyed: [(time: Double, type: Int)] = []
        for t in feasible[job] {
            let time: Double = prediction(job: job, type: t)?.timePerIteration ?? Double.infinity
            keyed.append((time, t))
        }
        keyed.sort { a, b in a.time != b.time ? a.time < b.time : a.type < b.type }
        return keyed.map { $0.type }
    }
}
