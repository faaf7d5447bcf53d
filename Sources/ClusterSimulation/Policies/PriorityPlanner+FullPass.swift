import ClusterKit

/// A full pass (preemptive policies, at each round): the policy's order decides which jobs
/// run, and running jobs give way only to jobs that then start.
extension PriorityPlanner {
    /// Running jobs that may still give way in the current full pass: those of lower priority
    /// than every job visited so far, and not protected (`PolicyView.isProtected`).
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
    func fullPass(in view: PolicyView, sink: any DecisionSink) {
        let ranked = runningByPriority(view)
        let running = ranked.entries.map(\.job)
        var pool = victimPool(running, in: view)
        defer { for j in running { passMark[j] = .none } }
        var failed = Array(repeating: false, count: waiting.classes.count)
        let canUseIdleOnly = placement.colocates || fractionalQueued > 0
        var visit = FullPassOrder(planner: self, view: view, running: ranked)
        while let j = visit.next(poolEmpty: pool.isEmpty, failed: failed) {
            // A job preempted in this pass gave way to a higher one; it waits for the next.
            if passMark[j] == .preempted { continue }
            let status = view.job(j).status
            if status == .running {
                leavePool(j, &pool, in: view)
                continue
            }
            guard status == .queued else { continue }
            let c = waiting.classIndex(of: j)
            if c < failed.count && failed[c] { continue }
            let outcome = startPreempting(j, pool: &pool, in: view, sink: sink)
            if outcome == nil {
                if c >= failed.count { failed += Array(repeating: false, count: c + 1 - failed.count) }
                failed[c] = true
                visit.classFailed()
            }
            if pool.isEmpty && !canUseIdleOnly && view.idleCount.allSatisfy({ $0 == 0 }) { break }
        }
        if placement.migrates { migrateToFasterTypes(running, in: view, sink: sink) }
    }

    private func victimPool(_ running: [Int], in view: PolicyView) -> VictimPool {
        var pool = VictimPool(byType: Array(repeating: [], count: view.deviceTypes.count),
                              devices: Array(repeating: 0, count: view.deviceTypes.count))
        for j in running where !view.isProtected(job: j) {
            let t = view.job(j).deviceType
            pool.byType[t].append(j)
            pool.devices[t] += view.job(j).deviceCount
            passMark[j] = .inPool
        }
        return pool
    }

    /// Running jobs, highest priority first, under their keys (with a keyed policy; else their
    /// place in the policy's order), computed once per pass; with kinetic keys also their curves,
    /// in the same order (else empty).
    func runningByPriority(_ view: PolicyView) -> (entries: [WaitingQueue.Entry], curves: [KeyCurve]) {
        if kineticKeys {
            // Ranked exactly as the queue is, by their curves now (`KeyCurve.compare`).
            let now = view.now
            let ranked = KeyCurve.sortedExactly(view.running.map { j in
                (job: j, curve: scheduler.waitingKeyCurve(job: j, in: view) ?? .constant(scheduler.priorityKey(job: j, in: view) ?? 0))
            }, at: now)
            return (ranked.map { WaitingQueue.Entry(key: $0.curve.value(at: now), job: $0.job) }, ranked.map(\.curve))
        }
        if keyed {
            return (view.running.map { WaitingQueue.Entry(key: runningKey(of: $0, in: view), job: $0) }.sorted(), [])
        }
        return (scheduler.order(view.running, in: view).enumerated().map { WaitingQueue.Entry(key: Double($0.offset), job: $0.element) }, [])
    }

    /// A running job's key now: kept from an earlier round while it holds
    /// (`SchedulingPolicy.runningKeyChanges`), else asked of the policy.
    func runningKey(of j: Int, in view: PolicyView) -> Double {
        if let cached = runningKeys[j], view.now < cached.until { return cached.key }
        let key = scheduler.priorityKey(job: j, in: view) ?? 0
        if let until = scheduler.runningKeyChanges(job: j, in: view), view.now < until { runningKeys[j] = (key, until) }
        return key
    }

    private func leavePool(_ j: Int, _ pool: inout VictimPool, in view: PolicyView) {
        guard passMark[j] == .inPool else { return }
        passMark[j] = .none
        pool.devices[view.job(j).deviceType] -= view.job(j).deviceCount
    }

    /// Starts queued job `j` where the placement puts it now, else preempts the fewest
    /// lowest-priority pool members on one feasible type that make room for it and places it
    /// then. Preempts nothing when no single type could hold it even with its whole pool gone.
    /// Returns what became of the start (nil: it could not be placed).
    private func startPreempting(_ j: Int, pool: inout VictimPool, in view: PolicyView, sink: any DecisionSink) -> DecisionOutcome? {
        if let outcome = startIfPlaced(j, in: view, sink: sink) { return outcome }
        let fractional = view.job(j).isFractional
        let gpus = view.job(j).gpus
        let types = view.placeableTypes(job: j)
        guard let victims = victimsToFree(for: j, types: types, pool: pool, in: view) else { return nil }
        for v in victims {
            leavePool(v, &pool, in: view)
            passMark[v] = .preempted
            _ = sink.apply(.preempt(job: v))
            // A share of a device may fit after any victim; a whole-device job needs the count.
            if !fractional && !types.contains(where: { view.idleCount(ofType: $0) >= gpus }) { continue }
            if let outcome = startIfPlaced(j, in: view, sink: sink) { return outcome }
        }
        return nil
    }

    /// Starts `j` where the placement puts it now; nil when it places it nowhere or the engine
    /// rejects the placement.
    private func startIfPlaced(_ j: Int, in view: PolicyView, sink: any DecisionSink) -> DecisionOutcome? {
        guard let p = placement.place(job: j, in: view) else { return nil }
        let outcome = sink.apply(.start(job: j, on: p))
        return outcome.isApplied ? outcome : nil
    }

    /// The pool members to preempt for job `j`: on the feasible type that needs the fewest
    /// (ties to the type listed first), lowest priority first, until that type has enough idle
    /// devices. A job wanting a share of a device takes them one at a time on its types. Nil
    /// when no type can be freed enough.
    private func victimsToFree(for j: Int, types: [Int], pool: VictimPool, in view: PolicyView) -> [Int]? {
        let fractional = view.job(j).isFractional
        let gpus = view.job(j).gpus
        var best: [Int]?
        for t in types where view.idleCount(ofType: t) + pool.devices[t] >= gpus || fractional {
            var idle = view.idleCount(ofType: t)
            var chosen: [Int] = []
            for v in pool.byType[t].reversed() where passMark[v] == .inPool {
                if !fractional && idle >= gpus { break }
                // Only devices it holds alone become idle when it leaves.
                var freed = 0
                for d in view.job(v).devices where view.residents(ofDevice: d).count == 1 { freed += 1 }
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
}

/// The order a full pass visits jobs in: with cached keys, the sorted running jobs merged with
/// the waiting queue's classes (skipping classes that failed, and once no running job can give
/// way, classes that could not use the idle devices); otherwise the policy's order of all of
/// them, computed once.
struct FullPassOrder {
    private let planner: PriorityPlanner
    private let view: PolicyView
    private var running: [WaitingQueue.Entry] = []
    /// With kinetic keys: the running jobs' curves, in `running`'s order.
    private var runningCurves: [KeyCurve] = []
    /// The cached queued entry's curve (kinetic keys).
    private var cachedCurve: KeyCurve?
    private var r = 0
    private var last: WaitingQueue.Entry?
    /// The next queued entry, while nothing that filters it changed (nil inside: none left).
    private var cached: WaitingQueue.Entry??
    private var cachedForEmptyPool = false
    /// The waiting queue's classes' next entries, kept from one visit to the next.
    private var heads = WaitingQueue.Heads()
    private var sorted: [Int] = []
    private var s = 0

    /// `running`: the running jobs, highest priority first, under their keys, and with kinetic
    /// keys their curves (`runningByPriority`).
    init(planner: PriorityPlanner, view: PolicyView, running: (entries: [WaitingQueue.Entry], curves: [KeyCurve])) {
        self.planner = planner
        self.view = view
        if planner.orderedQueue {
            self.running = running.entries
            runningCurves = running.curves
        } else {
            sorted = planner.scheduler.order(view.running + view.queued, in: view)
        }
    }

    /// Whether queued entry `q` goes before the `r`th running job: by key, or with kinetic keys
    /// by the exact order of their curves (`KeyCurve.compare`).
    private func goesFirst(_ q: WaitingQueue.Entry, before r: Int) -> Bool {
        guard let curve = cachedCurve, planner.kineticKeys else { return q < running[r] }
        return KeyCurve.precedes(curve, job: q.job, runningCurves[r], job: running[r].job, at: view.now)
    }

    /// A class failed: the cached next entry may be of it.
    mutating func classFailed() { cached = nil }

    mutating func next(poolEmpty: Bool, failed: [Bool]) -> Int? {
        guard planner.orderedQueue else {
            guard s < sorted.count else { return nil }
            s += 1
            return sorted[s - 1]
        }
        if cached == nil || cachedForEmptyPool != poolEmpty {
            let (planner, view) = (planner, view)
            let usable = { (c: WaitingQueue.JobClass) in
                !c.types.isEmpty && !(c.index < failed.count && failed[c.index]) && (!poolEmpty || planner.mayPlace(c, in: view))
            }
            cached = .some(planner.waiting.next(after: last, where: usable, keeping: &heads))
            assert(cached! == planner.waiting.next(after: last, where: usable), "a class's kept next entry is stale")
            cachedForEmptyPool = poolEmpty
            if planner.kineticKeys, let q = cached! { cachedCurve = planner.waiting.curve(of: q.job) }
        }
        if let q = cached!, r == running.count || goesFirst(q, before: r) {
            last = q
            cached = nil
            return q.job
        }
        guard r < running.count else { return nil }
        r += 1
        return running[r - 1].job
    }
}
