import ClusterKit

extension PriorityPlanner {
    /// With an ordered queue: reading it in order gives the queued jobs sorted by the policy's
    /// keys now, as `order` would.
    public func checkInvariants(in view: PolicyView) {
        if keyed {
            for j in view.running {
                guard let cached = runningKeys[j], view.now < cached.until else { continue }
                precondition(cached.key == scheduler.priorityKey(job: j, in: view), "running job \(j) kept under a stale key at \(view.now)")
            }
        }
        guard orderedQueue else { return }
        if stableKeys { waiting.refresh(now: view.now) { j in (scheduler.priorityKey(job: j, in: view) ?? 0, scheduler.waitingKeyChanges(job: j, in: view)) } }
        if kineticKeys { waiting.advance(to: view.now) }
        precondition(waiting.isInOrder, "kinetic waiting queue out of heap order")
        var read: [Int] = []
        var last: WaitingQueue.Entry?
        while let e = waiting.next(after: last, where: { !$0.types.isEmpty }) {
            precondition(e.key == scheduler.priorityKey(job: e.job, in: view), "queued job \(e.job) read under a stale key")
            read.append(e.job)
            last = e
        }
        let queued = view.queued.filter { !view.placeableTypes(job: $0).isEmpty }
        let expected = scheduler.order(queued, in: view)
        if read != expected {
            let i = Array(zip(read, expected)).firstIndex { $0.0 != $0.1 } ?? min(read.count, expected.count)
            let show = { (j: Int) in "\(j):\(self.scheduler.priorityKey(job: j, in: view)!) status \(view.job(j).status)" }
            preconditionFailure("waiting queue out of \(scheduler.name)'s order at \(view.now) position \(i) of \(read.count)/\(expected.count): read \(read.dropFirst(i).prefix(3).map(show)) expected \(expected.dropFirst(i).prefix(3).map(show))")
        }
    }
}
