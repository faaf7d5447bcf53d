import ClusterKit

/// Where a job is in its lifecycle: queued → running → completed, or failed by OOM at start,
/// or preempted (back to queued, paying a checkpoint/restore cost when it starts again).
public enum JobStatus: String, Sendable, Hashable {
    case pending      // not yet submitted
    case queued
    case running
    case completed
    case failedOOM = "failed_oom"
    /// Could never run: no device of the cluster can hold it (only with lenient loading).
    case unschedulable
    /// Never placed by the policy: its placement declined it on an idle cluster with nothing
    /// left to arrive (its predictor said it fits nowhere), though the measured job would run.
    case refused
}

/// A job's simulated state. Read by policies through `ClusterState`; changed only by the engine.
public struct JobRuntime: Sendable {
    public let job: Job
    /// Index of the job's configuration in `ClusterState.configs`.
    public let configIndex: Int
    public let totalIterations: Double
    public internal(set) var status: JobStatus = .pending
    public internal(set) var remainingIterations: Double
    /// Iterations per second on the current allocation (0 when not running).
    public internal(set) var rate: Double = 0
    /// Progress is accounted up to here; later than now while restoring from a checkpoint.
    public internal(set) var progressSince: SimTime = .zero
    public internal(set) var epoch = 0
    public internal(set) var devices: [Int] = []
    public internal(set) var deviceType: Int = -1
    public internal(set) var firstStart: SimTime?
    /// When the current run started (devices held from here on, restore included).
    public internal(set) var runStart: SimTime = .zero
    /// Multi-device scaling efficiency of the current allocation (set at start).
    public internal(set) var scalingEfficiency: Double = 1
    public internal(set) var end: SimTime?
    public internal(set) var lastQueued: SimTime = .zero
    /// GPU-seconds received so far (two-dimensional attained service, Tiresias).
    public internal(set) var attainedService: Double = 0
    /// Seconds spent running so far.
    public internal(set) var runSeconds: Double = 0
    public internal(set) var preemptions = 0
    public internal(set) var colocated = false
    /// GPU-seconds per device type.
    public internal(set) var serviceByType: [Double] = []

    init(job: Job, configIndex: Int, iterations: Double, deviceTypes: Int) {
        self.job = job
        self.configIndex = configIndex
        self.totalIterations = iterations
        self.remainingIterations = iterations
        self.serviceByType = Array(repeating: 0, count: deviceTypes)
    }

    /// Share of a GPU per device, 0...1.
    public var share: Double { Double(job.gpuMilli) / 1000 }
    public var isActive: Bool { status == .queued || status == .running }
}
