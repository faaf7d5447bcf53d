import ClusterKit

/// What a policy decides; the engine validates each decision against its rules and applies it
/// (`DecisionSink`). The engine never decides for a policy: which job starts where, which
/// running job gives way and which moves are the policy's (its `Planner`).
public enum Decision: Sendable, Hashable {
    /// Start a queued job on these devices; `Placement.colocate` asks to share them with the
    /// jobs already there (space sharing).
    case start(job: Int, on: Placement)
    /// Stop a running job; it goes back to the queue and pays the restore when it next starts.
    case preempt(job: Int)
    /// Move a running job to these devices (which must have room now): a preemption and a
    /// start in one, paying the restore.
    case migrate(job: Int, to: Placement)
}

/// What became of a decision.
public enum DecisionOutcome: Sendable, Equatable {
    /// Applied; a started or moved job runs.
    case applied
    /// Applied, and the job ended out of memory on its devices (its measured memory did not
    /// fit beside what was there: the cost of a wrong prediction).
    case endedOutOfMemory
    /// Not applied: the engine's rules forbid it.
    case rejected(DecisionViolation)

    /// Whether the decision was applied.
    public var isApplied: Bool { !isRejected }
    public var isRejected: Bool { if case .rejected = self { true } else { false } }
}

/// Why the engine rejected a decision. A valid policy never makes one; the contract tests check.
public enum DecisionViolation: Error, Sendable, Equatable {
    /// The placement breaks a rule (`ClusterState.validate`).
    case placement(PlacementViolation)
    /// `start` of a job that is not queued.
    case notQueued
    /// `preempt` or `migrate` of a job that is not running.
    case notRunning
    /// `preempt` or `migrate` of a job still protected after a restore (`PolicyView.isProtected`).
    case protected
}

/// Where a policy's decisions go: the engine, which validates and applies each at once, so the
/// policy's view shows its effect before the next decision.
public protocol DecisionSink: AnyObject {
    func apply(_ decision: Decision) -> DecisionOutcome
}
