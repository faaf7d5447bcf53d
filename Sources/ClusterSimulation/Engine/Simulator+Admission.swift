import ClusterKit

/// A full pass (preemptive policies, at each round): the policy's order decides which jobs
/// run, and running jobs give way only to jobs that then start.
extension Simulator {
    /// What a full pass has done to a running job.
    enum PassMark { case none, inPool, preempted }

    /// Running jobs that may still give way in the current full pass: those of lower priority
    /// than every job visited so far, and not protected (`isProtected`).
    struct VictimPool {
        /// Per device type: its running jobs, highest priority first.
        var byType: [[Int]]
        /// Per device type: devices its pool members hold (an upper bound on what they free).
        var devices: [Int]
        var isEmpty: Bool { !devices.contains { $0 > 0 } }
    }

    /// Visits running and queued jobs together in the policy's order (highest priority first).
    /// A running job stays. A queued job starts where the placement puts it now, else on room
    /// made by preempting the fewest lowest-priority running jobs not yet visited, on one
    /// feasible type (`startPreempting`); if even that cannot place it, no job of its class
    /// (GPUs, share, feasible types) can start in this pass, and the class is skipped. So a
    /// job is preempted only for a job of higher priority that starts on its devices, and the
    /// pass visits at most the running jobs, the jobs it starts and one job per class.
    ///
    /// This is the priority-ordered packing of Tiresias (Gu et al., NSDI 2019) and Gavel's
    /// round-based mechanism (Narayanan et al., OSDI 2020): jobs that cannot be placed do not
    /// hold capacity, and lower-priority jobs that fit are backfilled.
    func fullPass(idle: inout Int) -> Int {
        let ranked = runningByPriority()
        let running = ranked.map(\.job)
        var pool = victimPool(running)
        defer { for j in running { passMark[j] = .none } }
        var failed = Array(repeating: false, count: waiting.classes.count)
        var ended = 0
        let canUseIdleOnly = placement.colocates || fractionalQueued > 0
        var visit = FullPassOrder(simulator: self, running: ranked)
        while let j = visit.next(poolEmpty: pool.isEmpty, failed: failed) {
            // A job preempted in this pass gave way to a higher one; it waits for the next.
            if passMark[j] == .preempted { continue }
            if state.jobs[j].status == .running {
                leavePool(j, &pool)
                continue
            }
            guard state.jobs[j].status == .queued else { continue }
            let c = waiting.classIndex(of: j)
            if c < failed.count && failed[c] { continue }
            let outcome = startPreempting(j, pool: &pool)
            if outcome.ended { ended += 1 }
            if !outcome.started && !outcome.ended {
                if c >= failed.count { failed += Array(repeating: false, count: c + 1 - failed.count) }
                failed[c] = true
                visit.classFailed()
            }
            if pool.isEmpty && !canUseIdleOnly && state.idleCount.allSatisfy({ $0 == 0 }) { break }
        }
        if placement.migrates { ended += migrateToFasterTypes(ranked.map(\.job)) }
        idle = state.idleCount.reduce(0, +)
        return ended
    }

    /// Migration (Gavel's rounds re-place every job; Narayanan et al., OSDI 2020, §5): after the
    /// round's admissions, each running job, highest priority first, that did not start in this
    /// pass and is not protected (`isProtected`) is offered to the placement again; where the
    /// placement would now put it on a type its predictor says is faster, and the predicted
    /// remaining time there plus the restore is shorter than where it is, it moves: preempted
    /// and started there, paying the restore. So no job stays on a slower type for a round
    /// while a faster type it can use has room. Returns how many jobs ended (OOM on the move).
    func migrateToFasterTypes(_ ranked: [Int]) -> Int {
        var ended = 0
        for j in ranked where state.jobs[j].status == .running && state.jobs[j].runStart < state.now && !isProtected(j) {
            let current = state.jobs[j].deviceType
            guard let here = state.prediction(job: j, type: current)?.timePerIteration else { continue }
            // Cheap first: some type the predictor says is faster has enough idle devices.
            let gpus = state.jobs[j].job.gpus
            guard state.jobs[j].isFractional || state.feasible[j].contains(where: { t in
                state.idleCount[t] >= gpus && (state.prediction(job: j, type: t)?.timePerIteration ?? .infinity) < here
            }) else { continue }
            guard let p = placement.place(job: j, in: state), state.validate(p, for: j) == nil else { continue }
            // Never trade a one-node placement for one that spans nodes (scaling would suffer).
            let nodes = { (devices: [Int]) in Set(devices.map { self.state.topology.nodeOfDevice[$0] }).count }
            if nodes(p.devices) > nodes(state.jobs[j].devices) { continue }
            let target = state.deviceTypeOfDevice[p.devices[0]]
            guard target != current, let there = state.prediction(job: j, type: target)?.timePerIteration, there < here else { continue }
            advance(j)
            guard let fast = state.predictedRemainingSeconds(job: j, type: target), let slow = state.predictedRemainingSeconds(job: j, type: current),
                  fast + config.checkpointRestoreSeconds < slow else { continue }
            preempt(j)
            migrations += 1
            if !start(j, p) { ended += 1 }
        }
        return ended
    }

    private func victimPool(_ running: [Int]) -> VictimPool {
        var pool = VictimPool(byType: Array(repeating: [], count: state.deviceTypes.count),
                              devices: Array(repeating: 0, count: state.deviceTypes.count))
        for j in running where !isProtected(j) {
            let t = state.jobs[j].deviceType
            pool.byType[t].append(j)
            pool.devices[t] += state.jobs[j].devices.count
            passMark[j] = .inPool
        }
        return pool
    }

    /// Running jobs, highest priority first, under their keys (with a keyed policy; else their
    /// place in the policy's order), computed once per pass.
    func runningByPriority() -> [WaitingQueue.Entry] {
        if keyed {
            return state.running.map { WaitingQueue.Entry(key: scheduler.priorityKey(job: $0, in: state) ?? 0, job: $0) }.sorted()
        }
        return scheduler.order(state.running, in: state).enumerated().map { WaitingQueue.Entry(key: Double($0.offset), job: $0.element) }
    }

    private func leavePool(_ j: Int, _ pool: inout VictimPool) {
        guard passMark[j] == .inPool else { return }
        passMark[j] = .none
        pool.devices[state.jobs[j].deviceType] -= state.jobs[j].devices.count
    }

    /// Starts queued job `j` where the placement puts it now, else preempts the fewest
    /// lowest-priority pool members on one feasible type that make room for it and places it
    /// then. Preempts nothing when no single type could hold it even with its whole pool gone.
    private func startPreempting(_ j: Int, pool: inout VictimPool) -> (started: Bool, ended: Bool) {
        if let p = validPlacement(j) { return start(j, p) ? (true, false) : (false, true) }
        let fractional = state.jobs[j].isFractional
        let gpus = state.jobs[j].job.gpus
        let types = state.placeableTypes(job: j)
        guard let victims = victimsToFree(for: j, types: types, pool: pool) else { return (false, false) }
        for v in victims {
            leavePool(v, &pool)
            passMark[v] = .preempted
            preempt(v)
            // A share of a device may fit after any victim; a whole-device job needs the count.
            if !fractional && !types.contains(where: { state.idleCount[$0] >= gpus }) { continue }
            if let p = validPlacement(j) { return start(j, p) ? (true, false) : (false, true) }
        }
        return (false, false)
    }

    /// The pool members to preempt for job `j`: on the feasible type that needs the fewest
    /// (ties to the type listed first), lowest priority first, until that type has enough idle
    /// devices. A job wanting a share of a device takes them one at a time on its types. Nil
    /// when no type can be freed enough.
    private func victimsToFree(for j: Int, types: [Int], pool: VictimPool) -> [Int]? {
        let fractional = state.jobs[j].isFractional
        let gpus = state.jobs[j].job.gpus
        var best: [Int]?
        for t in types where state.idleCount[t] + pool.devices[t] >= gpus || fractional {
            var idle = state.idleCount[t]
            var chosen: [Int] = []
            for v in pool.byType[t].reversed() where passMark[v] == .inPool {
                if !fractional && idle >= gpus { break }
                // Only devices it holds alone become idle when it leaves.
                let freed = state.jobs[v].devices.filter { state.residents[$0].count == 1 }.count
                guard freed > 0 else { continue }
                idle += freed
                chosen.append(v)
                if fractional { break }
            }
            let enough = fractional ? !chosen.isEmpty : idle >= gpus
            if enough && (best == nil || chosen.count < best!.count) { best = chosen }
        }
        return best
    }

    /// The placement's answer for `j` if the engine accepts it (an invalid one is counted).
    private func validPlacement(_ j: Int) -> Placement? {
        guard let p = placement.place(job: j, in: state) else { return nil }
        if state.validate(p, for: j) != nil { invalidPlacements += 1; return nil }
        return p
    }
}

/// The order a full pass visits jobs in: with cached keys, the sorted running jobs merged with
/// the waiting queue's classes (skipping classes that failed, and once no running job can give
/// way, classes that could not use the idle devices); otherwise the policy's order of all of
/// them, computed once.
struct FullPassOrder {
    private let simulator: Simulator
    private var running: [WaitingQueue.Entry] = []
    private var r = 0
    private var last: WaitingQueue.Entry?
    /// The next queued entry, while nothing that filters it changed (nil inside: none left).
    private var cached: WaitingQueue.Entry??
    private var cachedForEmptyPool = false
    private var sorted: [Int] = []
    private var s = 0

    /// `running`: the running jobs, highest priority first, under their keys.
    init(simulator: Simulator, running: [WaitingQueue.Entry]) {
        self.simulator = simulator
        if simulator.stableKeys {
            self.running = running
        } else {
            let state = simulator.state
            sorted = simulator.scheduler.order(state.running + state.queued, in: state)
        }
    }

    /// A class failed: the cached next entry may be of it.
    mutating func classFailed() { cached = nil }

    mutating func next(poolEmpty: Bool, failed: [Bool]) -> Int? {
        guard simulator.stableKeys else {
            guard s < sorted.count else { return nil }
            s += 1
            return sorted[s - 1]
        }
        if cached == nil || cachedForEmptyPool != poolEmpty {
            let sim = simulator
            cached = .some(sim.waiting.next(after: last) { c in
                !c.types.isEmpty && !(c.index < failed.count && failed[c.index]) && (!poolEmpty || sim.mayPlace(c))
            })
            cachedForEmptyPool = poolEmpty
        }
        if let q = cached!, r == running.count || q < running[r] {
            last = q
            cached = nil
            return q.job
        }
        guard r < running.count else { return nil }
        r += 1
        return running[r - 1].job
    }
}
