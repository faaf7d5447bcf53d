import ClusterKit

/// "Who goes first": orders jobs by priority, from what a `PolicyView` shows (occupancy and
/// predictions, no measured value). Its planner (`makePlanner`, by default `PriorityPlanner`)
/// turns the order and the placement's answers into decisions that the engine validates and
/// applies (as in Blox, Agarwal et al., MLSys 2023, scheduling and placement are separate
/// policies).
public protocol SchedulingPolicy: Sendable {
    var name: String { get }
    /// Whether the policy may preempt running jobs for higher-priority ones. Preemptive
    /// policies also get periodic scheduling rounds.
    var isPreemptive: Bool { get }
    /// The given jobs (queued, or queued and running), highest priority first. Ties must be
    /// broken deterministically (e.g. by submit order).
    func order(_ jobs: [Int], in view: PolicyView) -> [Int]
    /// The key `order` sorts by now, ascending with ties to the lower job index; nil (the
    /// default) when the order is not a per-job key. With keys the engine orders only the jobs
    /// a pass can use instead of sorting the whole queue.
    func priorityKey(job: Int, in view: PolicyView) -> Double?
    /// Whether a queued job's key stays as it was when it was queued until
    /// `waitingKeyChanges` (false, the default: it may change at any time). With stable keys
    /// the engine keeps the queue ordered incrementally.
    var hasStableWaitingKeys: Bool { get }
    /// With stable keys: the first instant at which a queued job's key may differ from its
    /// key now (nil, the default: not while it waits).
    func waitingKeyChanges(job: Int, in view: PolicyView) -> SimTime?
    /// For a running job: the first instant after now at which its key may differ from its key
    /// now while it keeps running on the same devices (nil, the default: at any instant, so a
    /// planner asks at every round; `.infinity`: never). A planner may keep the key until then,
    /// forgetting it whenever the job stops, starts or moves.
    func runningKeyChanges(job: Int, in view: PolicyView) -> SimTime?
    /// Whether a queued job's key follows a curve in time while it waits
    /// (`waitingKeyCurve`; false, the default). With such keys the engine keeps the queue
    /// ordered kinetically, so a pass never sorts it, though every key moves.
    var hasKineticWaitingKeys: Bool { get }
    /// With kinetic keys: the key of a queued job from now until it runs again; its value at
    /// `view.now` must be `priorityKey(job:in:)` exactly.
    func waitingKeyCurve(job: Int, in view: PolicyView) -> KeyCurve?
    /// The planner that decides for this policy in one simulation (`PriorityPlanner` by default:
    /// the policy's order, the placement's devices, preemption for higher priority at rounds,
    /// migration where the placement migrates).
    func makePlanner(placement: any PlacementPolicy, view: PolicyView) -> any Planner
}

extension SchedulingPolicy {
    public func priorityKey(job: Int, in view: PolicyView) -> Double? { nil }
    public var hasStableWaitingKeys: Bool { false }
    public func waitingKeyChanges(job: Int, in view: PolicyView) -> SimTime? { nil }
    public func runningKeyChanges(job: Int, in view: PolicyView) -> SimTime? { nil }
    public var hasKineticWaitingKeys: Bool { false }
    public func waitingKeyCurve(job: Int, in view: PolicyView) -> KeyCurve? { nil }
    public func makePlanner(placement: any PlacementPolicy, view: PolicyView) -> any Planner {
        PriorityPlanner(scheduler: self, placement: placement, view: view)
    }

    /// Every queued job, and for preemptive policies every running job too, highest priority first.
    public func prioritize(_ view: PolicyView) -> [Int] {
        order(isPreemptive ? view.running + view.queued : view.queued, in: view)
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

/// "Where": chooses devices for one job from what a `PolicyView` shows, or nil if it cannot
/// be placed now.
public protocol PlacementPolicy: Sendable {
    var name: String { get }
    /// Whether this policy ever co-locates whole-GPU jobs; if not, the engine stops a pass
    /// early when no device is idle.
    var colocates: Bool { get }
    func place(job: Int, in view: PolicyView) -> Placement?
    /// Whether the placement picks device types by predicted speed, so that at each round of a
    /// preemptive policy the engine moves a running job to where the placement would now put
    /// it when that is faster (migration, `PriorityPlanner.migrateToFasterTypes`). False by default.
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
    /// sees only predictions, so it may not place the job there (`PolicyView.predictedToFit`).
    case predictedNotToFit
}
