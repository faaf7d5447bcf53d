import ClusterKit
import HeapModule

/// A planner's index of the queued jobs, kept so that a scheduling pass touches only the jobs
/// it can use: jobs are grouped in classes (GPUs, share, feasible device types), each class
/// ordered by the scheduling policy's key (ties by job index), and a pass merges the classes
/// that could take a job now. Keys are cached while they are stable and refreshed when the
/// policy says they may change; keys that move with time (`KeyCurve`) are kept in order by
/// kinetic heaps instead (`KineticHeaps`).
struct WaitingQueue {
    /// A queued job under its key; orders as `PolicyView.ordered` does.
    struct Entry: Comparable {
        var key: Double
        var job: Int
        static func < (a: Entry, b: Entry) -> Bool { a.key != b.key ? a.key < b.key : a.job < b.job }
        static func == (a: Entry, b: Entry) -> Bool { a.job == b.job && !(a < b) && !(b < a) }
    }

    /// Queued jobs that ask for the same devices, on the same types their predictor allows
    /// (`PolicyView.placeableTypes`: none for a job it says fits nowhere, which no pass visits).
    struct JobClass {
        /// Its position in `classes`.
        let index: Int
        let gpus: Int
        let milli: Int
        let types: [Int]
        var entries = SortedChunks<Entry>()
        /// Thousandths of a device the class's jobs need in all.
        var need: Int { gpus * milli }
    }

    private struct ClassKey: Hashable { var gpus: Int, milli: Int, types: [Int] }

    /// A queued job's key may change at `time`; stale when `stamp` is no longer the job's.
    private struct Change: Comparable {
        var time: SimTime
        var job: Int
        var stamp: Int
        static func < (a: Change, b: Change) -> Bool { (a.time, a.job) < (b.time, b.job) }
    }

    private(set) var classes: [JobClass] = []
    private var classIndex: [ClassKey: Int] = [:]
    private var classOf: [Int]
    private var keyOf: [Double]
    private var stamp: [Int]
    private var changes = Heap<Change>()
    /// With keys that move with time (`isKinetic`): the classes' kinetic heaps (the classes'
    /// `entries` then stay empty). Not optional, so that it is mutated in place, never copied.
    private var kinetic: KineticHeaps
    let isKinetic: Bool

    init(jobs: Int, kinetic: Bool = false) {
        classOf = Array(repeating: -1, count: jobs)
        keyOf = Array(repeating: 0, count: jobs)
        stamp = Array(repeating: 0, count: jobs)
        isKinetic = kinetic
        self.kinetic = KineticHeaps(jobs: kinetic ? jobs : 0)
    }

    /// Adds a queued job under `key`, to be re-keyed at `changesAt` if given.
    mutating func insert(_ job: Int, key: Double, changesAt: SimTime?, view: PolicyView) {
        assignClass(job, view: view)
        keyOf[job] = key
        stamp[job] += 1
        classes[classOf[job]].entries.insert(Entry(key: key, job: job))
        if let changesAt { changes.insert(Change(time: changesAt, job: job, stamp: stamp[job])) }
    }

    /// Adds a queued job whose key follows `curve` while it waits (a kinetic queue).
    mutating func insert(_ job: Int, curve: KeyCurve, view: PolicyView) {
        assignClass(job, view: view)
        kinetic.insert(job, class: classOf[job], key: curve, at: view.now)
    }

    private mutating func assignClass(_ job: Int, view: PolicyView) {
        if classOf[job] < 0 {
            let j = view.job(job)
            let k = ClassKey(gpus: j.gpus, milli: j.gpuMilli, types: view.placeableTypes(job: job))
            if let c = classIndex[k] {
                classOf[job] = c
            } else {
                classIndex[k] = classes.count
                classOf[job] = classes.count
                classes.append(JobClass(index: classes.count, gpus: k.gpus, milli: k.milli, types: k.types))
                if isKinetic { kinetic.addClass() }
            }
        }
    }

    /// The class of a job that has been queued.
    func classIndex(of job: Int) -> Int { classOf[job] }

    mutating func remove(_ job: Int, at now: SimTime) {
        if isKinetic { return kinetic.remove(job, at: now) }
        stamp[job] += 1
        classes[classOf[job]].entries.remove(Entry(key: keyOf[job], job: job))
    }

    /// Re-keys the jobs whose keys may have changed by `now` (`rekey` gives the new key and
    /// when it may change next).
    mutating func refresh(now: SimTime, rekey: (Int) -> (Double, SimTime?)) {
        while let c = changes.min, c.time <= now {
            changes.removeMin()
            guard stamp[c.job] == c.stamp else { continue }
            remove(c.job, at: now)
            let (key, next) = rekey(c.job)
            classes[classOf[c.job]].entries.insert(Entry(key: key, job: c.job))
            keyOf[c.job] = key
            if let next { changes.insert(Change(time: next, job: c.job, stamp: stamp[c.job])) }
        }
    }

    /// Whether `x` goes first: by key and job index, or in a kinetic queue by the exact order
    /// of the queued jobs' curves now.
    func before(_ x: Entry, _ y: Entry) -> Bool { isKinetic ? kinetic.precedesNow(x.job, y.job) : x < y }

    /// A queued job's key curve (kinetic queues).
    func curve(of job: Int) -> KeyCurve { kinetic.curve(of: job) }

    /// Brings a kinetic queue's order to `now` (the keys read by `next` are those at `now`).
    mutating func advance(to now: SimTime) { if isKinetic { kinetic.advance(to: now) } }

    /// Whether a kinetic queue is in order at the time it was last advanced to.
    var isInOrder: Bool { kinetic.isInOrder() }

    private func isEmpty(_ i: Int) -> Bool { isKinetic ? kinetic.isEmpty(i) : classes[i].entries.isEmpty }

    /// The first entry after `last` (from the start when nil) among classes `use` accepts.
    func next(after last: Entry?, where use: (JobClass) -> Bool) -> Entry? {
        var best: Entry?
        // By index: iterating the classes by value would copy (and retain) each one.
        for i in classes.indices {
            if isEmpty(i) || !use(classes[i]) { continue }
            let candidate: Entry?
            if isKinetic {
                candidate = last == nil ? kinetic.first(of: i) : kinetic.first(of: i, after: last!)
            } else {
                candidate = last == nil ? classes[i].entries.first : classes[i].entries.first(after: last!)
            }
            guard let e = candidate else { continue }
            if best == nil || before(e, best!) { best = e }
        }
        return best
    }

    /// Every queued job of the classes `use` accepts, class by class (a queue kept in order
    /// only by a policy's keys; a kinetic queue is read with `next`).
    func jobs(where use: (JobClass) -> Bool) -> [Int] {
        assert(!isKinetic, "a kinetic queue's classes hold no entries")
        return classes.filter(use).flatMap { $0.entries.elements.map(\.job) }
    }
}
