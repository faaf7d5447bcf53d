import ClusterKit

/// What can happen in a simulation. A closed set: the engine switches over it exhaustively.
public enum EventKind: Sendable, Hashable {
    /// A running job finishes its work, unless its epoch is stale (it was preempted or its
    /// rate changed since this event was queued).
    case completion(job: Int, epoch: Int)
    case nodeFailure(node: Int)
    case nodeRecovery(node: Int)
    case arrival(job: Int)
    /// A periodic scheduling round of a preemptive policy.
    case round
    /// The scheduling pass: always last at its instant, so a policy sees every change of it.
    case schedule

    /// Order of events at one instant: completions first, then failures and recoveries, then
    /// arrivals, then rounds, then the scheduling pass.
    public var phase: Int {
        switch self {
        case .completion: 0
        case .nodeFailure, .nodeRecovery: 1
        case .arrival: 2
        case .round: 3
        case .schedule: 4
        }
    }
}

/// An event in the queue, ordered by the key (time, phase, sequence): the sequence number (the
/// order events were queued in) breaks every remaining tie, so runs are deterministic.
public struct QueuedEvent: Comparable, Sendable {
    public var time: SimTime
    public var phase: Int
    public var sequence: Int
    public var kind: EventKind

    public static func < (a: QueuedEvent, b: QueuedEvent) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.phase != b.phase { return a.phase < b.phase }
        return a.sequence < b.sequence
    }

    public static func == (a: QueuedEvent, b: QueuedEvent) -> Bool {
        a.time == b.time && a.phase == b.phase && a.sequence == b.sequence
    }
}
