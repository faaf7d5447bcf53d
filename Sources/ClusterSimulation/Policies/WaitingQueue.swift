import ClusterKit
import HeapModule

/// A planner's index of the queued jobs, kept so that a scheduling pass touches only the jobs
/// it can use: jobs are grouped in classes (GPUs, share, feasible device types), each class
/// ordered by the scheduling policy's key (ties by job index), and a pass merges the classes
/// that could take a job now. Keys are cached while they are stable and refreshed when the
/// policy says they may change; keys that move with time (`KeyCurve`) are kept in order by
/// kinetic heaps instead (`KineticHeaps`).
///
/// A class, not a struct: a planner reads it while a pass's closures may reach the planner,
/// and a struct held by a class is then copied (every array retained) at each read.
final class WaitingQueue {
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
    /// Each class's queued jobs in order (beside `classes`, so that reading a class's
    /// description copies no entries).
    private var entries: [SortedChunks<Entry>] = []
    /// Per class: bumped at every insertion or removal, so a reader caching a class's next
    /// entry knows when it is stale (`version(of:)`).
    private var versions: [Int] = []
    private var classIndex: [ClassKey: Int] = [:]
    private var classOf: [Int]
    private var keyOf: [Double]
    private var stamp: [Int]
    private var changes = Heap<Change>()
    /// Jobs queued under cached keys (not counting a kinetic queue's).
    private var queuedCount = 0
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
    func insert(_ job: Int, key: Double, changesAt: SimTime?, view: PolicyView) {
        assignClass(job, view: view)
        enqueue(job, key: key, changesAt: changesAt)
    }

    /// Puts a job of a known class in its class's order under `key`.
    private func enqueue(_ job: Int, key: Double, changesAt: SimTime?) {
        keyOf[job] = key
        stamp[job] += 1
        entries[classOf[job]].insert(Entry(key: key, job: job))
        versions[classOf[job]] &+= 1
        queuedCount += 1
        if let changesAt { addChange(Change(time: changesAt, job: job, stamp: stamp[job])) }
    }

    /// Queues a key change; first drops the stale ones (of jobs that left the queue or were
    /// re-keyed) once they outnumber the queued jobs, so the heap stays within twice the queue
    /// (each dropped change was one insertion's: amortized O(1)). Live changes are unique per
    /// job and ordered by (time, job), so dropping stale ones changes no re-keying.
    private func addChange(_ c: Change) {
        if changes.count > 2 * queuedCount + 1024 {
            changes = Heap(changes.unordered.filter { stamp[$0.job] == $0.stamp })
        }
        changes.insert(c)
    }

    /// Adds a queued job whose key follows `curve` while it waits (a kinetic queue).
    func insert(_ job: Int, curve: KeyCurve, view: PolicyView) {
        assignClass(job, view: view)
        kinetic.insert(job, class: classOf[job], key: curve, at: view.now)
        versions[classOf[job]] &+= 1
    }

    private func assignClass(_ job: Int, view: PolicyView) {
        if classOf[job] < 0 {
            let j = view.job(job)
            let k = ClassKey(gpus: j.gpus, milli: j.gpuMilli, types: view.placeableTypes(job: job))
            if let c = classIndex[k] {
                classOf[job] = c
            } else {
                classIndex[k] = classes.count
                classOf[job] = classes.count
                classes.append(JobClass(index: classes.count, gpus: k.gpus, milli: k.milli, types: k.types))
                entries.append(SortedChunks())
                versions.append(0)
                if isKinetic { kinetic.addClass() }
            }
        }
    }

    /// The class of a job that has been queued.
    func classIndex(of job: Int) -> Int { classOf[job] }

    func remove(_ job: Int, at now: SimTime) {
        versions[classOf[job]] &+= 1
        if isKinetic { return kinetic.remove(job, at: now) }
        stamp[job] += 1
        queuedCount -= 1
        entries[classOf[job]].remove(Entry(key: keyOf[job], job: job))
    }

    /// Re-keys the jobs whose keys may have changed by `now` (`rekey` gives the new key and
    /// when it may change next).
    func refresh(now: SimTime, rekey: (Int) -> (Double, SimTime?)) {
        while let c = changes.min, c.time <= now {
            changes.removeMin()
            guard stamp[c.job] == c.stamp else { continue }
            remove(c.job, at: now)
            let (key, next) = rekey(c.job)
            enqueue(c.job, key: key, changesAt: next)
        }
    }

    /// Whether `x` goes first: by key and job index, or in a kinetic queue by the exact order
    /// of the queued jobs' curves now.
    func before(_ x: Entry, _ y: Entry) -> Bool { isKinetic ? kinetic.precedesNow(x.job, y.job) : x < y }

    /// A queued job's key curve (kinetic queues).
    func curve(of job: Int) -> KeyCurve { kinetic.curve(of: job) }

    /// Brings a kinetic queue's order to `now` (the keys read by `next` are those at `now`).
    func advance(to now: SimTime) { if isKinetic { kinetic.advance(to: now) } }

    /// Whether a kinetic queue is in order at the time it was last advanced to.
    var isInOrder: Bool { kinetic.isInOrder() }

    private func isEmpty(_ i: Int) -> Bool { isKinetic ? kinetic.isEmpty(i) : entries[i].isEmpty }

    /// The first entry after `last` (from the start when nil) among classes `use` accepts.
    func next(after last: Entry?, where use: (JobClass) -> Bool) -> Entry? {
        least(where: use) { first(of: $0, after: last) }
    }

    /// Each class's first entry after a reader's `last` as last found, under the class's version
    /// then (`next(after:where:keeping:)`).
    struct Heads {
        fileprivate var kept: [(version: Int, entry: Entry?)] = []
    }

    /// As `next(after:where:)`, for a reader whose `last` only moves forward (a full pass):
    /// each class's first entry after `last` is kept in `heads` while the class has not changed
    /// and the entry still follows `last`, so a call costs a comparison per class rather than
    /// a search in each.
    func next(after last: Entry?, where use: (JobClass) -> Bool, keeping heads: inout Heads) -> Entry? {
        if heads.kept.count < classes.count {
            heads.kept += Array(repeating: (version: -1, entry: nil), count: classes.count - heads.kept.count)
        }
        return least(where: use) { i in
            let kept = heads.kept[i]
            if kept.version != versions[i] || (last != nil && kept.entry != nil && !before(last!, kept.entry!)) {
                heads.kept[i] = (version: versions[i], entry: first(of: i, after: last))
            }
            return heads.kept[i].entry
        }
    }

    /// The least of the non-empty accepted classes' `head`s.
    private func least(where use: (JobClass) -> Bool, head: (Int) -> Entry?) -> Entry? {
        var best: Entry?
        // By index: iterating the classes by value would copy (and retain) each one.
        for i in classes.indices {
            if isEmpty(i) || !use(classes[i]) { continue }
            guard let e = head(i) else { continue }
            if best == nil || before(e, best!) { best = e }
        }
        return best
    }

    /// Class `i`'s first entry after `last` (from the start when nil).
    private func first(of i: Int, after last: Entry?) -> Entry? {
        if isKinetic { return last == nil ? kinetic.first(of: i) : kinetic.first(of: i, after: last!) }
        return last == nil ? entries[i].first : entries[i].first(after: last!)
    }

    /// Every queued job of the classes `use` accepts, class by class (a queue kept in order
    /// only by a policy's keys; a kinetic queue is read with `next`).
    func jobs(where use: (JobClass) -> Bool) -> [Int] {
        assert(!isKinetic, "a kinetic queue's classes hold no entries")
        return classes.filter(use).flatMap { entries[$0.index].elements.map(\.job) }
    }
}
