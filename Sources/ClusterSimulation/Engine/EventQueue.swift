import ClusterKit
import HeapModule

/// The future event list: a binary min-heap on (time, phase, sequence), beside a sorted stream
/// of the trace's arrivals.
///
/// Entries are never removed early; a preempted job's completion stays queued and is skipped
/// when popped because its epoch is stale (cheaper than a removable heap). Arrivals known
/// before the run (``schedule(arrivals:)``) wait in an array sorted once, not in the heap, so
/// the heap holds only what the run itself creates (completions, rounds, passes), a few
/// thousand entries rather than the whole trace; the two are merged on the same key, so the
/// order is the one a single heap would give.
public struct EventQueue: Sendable {
    private var heap = Heap<QueuedEvent>()
    /// Arrivals scheduled up front, ascending; `nextArrival` is the first not yet popped.
    private var arrivals: [QueuedEvent] = []
    private var nextArrival = 0
    private var nextSequence = 0

    public init() {}

    public var count: Int { heap.count + arrivals.count - nextArrival }
    public var isEmpty: Bool { count == 0 }

    public mutating func push(_ kind: EventKind, at time: SimTime) {
        heap.insert(QueuedEvent(time: time, phase: kind.phase, sequence: nextSequence, kind: kind))
        nextSequence += 1
    }

    /// Queues the arrival of each `(job, time)`, in the order given (as that many `push`es
    /// would: the same sequence numbers, so the same order at one instant).
    public mutating func schedule(arrivals list: [(job: Int, at: SimTime)]) {
        let added = list.map { a -> QueuedEvent in
            defer { nextSequence += 1 }
            return QueuedEvent(time: a.at, phase: EventKind.arrival(job: a.job).phase, sequence: nextSequence, kind: .arrival(job: a.job))
        }
        arrivals = (arrivals[nextArrival...] + added).sorted()
        nextArrival = 0
    }

    /// Whether the next event is the next scheduled arrival rather than the heap's minimum.
    private var arrivalFirst: Bool {
        guard nextArrival < arrivals.count else { return false }
        guard let m = heap.min else { return true }
        return arrivals[nextArrival] < m
    }

    public mutating func pop() -> QueuedEvent? {
        if arrivalFirst {
            nextArrival += 1
            return arrivals[nextArrival - 1]
        }
        return heap.popMin()
    }

    public func peek() -> QueuedEvent? { arrivalFirst ? arrivals[nextArrival] : heap.min }
}
