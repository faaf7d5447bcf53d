import ClusterKit

/// "Who goes first": orders jobs by priority. A function of a read-only cluster state; the
/// engine applies the order (as in Blox, Agarwal et al., MLSys 2023, scheduling and placement
/// are separate policies).
public protocol SchedulingPolicy: Sendable {
    var name: String { get }
    /// Whether the policy may preempt running jobs for higher-priority ones. Preemptive
    /// policies also get periodic scheduling rounds.
    var isPreemptive: Bool { get }
    /// The given jobs (queued, or queued and running), highest priority first. Ties must be
    /// broken deterministically (e.g. by submit order).
    func order(_ jobs: [Int], in state: ClusterState) -> [Int]
    /// The key `order` sorts by now, ascending with ties to the lower job index; nil (the
    /// default) when the order is not a per-job key. With keys the engine orders only the jobs
    /// a pass can use instead of sorting the whole queue.
    func priorityKey(job: Int, in state: ClusterState) -> Double?
    /// Whether a queued job's key stays as it was when it was queued until
    /// `waitingKeyChanges` (false, the default: it may change at any time). With stable keys
    /// the engine keeps the queue ordered incrementally.
    var hasStableWaitingKeys: Bool { get }
    /// With stable keys: the first instant at which a queued job's key may differ from its
    /// key now (nil, the default: not while it waits).
    func waitingKeyChanges(job: Int, in state: ClusterState) -> SimTime?
}

extension SchedulingPolicy {
    public func priorityKey(job: Int, in state: ClusterState) -> Double? { nil }
    public var hasStableWaitingKeys: Bool { false }
    public func waitingKeyChanges(job: Int, in state: ClusterState) -> SimTime? { nil }

    /// Every queued job, and for preemptive policies every running job too, highest priority first.
    public func prioritize(_ state: ClusterState) -> [Int] {
        order(isPreemptive ? state.running + state.queued : state.queued, in: state)
    }
}

/// Where a job goes: the devices, all of one type, one per requested GPU.
public struct Placement: Sendable, Hashable {
    public var devices: [Int]
    /// Whether the job may share devices with whole-GPU jobs already there (space sharing).
    public var colocate: Bool

    public init(devices: [Int], colocate: Bool = false) {
        self.devices = devices
        self.colocate = colocate
    }
}

/// "Where": chooses devices for one job given the cluster state, or nil if it cannot be
/// placed now.
public protocol PlacementPolicy: Sendable {
    var name: String { get }
    /// Whether this policy ever co-locates whole-GPU jobs; if not, the engine stops a pass
    /// early when no device is idle.
    var colocates: Bool { get }
    func place(job: Int, in state: ClusterState) -> Placement?
    /// Whether the placement picks device types by predicted speed, so that at each round of a
    /// preemptive policy the engine moves a running job to where the placement would now put
    /// it when that is faster (migration, `Simulator.migrateToFasterTypes`). False by default.
    var migrates: Bool { get }
}

extension PlacementPolicy {
    public var migrates: Bool { false }
}

/// Why the engine rejected a placement. A valid policy never produces one; the contract tests
/// check that.
public enum PlacementViolation: Error, Equatable, Sendable {
    case wrongDeviceCount, duplicateDevice, unknownDevice, deviceDown, mixedDeviceTypes
    case infeasibleDeviceType, noRoom
    /// The job's predictor says its peak memory exceeds the type's device memory: a policy
    /// sees only predictions, so it may not place the job there (`ClusterState.predictedToFit`).
    case predictedNotToFit
}

extension ClusterState {
    /// Checks a placement against the rules the engine enforces.
    public func validate(_ p: Placement, for job: Int) -> PlacementViolation? {
        guard p.devices.count == jobs[job].job.gpus else { return .wrongDeviceCount }
        let milli = jobs[job].job.gpuMilli
        guard p.devices.count < 2 || Set(p.devices).count == p.devices.count else { return .duplicateDevice }
        guard p.devices.allSatisfy({ $0 >= 0 && $0 < deviceCount }) else { return .unknownDevice }
        guard p.devices.allSatisfy({ isUp(device: $0) }) else { return .deviceDown }
        let type = deviceTypeOfDevice[p.devices[0]]
        guard p.devices.allSatisfy({ deviceTypeOfDevice[$0] == type }) else { return .mixedDeviceTypes }
        guard feasible[job].contains(type) else { return .infeasibleDeviceType }
        guard predictedToFit(job: job, type: type) else { return .predictedNotToFit }
        if !p.colocate {
            guard p.devices.allSatisfy({ milliUsed[$0] + milli <= 1000 }) else { return .noRoom }
        }
        return nil
    }
}
