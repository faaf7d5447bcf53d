import ClusterKit

/// The engine's side of a decision: check it against the rules, then apply it. Nothing here
/// chooses; a rejected decision changes nothing and is counted.
extension Simulator: DecisionSink {
    public func apply(_ decision: Decision) -> DecisionOutcome {
        switch decision {
        case .start(let j, let p):
            guard j >= 0, j < state.jobs.count, state.jobs[j].status == .queued else { return reject(.notQueued) }
            if let v = state.validate(p, for: j) { return rejectPlacement(v) }
            return startOrEnd(j, p)
        case .preempt(let j):
            if let v = runningViolation(j) { return reject(v) }
            preempt(j)
            return .applied
        case .migrate(let j, let p):
            if let v = runningViolation(j) { return reject(v) }
            if let v = state.validate(p, for: j) { return rejectPlacement(v) }
            preempt(j)
            migrations += 1
            return startOrEnd(j, p)
        }
    }

    /// Why job `j` cannot be preempted or moved now (nil: it can).
    private func runningViolation(_ j: Int) -> DecisionViolation? {
        guard j >= 0, j < state.jobs.count, state.jobs[j].status == .running else { return .notRunning }
        return isProtected(j) ? .protected : nil
    }

    private func startOrEnd(_ j: Int, _ p: Placement) -> DecisionOutcome {
        if start(j, p) { return .applied }
        ended += 1
        return .endedOutOfMemory
    }

    private func reject(_ v: DecisionViolation) -> DecisionOutcome {
        rejectedDecisions += 1
        return .rejected(v)
    }

    private func rejectPlacement(_ v: PlacementViolation) -> DecisionOutcome {
        invalidPlacements += 1
        return .rejected(.placement(v))
    }
}
