import ClusterKit

/// The discrete-event engine: replays a trace on a cluster under a scheduling and a placement
/// policy. It executes jobs with measured performance (`ClusterState.measured`) while policies
/// see only their predictor's answers (`PolicyView`), so mispredictions have consequences:
/// OOM at start, interference, slow devices.
///
/// The engine keeps time, applies events and validates and applies the policy's decisions
/// (`Decision`, `Simulator+Decisions.swift`); what to start, preempt or move is decided by the
/// policy's planner (`Planner`, by default `PriorityPlanner`).
///
/// Single-threaded and deterministic: integer time, queue key (time, phase, sequence), no
/// iteration over hashed collections in decisions.
public final class Simulator {
    public let state: ClusterState
    public let scheduler: any SchedulingPolicy
    public let placement: any PlacementPolicy
    /// Turns the policies' answers into decisions at each pass.
    public let planner: any Planner
    /// What the policies see of `state`.
    public let view: PolicyView
    public let config: SimulationConfig
    public let scaling: ScalingTable
    var queue = EventQueue()
    var observers: [any SimulationObserver] = []
    var schedulePending = false
    /// When the next round is due (later rounds in the queue are stale).
    var roundAt: SimTime?
    var fullPassRequested = false
    public private(set) var eventsProcessed = 0
    /// Placements the engine rejected (`PlacementViolation`); a valid policy makes none.
    public internal(set) var invalidPlacements = 0
    /// Other decisions the engine rejected (`DecisionViolation`); a valid policy makes none.
    public internal(set) var rejectedDecisions = 0
    /// Running jobs moved to a faster device type at a round (each also counts as a preemption).
    public internal(set) var migrations = 0
    struct ScalingKey: Hashable { var config: Int, type: Int, gpus: Int, consolidated: Bool }
    /// Scaling efficiencies looked up so far (`scalingEfficiency`).
    var scalingCache: [ScalingKey: Double] = [:]
    /// Devices were released since the last round while the placement migrates: a round is
    /// wanted even with nothing queued, so running jobs can move onto them.
    var migrationRoundWanted = false
    var pendingArrivals = 0
    var busyByType: [Int]
    var smByType: [Double]
    var occupancyDirty = false

    /// Sets up a run. Throws `InputError` when a job could never run on this cluster.
    public init(trace: Trace, cluster: ClusterSpec, oracle: MeasuredOracle, predictor: any PerformancePredictor,
                scheduler: any SchedulingPolicy, placement: any PlacementPolicy, config: SimulationConfig = SimulationConfig()) throws {
        var configIndex: [ModelConfig: Int] = [:]
        var configs: [ModelConfig] = []
        for job in trace.jobs where configIndex[job.config] == nil {
            configIndex[job.config] = configs.count
            configs.append(job.config)
        }
        let types = cluster.deviceTypes
        let queries = configs.flatMap { c in types.map { PerformanceQuery(config: c, device: $0.name) } }
        let real = oracle.estimate(queries)
        let pred = predictor.estimate(queries)
        for (q, answer) in zip(queries, pred) {
            if let reason = answer?.invalidReason {
                throw InputError(file: "predictor \(predictor.name)", field: "\(q.config) on \(q.device)", reason: "answer cannot be used: \(reason)")
            }
        }
        let width = types.count
        let measured = configs.indices.map { i in Array(real[i * width..<(i + 1) * width]) }
        let predicted = configs.indices.map { i in Array(pred[i * width..<(i + 1) * width]) }
        let state = ClusterState(spec: cluster, configs: configs, measured: measured, predicted: predicted, predictorName: predictor.name)
        for job in trace.jobs {
            guard let iterations = job.iterations else {
                throw InputError(file: trace.source, field: "job \(job.id)", reason: "work is a duration; bind the trace to the measured oracle first")
            }
            // Every share a trace format can say; placement skips full devices on this.
            guard (1...1000).contains(job.gpuMilli) else {
                throw InputError(file: trace.source, field: "job \(job.id)", reason: "GPU share must be 1–1000 thousandths of a device, got \(job.gpuMilli)")
            }
            let ci = configIndex[job.config]!
            let feasible = types.indices.filter { t in
                measured[ci][t] != nil && state.totalCount[t] >= job.gpus
                    && (job.deviceConstraint.isEmpty || job.deviceConstraint.contains(types[t].name))
            }
            if feasible.isEmpty && config.skipInfeasible {
                var runtime = JobRuntime(job: job, configIndex: ci, iterations: iterations, deviceTypes: width)
                runtime.status = .unschedulable
                state.jobs.append(runtime)
                state.feasible.append([])
                continue
            }
            if feasible.isEmpty {
                throw InputError(file: trace.source, field: "job \(job.id)",
                                 reason: "no node of cluster '\(cluster.name)' could ever hold it (\(job.gpus) device(s) of a type with a measurement of \(job.config)\(job.deviceConstraint.isEmpty ? "" : ", constrained to \(job.deviceConstraint.joined(separator: "|"))")); pass --skip-infeasible to drop such jobs")
            }
            state.jobs.append(JobRuntime(job: job, configIndex: ci, iterations: iterations, deviceTypes: width))
            state.feasible.append(feasible)
        }
        state.finishSetup()
        state.restoreSeconds = config.checkpointRestoreSeconds
        if config.protectsRestoredRuns { state.restoreProtectionSeconds = config.checkpointRestoreSeconds + max(config.roundSeconds, 0) }
        self.state = state
        let view = PolicyView(state)
        self.view = view
        self.planner = scheduler.makePlanner(placement: placement, view: view)
        self.scheduler = scheduler
        self.placement = placement
        self.config = config
        self.scaling = oracle.scaling
        self.busyByType = Array(repeating: 0, count: width)
        self.smByType = Array(repeating: 0, count: width)
        queue.schedule(arrivals: trace.jobs.indices.filter { state.jobs[$0].status == .pending }.map { (job: $0, at: trace.jobs[$0].submit) })
        pendingArrivals = state.jobs.filter { $0.status == .pending }.count
        ended = state.jobs.count - pendingArrivals
        for e in config.nodeEvents where e.node >= 0 && e.node < state.topology.nodes.count {
            queue.push(e.up ? .nodeRecovery(node: e.node) : .nodeFailure(node: e.node), at: e.time)
        }
    }

    public func addObserver(_ o: any SimulationObserver) { observers.append(o) }

    func emit(_ r: SimulationRecord) { for o in observers { o.record(r, state: state) } }

    /// Runs until every job has ended. `progress` is called now and then with (ended, total).
    public func run(progress: ((Int, Int) -> Void)? = nil) { run(until: .infinity, progress: progress) }

    /// Processes events strictly before `limit` (for inspecting a state mid-run).
    public func runUntil(_ limit: SimTime) { run(until: limit, progress: nil) }

    var ended = 0

    func run(until limit: SimTime, progress: ((Int, Int) -> Void)?) {
        var lastReport = 0
        while let next = queue.peek(), next.time < limit {
            let event = queue.pop()!
            if event.time != state.now { flushOccupancy() }
            state.now = event.time
            eventsProcessed += 1
            switch event.kind {
            case .arrival(let j):
                pendingArrivals -= 1
                state.jobs[j].status = .queued
                state.jobs[j].lastQueued = state.now
                insertQueued(j)
                emit(.submitted(job: j, at: state.now))
                requestSchedule()
            case .completion(let j, let epoch):
                guard state.jobs[j].epoch == epoch, state.jobs[j].status == .running else { continue }
                advance(j)
                finish(j, status: .completed)
                ended += 1
                requestSchedule()
            case .nodeFailure(let node):
                guard state.nodeUp[node] else { continue }
                failNode(node)
                requestSchedule()
            case .nodeRecovery(let node):
                guard !state.nodeUp[node] else { continue }
                state.nodeUp[node] = true
                for d in state.devices(ofNode: node) where state.residents[d].isEmpty {
                    state.idleCount[state.deviceTypeOfDevice[d]] += 1
                }
                emit(.nodeUp(node: node, at: state.now))
                requestSchedule()
            case .round:
                guard state.now == roundAt else { break }
                roundAt = nil
                fullPassRequested = true
                requestSchedule()
            case .schedule:
                schedulePending = false
                let full = scheduler.isPreemptive && (fullPassRequested || config.roundSeconds <= 0)
                fullPassRequested = false
                // Released devices are considered by this round; moves it makes release more.
                if full { migrationRoundWanted = false }
                planner.plan(full: full, in: view, sink: self)
                if full || !scheduler.isPreemptive { refuseIfStuck() }
                let wanted = !state.queuedSet.isEmpty || (migrationRoundWanted && !state.runningSet.isEmpty)
                if scheduler.isPreemptive && config.roundSeconds > 0 && wanted {
                    let at = max(state.now + SimTime(seconds: config.roundSeconds), nextPreemptible())
                    if roundAt == nil || at < roundAt! {
                        roundAt = at
                        queue.push(.round, at: at)
                    }
                }
            }
            if config.checkInvariants { checkInvariants() }
            if let progress, ended - lastReport >= 1000 { lastReport = ended; progress(ended, state.jobs.count) }
            if ended == state.jobs.count && pendingArrivals == 0 { break }
        }
        flushOccupancy()
        if limit == .infinity { progress?(ended, state.jobs.count) }
    }

    func requestSchedule() {
        guard !schedulePending else { return }
        schedulePending = true
        queue.push(.schedule, at: state.now)
    }
}
