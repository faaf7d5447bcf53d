import ClusterKit
import HeapModule

/// The future event list: a binary min-heap on (time, phase, sequence).
///
/// Entries are never removed early; a preempted job's completion stays queued and is skipped
/// when popped because its epoch is stale (cheaper than a removable heap).
public struct EventQueue: Sendable {
    private var heap = Heap<QueuedEvent>()
    private var nextSequence = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }

    public mutating func push(_ kind: EventKind, at time: SimTime) {
        heap.insert(QueuedEvent(time: time, phase: kind.phase, sequence: nextSequence, kind: kind))
        nextSequence += 1
    }

    public mutating func pop() -> QueuedEvent? { heap.popMin() }

    public func peek() -> QueuedEvent? { heap.min }
}
