import ClusterKit

/// The planner of a scheduling policy that ranks jobs and a placement policy that picks their
/// devices (the split of Blox, Agarwal et al., MLSys 2023): at each pass it offers queued jobs
/// to the placement in the policy's order and starts them where placed; at each round of a
/// preemptive policy it also decides which running jobs give way (`fullPass`) and which move
/// to faster devices (`migrateToFasterTypes`).
///
/// With a keyed policy (`SchedulingPolicy.priorityKey`) it keeps the queue grouped and ordered
/// (`WaitingQueue`) and visits only the jobs of classes that could be used (admitted within
/// the capacity left, or placed on the idle devices of a feasible type), so a pass's work
/// does not grow with the queue; the decisions are those of ordering the whole queue.
public final class PriorityPlanner: Planner {
    public let scheduler: any SchedulingPolicy
    public let placement: any PlacementPolicy
    /// Queued jobs grouped and ordered for the passes.
    var waiting: WaitingQueue
    /// Scratch marks of a full pass (`fullPass`; all `.none` between passes).
    var passMark: [PassMark]
    /// Whether the scheduler orders by a per-job key (`SchedulingPolicy.priorityKey`).
    let keyed: Bool
    /// Whether queued jobs' keys are cached between passes (`hasStableWaitingKeys`).
    let stableKeys: Bool
    /// Whether queued jobs' keys follow curves kept in order kinetically (`hasKineticWaitingKeys`).
    let kineticKeys: Bool
    /// Whether the waiting queue is kept in the policy's order (stable or kinetic keys), so
    /// that passes read it in order instead of sorting it.
    var orderedQueue: Bool { stableKeys || kineticKeys }
    /// Queued jobs that want less than a whole device (they may fit where no device is idle).
    var fractionalQueued = 0
    /// Per job while it runs: its key and until when it holds (`runningKeyChanges`), kept from
    /// round to round; forgotten when the job leaves the queue (every start, including a move's
    /// restart, does), so a kept key is always of the job's current run.
    var runningKeys: [(key: Double, until: SimTime)?]

    /// What a full pass has done to a running job.
    enum PassMark { case none, inPool, preempted }

    public init(scheduler: any SchedulingPolicy, placement: any PlacementPolicy, view: PolicyView) {
        self.scheduler = scheduler
        self.placement = placement
        keyed = view.jobCount > 0 && scheduler.priorityKey(job: 0, in: view) != nil
        stableKeys = keyed && scheduler.hasStableWaitingKeys
        kineticKeys = keyed && !stableKeys && scheduler.hasKineticWaitingKeys
        waiting = WaitingQueue(jobs: view.jobCount, kinetic: kineticKeys)
        passMark = Array(repeating: .none, count: view.jobCount)
        runningKeys = Array(repeating: nil, count: keyed ? view.jobCount : 0)
    }

    public var wantsRoundsForReleasedDevices: Bool { placement.migrates }

    public func jobQueued(_ j: Int, in view: PolicyView) {
        if kineticKeys {
            let curve = scheduler.waitingKeyCurve(job: j, in: view) ?? .constant(scheduler.priorityKey(job: j, in: view) ?? 0)
            waiting.insert(j, curve: curve, view: view)
            if view.job(j).isFractional { fractionalQueued += 1 }
            return
        }
        let key = stableKeys ? scheduler.priorityKey(job: j, in: view) ?? 0 : 0
        waiting.insert(j, key: key, changesAt: stableKeys ? scheduler.waitingKeyChanges(job: j, in: view) : nil, view: view)
        if view.job(j).isFractional { fractionalQueued += 1 }
    }

    public func jobLeftQueue(_ j: Int, in view: PolicyView) {
        if keyed { runningKeys[j] = nil }
        waiting.remove(j, at: view.now)
        if view.job(j).isFractional { fractionalQueued -= 1 }
    }

    /// A full pass (preemptive policies, at each round) orders running and queued jobs
    /// together, admits them in order while device capacity lasts, preempts running jobs not
    /// admitted, places admitted queued jobs, then moves running jobs to faster types where
    /// the placement migrates. Other passes only place queued jobs, in the policy's order, on
    /// free capacity.
    public func plan(full: Bool, in view: PolicyView, sink: any DecisionSink) {
        guard view.queuedCount > 0 else {
            // Nothing waits, but a round still moves running jobs to faster types with room.
            if full && placement.migrates { migrateToFasterTypes(runningByPriority(view).entries.map(\.job), in: view, sink: sink) }
            return
        }
        var idle = view.idleCount.reduce(0, +)
        if !full && idle == 0 && !placement.colocates && fractionalQueued == 0 { return }
        if stableKeys { waiting.refresh(now: view.now) { j in (scheduler.priorityKey(job: j, in: view) ?? 0, scheduler.waitingKeyChanges(job: j, in: view)) } }
        if kineticKeys { waiting.advance(to: view.now) }
        if full { return fullPass(in: view, sink: sink) }
        if orderedQueue {
            var last: WaitingQueue.Entry?
            while let e = waiting.next(after: last, where: { self.mayPlace($0, in: view) }) {
                last = e
                guard tryStart(e.job, idle: &idle, in: view, sink: sink) else { break }
            }
            return
        }
        let queued = keyed ? waiting.jobs { self.mayPlace($0, in: view) } : view.queued
        for j in scheduler.order(queued, in: view) {
            guard tryStart(j, idle: &idle, in: view, sink: sink) else { break }
        }
    }

    /// Whether a pass on free capacity could place a job of this class now: some type its
    /// predictor allows, and a share of a device, a co-locating placement, or such a type
    /// with enough idle devices (a placement that does not co-locate puts a whole-device job
    /// only on idle devices, and only where its predictor says it fits).
    func mayPlace(_ c: WaitingQueue.JobClass, in view: PolicyView) -> Bool {
        !c.types.isEmpty && (c.milli < 1000 || placement.colocates || c.types.contains { view.idleCount(ofType: $0) >= c.gpus })
    }

    /// Offers a queued job to the placement and starts it where placed; false when the pass
    /// should stop (no idle device and nothing fractional queued).
    func tryStart(_ j: Int, idle: inout Int, in view: PolicyView, sink: any DecisionSink) -> Bool {
        if idle == 0 && !placement.colocates && !view.job(j).isFractional {
            return fractionalQueued != 0
        }
        guard let p = placement.place(job: j, in: view) else { return true }
        _ = sink.apply(.start(job: j, on: p))
        idle = view.idleCount.reduce(0, +)
        return true
    }
}
