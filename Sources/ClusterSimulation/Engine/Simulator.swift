import ClusterKit

/// The discrete-event engine: replays a trace on a cluster under a scheduling and a placement
/// policy. It executes jobs with measured performance (`ClusterState.measured`) while policies
/// see their predictor's answers (`ClusterState.predicted`), so mispredictions have
/// consequences: OOM at start, interference, slow devices.
///
/// Single-threaded and deterministic: integer time, queue key (time, phase, sequence), no
/// iteration over hashed collections in decisions.
public final class Simulator {
    public let state: ClusterState
    public let scheduler: any SchedulingPolicy
    public let placement: any PlacementPolicy
    public let config: SimulationConfig
    public let scaling: ScalingTable
    private var queue = EventQueue()
    private var observers: [any SimulationObserver] = []
    private var schedulePending = false
    /// When the next round is due (later rounds in the queue are stale).
    private var roundAt: SimTime?
    private var fullPassRequested = false
    /// Queued jobs that want less than a whole device (they may fit where no device is idle).
    var fractionalQueued = 0
    public private(set) var eventsProcessed = 0
    public internal(set) var invalidPlacements = 0
    private var pendingArrivals = 0
    private var busyByType: [Int]
    private var smByType: [Double]
    private var occupancyDirty = false
    /// Queued jobs grouped and ordered for the passes (see `WaitingQueue`).
    var waiting: WaitingQueue
    /// Scratch marks of a full pass (`fullPass`; all `.none` between passes).
    var passMark: [PassMark]
    /// Whether the scheduler orders by a per-job key (`SchedulingPolicy.priorityKey`).
    var keyed = false
    /// Whether queued jobs' keys are cached between passes (`hasStableWaitingKeys`).
    var stableKeys = false

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
        state.computeFallback()
        self.state = state
        self.scheduler = scheduler
        self.placement = placement
        self.config = config
        self.scaling = oracle.scaling
        self.busyByType = Array(repeating: 0, count: width)
        self.smByType = Array(repeating: 0, count: width)
        self.waiting = WaitingQueue(jobs: state.jobs.count)
        self.passMark = Array(repeating: .none, count: state.jobs.count)
        if !state.jobs.isEmpty && scheduler.priorityKey(job: 0, in: state) != nil {
            keyed = true
            stableKeys = scheduler.hasStableWaitingKeys
        }
        for (i, job) in trace.jobs.enumerated() where state.jobs[i].status == .pending { queue.push(.arrival(job: i), at: job.submit) }
        pendingArrivals = state.jobs.filter { $0.status == .pending }.count
        ended = state.jobs.count - pendingArrivals
        for e in config.nodeEvents where e.node >= 0 && e.node < state.topology.nodes.count {
            queue.push(e.up ? .nodeRecovery(node: e.node) : .nodeFailure(node: e.node), at: e.time)
        }
    }

    public func addObserver(_ o: any SimulationObserver) { observers.append(o) }

    private func emit(_ r: SimulationRecord) { for o in observers { o.record(r, state: state) } }

    /// Runs until every job has ended. `progress` is called now and then with (ended, total).
    public func run(progress: ((Int, Int) -> Void)? = nil) { run(until: .infinity, progress: progress) }

    /// Processes events strictly before `limit` (for inspecting a state mid-run).
    public func runUntil(_ limit: SimTime) { run(until: limit, progress: nil) }

    private var ended = 0

    private func run(until limit: SimTime, progress: ((Int, Int) -> Void)?) {
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
                let n = state.topology.nodes[node]
                for d in n.firstDevice..<(n.firstDevice + n.deviceCount) where state.residents[d].isEmpty {
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
                ended += schedulePass(full: full)
                if full || !scheduler.isPreemptive { ended += refuseIfStuck() }
                if scheduler.isPreemptive && config.roundSeconds > 0 && !state.queuedSet.isEmpty {
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

    private func requestSchedule() {
        guard !schedulePending else { return }
        schedulePending = true
        queue.push(.schedule, at: state.now)
    }

    // MARK: - Progress and rates

    /// Accounts the job's progress up to now.
    private func advance(_ j: Int) {
        let job = state.jobs[j]
        guard job.status == .running else { return }
        let dt = (state.now - job.progressSince).seconds
        guard dt > 0 else { return }
        state.jobs[j].remainingIterations = max(0, job.remainingIterations - dt * job.rate)
        state.jobs[j].progressSince = state.now
    }

    /// Recomputes a running job's rate from measured speed, scaling and interference, and
    /// queues its completion under a new epoch.
    private func reschedule(_ j: Int, forceNewEpoch: Bool = false) {
        let job = state.jobs[j]
        let type = job.deviceType
        guard let real = state.measured[job.configIndex][type] else { return }
        let n = job.devices.count
        var speed = 1.0
        for d in job.devices { speed = min(speed, config.interference.speed(totalUtilization: state.realUtilization[d], residents: state.residents[d].count)) }
        let rate = Double(n) * job.scalingEfficiency * job.share / real.timePerIteration * speed
        // Same rate as before: the queued completion is still right (and may be due now).
        if rate == job.rate && job.epoch > 0 && job.status == .running && job.rate > 0 && !forceNewEpoch { return }
        state.jobs[j].rate = rate
        state.jobs[j].epoch += 1
        let start = max(state.now, job.progressSince)
        let remaining = job.remainingIterations <= job.totalIterations * 1e-12 ? 0 : job.remainingIterations
        let seconds = remaining / rate
        let finish = start + SimTime(secondsRoundingUp: seconds)
        queue.push(.completion(job: j, epoch: state.jobs[j].epoch), at: finish)
    }

    private func realUtilization(_ j: Int) -> Double {
        let job = state.jobs[j]
        return (state.measured[job.configIndex][job.deviceType]?.smUtilization ?? 1) * job.share
    }

    // MARK: - Starting and stopping

    /// Starts a job on validated devices, or fails it with OOM. Returns false on OOM.
    func start(_ j: Int, _ p: Placement) -> Bool {
        let type = state.deviceTypeOfDevice[p.devices[0]]
        let job = state.jobs[j]
        let real = state.measured[job.configIndex][type]
        let realMemory = real?.peakMemoryBytes ?? 0
        let capacity = state.memory(ofType: type) ?? Int64.max
        removeQueued(j)
        if let bad = p.devices.first(where: { state.realMemoryUsed[$0] + realMemory > capacity }) {
            state.jobs[j].deviceType = type
            finish(j, status: .failedOOM, oomDevice: bad)
            return false
        }
        let restoring = job.preemptions > 0
        state.jobs[j].status = .running
        state.jobs[j].devices = p.devices
        state.jobs[j].deviceType = type
        let restore = restoring ? SimTime(seconds: config.checkpointRestoreSeconds) : .zero
        // Saturating: restores are bounded (`Limits.maxRestoreSeconds`), and time never wraps.
        state.jobs[j].progressSince = state.now + restore
        state.jobs[j].runStart = state.now
        // Scaling depends only on the allocation: fixed for this run, not per rate change.
        let firstNode = state.topology.nodeOfDevice[p.devices[0]]
        let consolidated = p.devices.allSatisfy { state.topology.nodeOfDevice[$0] == firstNode }
        state.jobs[j].scalingEfficiency = scaling.efficiency(config: job.job.config, device: state.deviceTypes[type].name,
                                                             gpus: p.devices.count, consolidated: consolidated)
        if job.firstStart == nil { state.jobs[j].firstStart = state.now }
        let predictedMemory = state.predictedMemory(job: j, type: type, upper: false)
        let predictedUpper = state.predictedMemory(job: j, type: type, upper: true)
        let predictedUtil = (state.predicted[job.configIndex][type]?.smUtilization ?? 1) * job.share
        let util = realUtilization(j)
        var neighbours: [Int] = []
        for d in p.devices {
            if state.residents[d].isEmpty { state.idleCount[type] -= 1; busyByType[type] += 1 }
            for other in state.residents[d] where !neighbours.contains(other) { neighbours.append(other) }
            smByType[type] -= min(1, state.realUtilization[d])
            state.residents[d].append(j)
            state.milliUsed[d] += job.job.gpuMilli
            state.realMemoryUsed[d] += realMemory
            state.predictedMemoryUsed[d] += predictedMemory
            state.predictedMemoryUpperUsed[d] += predictedUpper
            state.predictedUtilization[d] += predictedUtil
            state.realUtilization[d] += util
            smByType[type] += min(1, state.realUtilization[d])
        }
        occupancyDirty = true
        state.running.append(j)
        if !neighbours.isEmpty { state.jobs[j].colocated = true }
        emit(.started(job: j, at: state.now, devices: p.devices, type: type, restoring: restoring))
        for other in neighbours {
            state.jobs[other].colocated = true
            advance(other)
            reschedule(other)
        }
        reschedule(j, forceNewEpoch: true)
        return true
    }

    /// Releases a running job's devices (accounting its service) and updates its neighbours.
    private func release(_ j: Int) {
        let job = state.jobs[j]
        let type = job.deviceType
        let runStart = job.runStart
        let ran = max(0, (state.now - runStart).seconds)
        let gpuSeconds = ran * Double(job.devices.count) * job.share
        state.jobs[j].attainedService += gpuSeconds
        state.jobs[j].runSeconds += ran
        state.jobs[j].serviceByType[type] += gpuSeconds
        let predictedMemory = state.predictedMemory(job: j, type: type, upper: false)
        let predictedUpper = state.predictedMemory(job: j, type: type, upper: true)
        let predictedUtil = (state.predicted[job.configIndex][type]?.smUtilization ?? 1) * job.share
        let realMemory = state.measured[job.configIndex][type]?.peakMemoryBytes ?? 0
        let util = realUtilization(j)
        var neighbours: [Int] = []
        for d in job.devices {
            smByType[type] -= min(1, state.realUtilization[d])
            state.residents[d].removeAll { $0 == j }
            state.milliUsed[d] -= job.job.gpuMilli
            state.realMemoryUsed[d] -= realMemory
            state.predictedMemoryUsed[d] -= predictedMemory
            state.predictedMemoryUpperUsed[d] -= predictedUpper
            state.predictedUtilization[d] -= predictedUtil
            state.realUtilization[d] -= util
            if state.residents[d].isEmpty {
                state.realUtilization[d] = 0
                state.predictedUtilization[d] = 0
                busyByType[type] -= 1
                if state.isUp(device: d) { state.idleCount[type] += 1 }
            }
            smByType[type] += min(1, state.realUtilization[d])
            for other in state.residents[d] where !neighbours.contains(other) { neighbours.append(other) }
        }
        occupancyDirty = true
        state.jobs[j].devices = []
        state.jobs[j].rate = 0
        state.jobs[j].epoch += 1
        if let k = state.running.firstIndex(of: j) { state.running.remove(at: k) }
        for other in neighbours.sorted() {
            advance(other)
            reschedule(other)
        }
    }

    private func finish(_ j: Int, status: JobStatus, oomDevice: Int? = nil) {
        if state.jobs[j].status == .running { release(j) }
        state.jobs[j].status = status
        state.jobs[j].end = state.now
        if status == .failedOOM {
            emit(.failedOOM(job: j, at: state.now, device: oomDevice ?? -1))
        } else {
            emit(.completed(job: j, at: state.now))
        }
    }

    func preempt(_ j: Int) {
        advance(j)
        release(j)
        state.jobs[j].status = .queued
        state.jobs[j].preemptions += 1
        state.jobs[j].lastQueued = state.now
        insertQueued(j)
        emit(.preempted(job: j, at: state.now))
    }

    private func failNode(_ node: Int) {
        let n = state.topology.nodes[node]
        var victims: [Int] = []
        for d in n.firstDevice..<(n.firstDevice + n.deviceCount) {
            if state.residents[d].isEmpty { state.idleCount[state.deviceTypeOfDevice[d]] -= 1 }
            for j in state.residents[d] where !victims.contains(j) { victims.append(j) }
        }
        state.nodeUp[node] = false
        for j in victims.sorted() { preempt(j) }
        emit(.nodeDown(node: node, at: state.now))
    }

    private func removeQueued(_ j: Int) {
        if state.queuedSet.remove(j) {
            waiting.remove(j)
            if state.jobs[j].isFractional { fractionalQueued -= 1 }
        }
    }

    /// Keeps `queued` in submit order (job index order) and files the job in `waiting`.
    private func insertQueued(_ j: Int) {
        state.queuedSet.insert(j)
        let key = stableKeys ? scheduler.priorityKey(job: j, in: state) ?? 0 : 0
        waiting.insert(j, key: key, changesAt: stableKeys ? scheduler.waitingKeyChanges(job: j, in: state) : nil, state: state)
        if state.jobs[j].isFractional { fractionalQueued += 1 }
    }

    private func flushOccupancy() {
        guard occupancyDirty else { return }
        occupancyDirty = false
        emit(.occupancy(at: state.now, busyByType: busyByType, smByType: smByType))
    }

    // MARK: - The scheduling pass

    /// Applies the policies' decisions; returns how many jobs ended (OOM) in the pass.
    ///
    /// A full pass (preemptive policies, at each round) orders running and queued jobs
    /// together, admits them in order while device capacity lasts, preempts running jobs not
    /// admitted, and places admitted queued jobs. Other passes only place queued jobs, in the
    /// policy's order, on free capacity.
    ///
    /// With a keyed policy the pass visits queued jobs in the policy's order but only those of
    /// classes that could be used (admitted within the capacity left, or placed on the idle
    /// devices of a feasible type), so its work does not grow with the queue; the decisions
    /// are those of ordering the whole queue.
    private func schedulePass(full: Bool) -> Int {
        guard !state.queuedSet.isEmpty else { return 0 }
        var idle = state.idleCount.reduce(0, +)
        if !full && idle == 0 && !placement.colocates && fractionalQueued == 0 { return 0 }
        if stableKeys { waiting.refresh(now: state.now) { j in (scheduler.priorityKey(job: j, in: state) ?? 0, scheduler.waitingKeyChanges(job: j, in: state)) } }
        var ended = 0
        if full { return fullPass(idle: &idle) }
        if stableKeys {
            var last: WaitingQueue.Entry?
            while let e = waiting.next(after: last, where: { self.mayPlace($0) }) {
                last = e
                guard tryStart(e.job, idle: &idle, ended: &ended) else { break }
            }
            return ended
        }
        let queued = keyed ? waiting.jobs { self.mayPlace($0) } : state.queued
        for j in scheduler.order(queued, in: state) {
            guard tryStart(j, idle: &idle, ended: &ended) else { break }
        }
        return ended
    }

    /// Whether restoring takes at least a round (`SimulationConfig.protectsRestoredRuns`).
    private var protectsRestoredRuns: Bool {
        config.checkpointRestoreSeconds > 0 && config.checkpointRestoreSeconds >= config.roundSeconds
    }

    /// When a running job may be preempted again: with `protectsRestoredRuns`, a job that
    /// restored a checkpoint for this run first restores and then runs for one round (so every
    /// preemption follows progress); otherwise now.
    private func preemptibleFrom(_ j: Int) -> SimTime {
        let job = state.jobs[j]
        guard protectsRestoredRuns, job.preemptions > 0 else { return .zero }
        return job.runStart + SimTime(seconds: config.checkpointRestoreSeconds + max(config.roundSeconds, 0))
    }

    func isProtected(_ j: Int) -> Bool { state.now < preemptibleFrom(j) }

    /// The earliest time a round could preempt a running job: the next round waits for it
    /// when every running job is protected (no event then, however long restores take).
    private func nextPreemptible() -> SimTime {
        guard protectsRestoredRuns, !state.running.isEmpty else { return .zero }
        return state.running.map(preemptibleFrom).min()!
    }

    /// Whether a non-full pass could place a job of this class now: a share of a device, a
    /// co-locating placement, or a feasible type with enough idle devices (a placement that
    /// does not co-locate puts a whole-device job only on idle devices: `validate`).
    func mayPlace(_ c: WaitingQueue.JobClass) -> Bool {
        c.milli < 1000 || placement.colocates || c.types.contains { state.idleCount[$0] >= c.gpus }
    }

    /// Offers a queued job to the placement and starts it where placed; false when the pass
    /// should stop (no idle device and nothing fractional queued).
    func tryStart(_ j: Int, idle: inout Int, ended: inout Int) -> Bool {
        if idle == 0 && !placement.colocates && !state.jobs[j].isFractional {
            return fractionalQueued != 0
        }
        guard let p = placement.place(job: j, in: state) else { return true }
        if state.validate(p, for: j) != nil { invalidPlacements += 1; return true }
        if !start(j, p) { ended += 1 }
        idle = state.idleCount.reduce(0, +)
        return true
    }

    /// Ends the queued jobs the policy will never place: nothing runs, nothing is left to
    /// arrive, every node is up, and a pass just declined them on the idle cluster, so no later
    /// event can change its decision. This happens when a predictor says a job fits on no
    /// device (e.g. predicted memory above every device's) although the measured job would run;
    /// without it, a preemptive policy's rounds would go on forever.
    private func refuseIfStuck() -> Int {
        guard state.running.isEmpty, pendingArrivals == 0, !state.queued.isEmpty, !state.nodeUp.contains(false) else { return 0 }
        // A full pass considers only the jobs it admitted: first offer every queued job the idle cluster.
        var ended = schedulePass(full: false)
        guard state.running.isEmpty else { return ended }
        let stuck = state.queued
        for j in stuck {
            removeQueued(j)
            state.jobs[j].status = .refused
            emit(.refused(job: j, at: state.now))
        }
        ended += stuck.count
        return ended
    }

    // MARK: - Invariants

    /// Checks, after an event: no device over its memory or share, residents and jobs agree,
    /// every ended job ended once, idle counts match. Traps on violation (tests only).
    public func checkInvariants() {
        var idle = Array(repeating: 0, count: state.deviceTypes.count)
        for d in 0..<state.deviceCount {
            let type = state.deviceTypeOfDevice[d]
            if let cap = state.memory(ofType: type) { precondition(state.realMemoryUsed[d] <= cap, "device \(d) over memory") }
            precondition(state.realMemoryUsed[d] >= 0 && state.milliUsed[d] >= 0, "negative use on device \(d)")
            for j in state.residents[d] {
                precondition(state.jobs[j].status == .running && state.jobs[j].devices.contains(d), "resident \(j) of device \(d) not running there")
            }
            if state.residents[d].isEmpty && state.isUp(device: d) { idle[type] += 1 }
            let shared = state.residents[d].count > 1 && state.residents[d].contains { !state.jobs[$0].colocated }
            precondition(!shared || state.milliUsed[d] <= 1000, "device \(d) over-reserved without co-location")
        }
        precondition(idle == state.idleCount, "idle counts drifted")
        for j in state.running { precondition(state.jobs[j].status == .running && !state.jobs[j].devices.isEmpty, "running list") }
        for j in state.queued { precondition(state.jobs[j].status == .queued, "queued list") }
        for (i, job) in state.jobs.enumerated() {
            switch job.status {
            case .completed, .failedOOM: precondition(job.end != nil && job.devices.isEmpty, "ended job \(i) holds devices")
            case .running: precondition(state.running.contains(i), "running job \(i) not listed")
            default: precondition(job.end == nil, "job \(i) ended but \(job.status)")
            }
            precondition(job.remainingIterations >= 0, "negative remaining work")
        }
    }
}

extension JobRuntime {
    var isFractional: Bool { job.gpuMilli < 1000 }
}
