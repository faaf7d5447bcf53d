import ClusterKit

/// Min-heaps of queued jobs whose keys move with time (`KeyCurve`), one per class, kept in
/// heap order as time advances: a kinetic heap (Basch, Guibas & Hershberger, "Data Structures
/// for Mobile Data", SODA 1997). Each parent–child pair is a certificate that the parent's
/// entry (key now, then job index) precedes the child's; the first microsecond at which it
/// fails is queued, and advancing time swaps the pairs whose certificates fail, in time order.
/// A pass reads a class's entries in order from its root (best first over the heap), so
/// neither a pass nor an event sorts the queue: inserting, removing and each certificate
/// failure cost O(log n), and n lines with no insertion swap Θ(n log n) times in all (da Fonseca
/// and de Figueiredo, "Kinetic heap-ordered trees", IPL 2003). Jobs whose
/// keys do not move (`KeyCurve.isConstant`, e.g. finish-time fairness's jobs with no predicted
/// time) wait in a sorted list beside the heap instead, which never swaps.
struct KineticHeaps {
    private var heaps: [[Int]] = []
    /// Per class: the queued jobs whose keys do not move, sorted.
    private var fixed: [SortedChunks<WaitingQueue.Entry>] = []
    /// A job's index in its class's heap; −1 while it is not queued, −2 while it is in `fixed`.
    private var slot: [Int]
    /// A queued job's class.
    private var classOf: [Int]
    private var curve: [KeyCurve]
    /// When each queued job's certificate with its parent fails.
    private var failures: CertificateQueue
    /// Scratch: heap indices whose entries moved in the current operation.
    private var touched: [Int] = []
    /// The time the heaps are in order at (queries read keys at this time).
    private(set) var now = SimTime(microseconds: .min)
    /// Certificates failed and swapped so far (a measure of the kinetic work).
    private(set) var swaps = 0

    init(jobs: Int) {
        slot = Array(repeating: -1, count: jobs)
        classOf = Array(repeating: -1, count: jobs)
        curve = Array(repeating: .constant(0), count: jobs)
        failures = CertificateQueue(jobs: jobs)
    }

    mutating func addClass() {
        heaps.append([])
        fixed.append(SortedChunks())
    }

    func isEmpty(_ c: Int) -> Bool { heaps[c].isEmpty && fixed[c].isEmpty }

    /// A queued job under its key at `now`.
    func entry(_ job: Int) -> WaitingQueue.Entry { WaitingQueue.Entry(key: curve[job].value(at: now), job: job) }

    /// Whether `x` goes before `y` at `t`: smaller key (compared exactly,
    /// `KeyCurve.compare`), ties to the lower job index.
    private func precedes(_ x: Int, _ y: Int, at t: SimTime) -> Bool {
        Keyed(job: x, curve: curve[x]).precedes(Keyed(job: y, curve: curve[y]), at: t)
    }

    /// Whether queued job `x` goes before queued job `y` now.
    func precedesNow(_ x: Int, _ y: Int) -> Bool { precedes(x, y, at: now) }

    /// A queued job's key curve.
    func curve(of job: Int) -> KeyCurve { curve[job] }

    /// Queues `job` in class `c` under `key`, at `t` (not before the last time given).
    mutating func insert(_ job: Int, class c: Int, key: KeyCurve, at t: SimTime) {
        advance(to: t)
        precondition(slot[job] == -1, "KineticHeaps: job \(job) queued twice")
        curve[job] = key
        classOf[job] = c
        if key.isConstant {
            slot[job] = -2
            fixed[c].insert(entry(job))
            return
        }
        slot[job] = heaps[c].count
        heaps[c].append(job)
        let leaf = heaps[c].count - 1
        touched.append(leaf)
        siftUp(c, leaf)
        renewTouched(in: c)
    }

    /// Removes a queued job, at `t`.
    mutating func remove(_ job: Int, at t: SimTime) {
        advance(to: t)
        let i = slot[job]
        let c = classOf[job]
        if i == -2 {
            fixed[c].remove(entry(job))
            slot[job] = -1
            return
        }
        guard i >= 0 else { return }
        slot[job] = -1
        failures.set(job, nil)
        let last = heaps[c].removeLast()
        guard i < heaps[c].count else { return }
        heaps[c][i] = last
        slot[last] = i
        touched.append(i)
        siftUp(c, i)
        let moved = slot[last]
        siftDown(c, moved)
        renewTouched(in: c)
    }

    /// Swaps every pair whose certificate fails by `t`, in time order; the heaps are then in
    /// order at `t`.
    mutating func advance(to t: SimTime) {
        guard t > now else { return }
        while let f = failures.min, f.time <= t {
            let i = slot[f.job]
            now = f.time
            let c = classOf[f.job]
            let p = (i - 1) / 2
            swapAt(c, i, p)
            swaps += 1
            touched.append(p)
            touched.append(i)
            renewTouched(in: c)
        }
        now = t
    }

    /// The first entry of class `c` at `now`.
    func first(of c: Int) -> WaitingQueue.Entry? { least(heaps[c].first.map(entry), fixed[c].first) }

    private func least(_ x: WaitingQueue.Entry?, _ y: WaitingQueue.Entry?) -> WaitingQueue.Entry? {
        guard let x else { return y }
        guard let y else { return x }
        return precedesNow(y.job, x.job) ? y : x
    }

    /// The smallest entry of class `c` above `last` at `now`: in the heap, the entries not above
    /// it form a subtree at the root, and the answer is the least of that subtree's children.
    func first(of c: Int, after last: WaitingQueue.Entry) -> WaitingQueue.Entry? {
        let heap = heaps[c]
        // Constant keys are exact in doubles, so the sorted list's order is the exact one, and
        // the entries after `last` in it are a suffix. `last`'s key now is a rounded double:
        // the search starts a margin below it (wider than `KeyCurve.compare`'s), so no entry
        // that exactly follows `last` is skipped, and steps over those that do not.
        let v = curve[last.job].value(at: now)
        let below = WaitingQueue.Entry(key: v - Swift.max(abs(v) * 1e-9, .leastNormalMagnitude), job: .min)
        var best = fixed[c].first(after: below)
        while let f = best, !precedesNow(last.job, f.job) { best = fixed[c].first(after: f) }
        guard !heap.isEmpty else { return best }
        var stack = [0]
        while let i = stack.popLast() {
            let e = entry(heap[i])
            if precedesNow(last.job, e.job) {
                if best == nil || precedesNow(e.job, best!.job) { best = e }
                continue
            }
            if 2 * i + 1 < heap.count { stack.append(2 * i + 1) }
            if 2 * i + 2 < heap.count { stack.append(2 * i + 2) }
        }
        return best
    }

    /// Whether every parent precedes its children at `now` (for tests and invariant checks).
    func isInOrder() -> Bool {
        for heap in heaps {
            for i in heap.indices.dropFirst() where !precedesNow(heap[(i - 1) / 2], heap[i]) { return false }
        }
        return true
    }

    // MARK: - Heap moves

    private mutating func swapAt(_ c: Int, _ i: Int, _ j: Int) {
        heaps[c].swapAt(i, j)
        slot[heaps[c][i]] = i
        slot[heaps[c][j]] = j
    }

    /// Moves the entry at `start` up while it precedes its parent, noting the indices touched.
    private mutating func siftUp(_ c: Int, _ start: Int) {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            guard precedes(heaps[c][i], heaps[c][p], at: now) else { break }
            swapAt(c, i, p)
            touched.append(p)
            i = p
        }
    }

    /// Moves the entry at `start` down while a child precedes it, noting the indices touched.
    private mutating func siftDown(_ c: Int, _ start: Int) {
        var i = start
        let n = heaps[c].count
        while true {
            var m = i
            if 2 * i + 1 < n && precedes(heaps[c][2 * i + 1], heaps[c][m], at: now) { m = 2 * i + 1 }
            if 2 * i + 2 < n && precedes(heaps[c][2 * i + 2], heaps[c][m], at: now) { m = 2 * i + 2 }
            guard m != i else { break }
            swapAt(c, i, m)
            touched.append(m)
            i = m
        }
    }

    // MARK: - Certificates

    /// Renews the certificates of the entries at the touched indices and of their children,
    /// once each, and clears the scratch.
    private mutating func renewTouched(in c: Int) {
        let n = heaps[c].count
        for j in touched.indices where touched[j] < n {
            let i = touched[j]
            if 2 * i + 1 < n { touched.append(2 * i + 1) }
            if 2 * i + 2 < n { touched.append(2 * i + 2) }
        }
        touched.sort()
        var previous = -1
        for i in touched where i != previous && i < n {
            renewCertificate(c, i)
            previous = i
        }
        touched.removeAll(keepingCapacity: true)
    }

    private mutating func renewCertificate(_ c: Int, _ i: Int) {
        let x = heaps[c][i]
        guard i > 0 else { return failures.set(x, nil) }
        let y = heaps[c][(i - 1) / 2]
        // A static function of the two curves: calling a method of `self` here would copy it.
        let t = Self.failureTime(parent: Keyed(job: y, curve: curve[y]), child: Keyed(job: x, curve: curve[x]), from: now)
        failures.set(x, t)
    }

    /// A job and its key curve.
    private struct Keyed {
        var job: Int
        var curve: KeyCurve
        /// Whether this goes before `other` at `t`: smaller key, ties to the lower job index.
        func precedes(_ other: Keyed, at t: SimTime) -> Bool {
            KeyCurve.precedes(curve, job: job, other.curve, job: other.job, at: t)
        }
    }

    /// The first microsecond from `now` at which `x` precedes its parent `y`; nil if never.
    private static func failureTime(parent y: Keyed, child x: Keyed, from now: SimTime) -> SimTime? {
        if x.precedes(y, at: now) { return now }
        // Two keys that never move never swap.
        if x.curve.isConstant && y.curve.isConstant { return nil }
        for r in y.curve.crossings(with: x.curve, after: now) {
            let estimate = now + SimTime(secondsRoundingUp: r)
            guard estimate < SimTime.horizon else { break }
            if x.precedes(y, at: estimate) { return firstViolation(x, y, before: estimate, from: now) }
            // Rounding may put the estimate a little early: look a little later.
            var step: Int64 = 1
            while step <= 1 << 20 {
                let later = estimate + SimTime(microseconds: step)
                if x.precedes(y, at: later) { return firstViolation(x, y, before: later, from: now) }
                step *= 4
            }
        }
        return nil
    }

    /// The first microsecond after `now` at which `x` precedes `y`, given that it does at `t`
    /// and not at `now` (one swap between them).
    private static func firstViolation(_ x: Keyed, _ y: Keyed, before t: SimTime, from now: SimTime) -> SimTime {
        var hi = t.microseconds, lo = hi - 1, step: Int64 = 1
        // Widen downwards until the order holds again, then bisect.
        while lo > now.microseconds && x.precedes(y, at: SimTime(microseconds: lo)) {
            hi = lo
            step *= 2
            lo = max(now.microseconds, hi - step)
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if x.precedes(y, at: SimTime(microseconds: mid)) { hi = mid } else { lo = mid }
        }
        return SimTime(microseconds: hi)
    }
}
