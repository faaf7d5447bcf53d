import ClusterKit
import HeapModule

/// A planner's index of the queued jobs, kept so that a scheduling pass touches only the jobs
/// it can use: jobs are grouped in classes (GPUs, share, feasible device types), each class
/// ordered by the scheduling policy's key (ties by job index), and a pass merges the classes
/// that could take a job now. Keys are cached while they are stable and refreshed when the
/// policy says they may change.
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

    init(jobs: Int) {
        classOf = Array(repeating: -1, count: jobs)
        keyOf = Array(repeating: 0, count: jobs)
        stamp = Array(repeating: 0, count: jobs)
    }

    /// Adds a queued job under `key`, to be re-keyed at `changesAt` if given.
    mutating func insert(_ job: Int, key: Double, changesAt: SimTime?, view: PolicyView) {
        if classOf[job] < 0 {
            let j = view.job(job)
            let k = ClassKey(gpus: j.gpus, milli: j.gpuMilli, types: view.placeableTypes(job: job))
            if let c = classIndex[k] {
                classOf[job] = c
            } else {
                classIndex[k] = classes.count
                classOf[job] = classes.count
                classes.append(JobClass(index: classes.count, gpus: k.gpus, milli: k.milli, types: k.types))
            }
        }
        keyOf[job] = key
        stamp[job] += 1
        classes[classOf[job]].entries.insert(Entry(key: key, job: job))
        if let changesAt { changes.insert(Change(time: changesAt, job: job, stamp: stamp[job])) }
    }

    /// The class of a job that has been queued.
    func classIndex(of job: Int) -> Int { classOf[job] }

    mutating func remove(_ job: Int) {
        stamp[job] += 1
        classes[classOf[job]].entries.remove(Entry(key: keyOf[job], job: job))
    }

    /// Re-keys the jobs whose keys may have changed by `now` (`rekey` gives the new key and
    /// when it may change next).
    mutating func refresh(now: SimTime, rekey: (Int) -> (Double, SimTime?)) {
        while let c = changes.min, c.time <= now {
            changes.removeMin()
            guard stamp[c.job] == c.stamp else { continue }
            remove(c.job)
            let (key, next) = rekey(c.job)
            classes[classOf[c.job]].entries.insert(Entry(key: key, job: c.job))
            keyOf[c.job] = key
            if let next { changes.insert(Change(time: next, job: c.job, stamp: stamp[c.job])) }
        }
    }

    /// The first entry after `last` (from the start when nil) among classes `use` accepts.
    func next(after last: Entry?, where use: (JobClass) -> Bool) -> Entry? {
        var best: Entry?
        // By index: iterating the classes by value would copy (and retain) each one.
        for i in classes.indices {
            if classes[i].entries.isEmpty || !use(classes[i]) { continue }
            let candidate = last == nil ? classes[i].entries.first : classes[i].entries.first(after: last!)
            guard let e = candidate else { continue }
            if best == nil || e < best! { best = e }
        }
        return best
    }

    /// Every queued job of the classes `use` accepts, class by class.
    func jobs(where use: (JobClass) -> Bool) -> [Int] {
        classes.filter(use).flatMap { $0.entries.elements.map(\.job) }
    }
}
