import ClusterKit

/// What a policy sees of the cluster: its occupancy, the jobs' requests and observed progress,
/// and the policy's predictor's answers, but no measured value. The engine executes jobs with
/// measured performance (`ClusterState.measured`, the real memory and utilization of devices,
/// a running job's measured rate); none of it is reachable from here, so a policy cannot use it
/// even by mistake, and what it decides on is exactly what its predictor says.
///
/// A read-only window onto the engine's live state: after a decision the engine applies
/// (`DecisionSink`), the same view shows the result. Every member is defined in this file,
/// where alone the state is visible.
public struct PolicyView {
    private let state: ClusterState

    /// The policies' window onto `state` (the engine makes one per run; tests make their own).
    public init(_ state: ClusterState) { self.state = state }

    /// Whether two views look at the same simulation (for caches kept across calls).
    public func isSameSimulation(as other: PolicyView) -> Bool { state === other.state }

    // MARK: Time and jobs

    public var now: SimTime { state.now }
    /// Queued jobs' indices, in submit order (built on each read: O(queue)).
    public var queued: [Int] { state.queued }
    public var queuedCount: Int { state.queuedCount }
    /// Running jobs' indices, ascending (built on each read: O(running)).
    public var running: [Int] { state.running }
    public var runningCount: Int { state.runningCount }
    public var jobCount: Int { state.jobs.count }
    /// One job as a policy may see it.
    public func job(_ j: Int) -> JobView { JobView(state: state, index: j) }
    /// The predictor the answers come from.
    public var predictorName: String { state.predictorName }

    // MARK: The cluster

    public var deviceTypes: [DeviceSpec] { state.deviceTypes }
    public var deviceCount: Int { state.deviceCount }
    public var topology: ClusterTopology { state.topology }
    public func deviceType(ofDevice d: Int) -> Int { state.deviceTypeOfDevice[d] }
    public func node(ofDevice d: Int) -> Int { state.topology.nodeOfDevice[d] }
    /// Devices of each type in the cluster.
    public var totalCount: [Int] { state.totalCount }
    /// Devices of each type that are up and have nothing on them.
    public var idleCount: [Int] { state.idleCount }
    public func idleCount(ofType t: Int) -> Int { state.idleCount[t] }
    /// Device indices of a type, ascending.
    public func devices(ofType t: Int) -> [Int] { state.devicesByType[t] }
    /// Node indices of a type, ascending.
    public func nodes(ofType t: Int) -> [Int] { state.nodesByType[t] }
    public func isUp(node: Int) -> Bool { state.nodeUp[node] }
    public func isUp(device: Int) -> Bool { state.isUp(device: device) }
    /// The devices of a node.
    public func devices(ofNode node: Int) -> Range<Int> { state.devices(ofNode: node) }
    /// A node's devices with nothing reserved, up or not.
    public func unreservedDevices(onNode node: Int) -> Int { state.unreservedOnNode[node] }
    /// Memory of one device of a type, bytes (nil when the catalog does not know it).
    public func memory(ofType type: Int) -> Int64? { state.memory(ofType: type) }

    // MARK: Occupancy (as the policy's predictor accounts it)

    /// The jobs on a device.
    public func residents(ofDevice d: Int) -> [Int] { state.residents[d] }
    /// Thousandths of the device reserved by its residents.
    public func milliUsed(ofDevice d: Int) -> Int { state.milliUsed[d] }
    /// A bit per device of the type (by its place among them) set while it has room left.
    func withRoom(ofType t: Int) -> [UInt64] { state.withRoomByType[t] }
    /// Memory the residents use by the predictor's answers, bytes (upper bounds with `upper`).
    public func predictedMemoryUsed(ofDevice d: Int, upper: Bool = false) -> Int64 {
        upper ? state.predictedMemoryUpperUsed[d] : state.predictedMemoryUsed[d]
    }
    /// The residents' predicted SM utilization, summed.
    public func predictedUtilization(ofDevice d: Int) -> Double { state.predictedUtilization[d] }
    /// Whether `device` is up with enough unreserved share for the job.
    public func hasRoom(device: Int, for job: Int) -> Bool { state.hasRoom(device: device, for: job) }

    // MARK: Predictions

    /// The policy's view of a job on a device type: its predictor's estimate.
    public func prediction(job: Int, type: Int) -> PerformanceEstimate? { state.prediction(job: job, type: type) }
    /// Predicted memory of a job on a type (its upper bound with `upper`, where given); the
    /// device's whole memory when the predictor does not say.
    public func predictedMemory(job: Int, type: Int, upper: Bool) -> Int64 { state.predictedMemory(job: job, type: type, upper: upper) }
    /// Whether the job's predicted peak memory fits an empty device of `type`.
    public func predictedToFit(job: Int, type: Int) -> Bool { state.predictedToFit(job: job, type: type) }
    /// Device types the job may run on (its constraint, the cluster's counts, and types the
    /// engine can execute it on).
    public func feasibleTypes(job: Int) -> [Int] { state.feasible[job] }
    /// The feasible types where the job's predictor says it fits: the only ones a placement may use.
    public func placeableTypes(job: Int) -> [Int] { state.placeableTypes(job: job) }
    /// Predicted seconds for the job's remaining work on `type` with its requested devices.
    public func predictedRemainingSeconds(job: Int, type: Int) -> Double? { state.predictedRemainingSeconds(job: job, type: type) }
    /// The smallest predicted remaining time over the job's feasible types, from its progress
    /// up to now (the median answered length's share for a job its predictor answered on none:
    /// `fallbackSeconds`).
    public func bestPredictedRemainingSeconds(job: Int) -> Double { state.bestPredictedRemainingSeconds(job: job) }
    /// The smallest predicted time for the job's whole work over its feasible types.
    public func bestPredictedTotalSeconds(job: Int) -> Double {
        state.bestPredictedSeconds(job: job, iterations: state.jobs[job].totalIterations)
    }
    /// The median of the answered jobs' best predicted lengths, for jobs answered nowhere.
    public var fallbackSeconds: Double? { state.fallbackSeconds }
    /// Feasible types by predicted time per iteration, fastest first; types the predictor
    /// cannot answer for go last, in cluster order (computed once per job).
    public func typesByPredictedSpeed(job: Int) -> [Int] { state.typesByPredictedSpeed(job: job) }

    // MARK: Observed progress and service

    /// The job's remaining iterations now, as the job itself reports them (its progress is
    /// accounted up to now first; the rate behind it stays hidden).
    @discardableResult
    public func remainingIterations(job: Int) -> Double {
        state.accountProgress(job)
        return state.jobs[job].remainingIterations
    }
    /// GPU-seconds the job has received up to now, its current run included.
    public func attainedService(job: Int) -> Double { state.attainedService(job: job) }
    /// Seconds the job has run up to now, its current run included.
    public func runSeconds(job: Int) -> Double { state.runSeconds(job: job) }

    // MARK: The engine's rules

    /// Seconds a preempted or moved job spends restoring its checkpoint when it starts again.
    public var restoreSeconds: Double { state.restoreSeconds }

    /// When a running job may be preempted or moved again (restore protection,
    /// `SimulationConfig.protectsRestoredRuns`); a decision to do so earlier is rejected.
    public func preemptibleFrom(job: Int) -> SimTime { state.preemptibleFrom(job) }
    /// Whether a running job is protected from preemption now.
    public func isProtected(job: Int) -> Bool { state.now < state.preemptibleFrom(job) }
    /// Why the engine would reject this placement for the job now (nil: it would accept it).
    public func violation(of p: Placement, for job: Int) -> PlacementViolation? { state.validate(p, for: job) }
}

/// One job as a policy sees it: its request, where it runs, and its history. No measured
/// duration or rate.
public struct JobView {
    fileprivate let state: ClusterState
    public let index: Int

    public var id: String { state.jobs[index].job.id }
    public var submit: SimTime { state.jobs[index].job.submit }
    /// Devices requested.
    public var gpus: Int { state.jobs[index].job.gpus }
    /// Share of one device in thousandths (1000: a whole device).
    public var gpuMilli: Int { state.jobs[index].job.gpuMilli }
    public var share: Double { state.jobs[index].share }
    public var isFractional: Bool { state.jobs[index].isFractional }
    public var priority: Int { state.jobs[index].job.priority }
    public var deadline: SimTime? { state.jobs[index].job.deadline }
    /// The user's own estimate of the run time, if the trace gives one.
    public var userEstimate: SimTime? { state.jobs[index].job.userEstimate }
    /// The iterations the job asked for.
    public var totalIterations: Double { state.jobs[index].totalIterations }
    public var status: JobStatus { state.jobs[index].status }
    /// Its devices while it runs (empty otherwise).
    public var devices: [Int] { state.jobs[index].devices }
    /// How many devices it holds (`devices.count`, without copying the list).
    public var deviceCount: Int { state.jobs[index].devices.count }
    /// The type of its devices while it runs (-1 before its first start).
    public var deviceType: Int { state.jobs[index].deviceType }
    /// When the current run started (restore included).
    public var runStart: SimTime { state.jobs[index].runStart }
    /// When it last entered the queue.
    public var lastQueued: SimTime { state.jobs[index].lastQueued }
    public var firstStart: SimTime? { state.jobs[index].firstStart }
    /// GPU-seconds received by the end of its last run.
    public var attainedServiceBeforeThisRun: Double { state.jobs[index].attainedService }
    /// Seconds run by the end of its last run.
    public var runSecondsBeforeThisRun: Double { state.jobs[index].runSeconds }
    /// GPU-seconds received per device type by the end of its last run.
    public var serviceByType: [Double] { state.jobs[index].serviceByType }
    public var preemptions: Int { state.jobs[index].preemptions }
}
