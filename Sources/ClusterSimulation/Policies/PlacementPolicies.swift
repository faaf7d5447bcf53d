import ClusterKit

extension ClusterState {
    /// Up devices of `type` with enough unreserved share for the job, ascending; at most `first`.
    func devicesWithRoom(type: Int, for job: Int, first: Int = .max) -> [Int] {
        let milli = jobs[job].job.gpuMilli
        var out: [Int] = []
        for d in devicesByType[type] where milliUsed[d] + milli <= 1000 && isUp(device: d) {
            out.append(d)
            if out.count == first { break }
        }
        return out
    }

    /// Whether a type can possibly take the job now (cheap check before scanning devices), and
    /// the predictor does not expect the job to exceed the device's memory.
    func mayFit(type: Int, job: Int) -> Bool {
        (jobs[job].job.gpuMilli < 1000 || idleCount[type] >= jobs[job].job.gpus) && predictedToFit(job: job, type: type)
    }

    /// Whether the job's predicted peak memory fits an empty device of `type` (unknown
    /// memory, on either side, counts as fitting).
    public func predictedToFit(job: Int, type: Int) -> Bool {
        guard let need = prediction(job: job, type: type)?.peakMemoryBytes, let capacity = memory(ofType: type) else { return true }
        return need <= capacity
    }

    /// Consolidated best fit within one type: the node whose room is the smallest that still
    /// holds the whole job; else the fewest nodes, fullest room first. Nil if not enough room.
    func consolidated(type: Int, job: Int) -> [Int]? {
        let n = jobs[job].job.gpus
        guard mayFit(type: type, job: job) else { return nil }
        let milli = jobs[job].job.gpuMilli
        // Counted first, devices listed only for the chosen nodes (no array per node visited).
        func freeDevices(_ node: Int, _ limit: Int) -> [Int] {
            var out: [Int] = []
            for d in devices(ofNode: node) where milliUsed[d] + milli <= 1000 {
                out.append(d)
                if out.count == limit { break }
            }
            return out
        }
        var best: (room: Int, node: Int)?
        var rooms: [(node: Int, free: Int)] = []
        var total = 0
        for node in nodesByType[type] where nodeUp[node] {
            var free = 0
            if milli == 1000 {
                free = unreservedOnNode[node]
            } else {
                for d in devices(ofNode: node) where milliUsed[d] + milli <= 1000 { free += 1 }
            }
            guard free > 0 else { continue }
            total += free
            if free >= n {
                if best == nil || free < best!.room { best = (free, node) }
                if free == n { break }
            } else {
                rooms.append((node, free))
            }
        }
        if let best { return freeDevices(best.node, n) }
        guard total >= n else { return nil }
        var out: [Int] = []
        for r in rooms.sorted(by: { $0.free != $1.free ? $0.free > $1.free : $0.node < $1.node }) {
            out += freeDevices(r.node, n - out.count)
            if out.count == n { return out }
        }
        return nil
    }

    /// Feasible types ordered by the predictor's time per iteration, fastest first; types it
    /// cannot answer for go last, in cluster order. Predictions do not change during a run, so
    /// each job's order is computed once.
    func typesByPredictedSpeed(job: Int) -> [Int] {
        if speedOrder.count < jobs.count { speedOrder += Array(repeating: nil, count: jobs.count - speedOrder.count) }
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

/// The first devices with room, in device order, trying feasible types in cluster order.
public struct FirstFitPlacement: PlacementPolicy {
    public init() {}
    public var name: String { "first-fit" }
    public var colocates: Bool { false }
    public func place(job: Int, in state: ClusterState) -> Placement? {
        let n = state.jobs[job].job.gpus
        for t in state.feasible[job] where state.mayFit(type: t, job: job) {
            let room = state.devicesWithRoom(type: t, for: job, first: n)
            if room.count >= n { return Placement(devices: room) }
        }
        return nil
    }
}

/// Consolidated best fit: the fewest nodes, and among single-node fits the node left fullest,
/// so large jobs keep finding whole nodes (avoids the cross-node slowdown).
public struct BestFitPlacement: PlacementPolicy {
    public init() {}
    public var name: String { "best-fit" }
    public var colocates: Bool { false }
    public func place(job: Int, in state: ClusterState) -> Placement? {
        var spanning: [Int]?
        for t in state.feasible[job] {
            guard let devices = state.consolidated(type: t, job: job) else { continue }
            if Set(devices.map { state.topology.nodeOfDevice[$0] }).count == 1 { return Placement(devices: devices) }
            if spanning == nil { spanning = devices }
        }
        return spanning.map { Placement(devices: $0) }
    }
}

/// Heterogeneity-aware: the fastest device type (by the predictor) that has room now,
/// consolidated within it.
public struct HeterogeneityAwarePlacement: PlacementPolicy {
    public init() {}
    public var name: String { "hetero" }
    public var colocates: Bool { false }
    /// A job on a slower type moves when a faster one has room (at rounds of preemptive policies).
    public var migrates: Bool { true }
    public func place(job: Int, in state: ClusterState) -> Placement? {
        for t in state.typesByPredictedSpeed(job: job) {
            if let devices = state.consolidated(type: t, job: job) { return Placement(devices: devices) }
        }
        return nil
    }
}

/// Memory-aware packing: co-locates a job on devices already in use when its predicted memory
/// fits beside the residents' predicted memory and the predicted SM utilization stays at or
/// under `utilizationBound`; otherwise uses idle devices. Types are tried fastest first (by the
/// predictor). With `useUpperInterval`, the predictor's upper memory bound is used where given,
/// for the job and for the residents, and types whose memory holds the job's bound come first.
public struct MemoryAwarePackingPlacement: PlacementPolicy {
    public var utilizationBound: Double
    public var useUpperInterval: Bool

    public init(utilizationBound: Double = 1.0, useUpperInterval: Bool = false) {
        self.utilizationBound = utilizationBound
        self.useUpperInterval = useUpperInterval
    }

    public var name: String { useUpperInterval ? "pack-upper" : "pack" }
    public var colocates: Bool { true }

    public func place(job: Int, in state: ClusterState) -> Placement? {
        // With the upper bound, first only types whose memory holds the job's bound, then any.
        if useUpperInterval, let p = place(job: job, in: state, requireBoundFits: true) { return p }
        return place(job: job, in: state, requireBoundFits: false)
    }

    private func place(job: Int, in state: ClusterState, requireBoundFits: Bool) -> Placement? {
        let j = state.jobs[job]
        let n = j.job.gpus
        for t in state.typesByPredictedSpeed(job: job) where state.predictedToFit(job: job, type: t) {
            guard let capacity = state.memory(ofType: t) else { continue }
            let memory = state.predictedMemory(job: job, type: t, upper: useUpperInterval)
            if requireBoundFits && memory > capacity { continue }
            let util = (state.prediction(job: job, type: t)?.smUtilization ?? 1) * j.share
            var shared: [(Int64, Int)] = []
            var idle: [Int] = []
            for d in state.devicesByType[t] where state.isUp(device: d) {
                if state.residents[d].isEmpty { idle.append(d); continue }
                guard state.residents[d].allSatisfy({ state.jobs[$0].job.gpuMilli == 1000 || j.job.gpuMilli < 1000 }) else { continue }
                let used = useUpperInterval ? state.predictedMemoryUpperUsed[d] : state.predictedMemoryUsed[d]
                if used + memory <= capacity && state.predictedUtilization[d] + util <= utilizationBound {
                    shared.append((used, d))
                }
            }
            guard shared.count + idle.count >= n else { continue }
            let packed = shared.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.map(\.1)
            let devices = Array((packed + idle).prefix(n))
            return Placement(devices: devices, colocate: true)
        }
        return nil
    }
}
