import ClusterKit

/// The scheduling pass: which queued jobs start (and, at rounds, which running jobs give way:
/// `Simulator+Admission.swift`), restore protection, and ending jobs no policy will place.
extension Simulator {
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
    func schedulePass(full: Bool) -> Int {
        guard !state.queuedSet.isEmpty else {
            // Nothing waits, but a round still moves running jobs to faster types with room.
            return full && placement.migrates ? migrateToFasterTypes(runningByPriority().map(\.job)) : 0
        }
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
    var protectsRestoredRuns: Bool {
        config.checkpointRestoreSeconds > 0 && config.checkpointRestoreSeconds >= config.roundSeconds
    }

    /// When a running job may be preempted again: with `protectsRestoredRuns`, a job that
    /// restored a checkpoint for this run first restores and then runs for one round (so every
    /// preemption follows progress); otherwise now.
    func preemptibleFrom(_ j: Int) -> SimTime {
        guard protectsRestoredRuns, state.jobs[j].preemptions > 0 else { return .zero }
        return state.jobs[j].runStart + SimTime(seconds: config.checkpointRestoreSeconds + max(config.roundSeconds, 0))
    }

    func isProtected(_ j: Int) -> Bool { state.now < preemptibleFrom(j) }

    /// The earliest time a round could preempt a running job: the next round waits for it
    /// when every running job is protected (no event then, however long restores take).
    func nextPreemptible() -> SimTime {
        guard protectsRestoredRuns, !state.running.isEmpty else { return .zero }
        return state.running.map(preemptibleFrom).min()!
    }

    /// Whether a non-full pass could place a job of this class now: some type its predictor
    /// allows, and a share of a device, a co-locating placement, or such a type with enough
    /// idle devices (a placement that does not co-locate puts a whole-device job only on idle
    /// devices, and only where its predictor says it fits: `validate`).
    func mayPlace(_ c: WaitingQueue.JobClass) -> Bool {
        !c.types.isEmpty && (c.milli < 1000 || placement.colocates || c.types.contains { state.idleCount[$0] >= c.gpus })
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
    func refuseIfStuck() -> Int {
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
}
