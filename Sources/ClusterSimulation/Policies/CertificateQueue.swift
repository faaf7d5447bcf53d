import ClusterKit

/// The failure times of a kinetic heap's certificates, at most one per job (its certificate
/// with its parent): an indexed binary min-heap on (time, job), so renewing a certificate
/// moves its entry instead of leaving a stale one behind.
struct CertificateQueue {
    private var heap: [Int] = []
    /// A job's index in `heap`; −1 when it holds no certificate.
    private var position: [Int]
    private var time: [SimTime]

    init(jobs: Int) {
        position = Array(repeating: -1, count: jobs)
        time = Array(repeating: .zero, count: jobs)
    }

    var count: Int { heap.count }
    func time(of job: Int) -> SimTime? { position[job] >= 0 ? time[job] : nil }

    /// The job whose certificate fails first, and when.
    var min: (job: Int, time: SimTime)? { heap.first.map { ($0, time[$0]) } }

    /// Sets (or, with nil, drops) the failure time of `job`'s certificate.
    mutating func set(_ job: Int, _ t: SimTime?) {
        let i = position[job]
        guard let t else {
            if i >= 0 { removeAt(i) }
            return
        }
        if i < 0 {
            time[job] = t
            position[job] = heap.count
            heap.append(job)
            siftUp(heap.count - 1)
        } else {
            let earlier = t < time[job]
            time[job] = t
            if earlier { siftUp(i) } else { siftDown(i) }
        }
    }

    private func before(_ x: Int, _ y: Int) -> Bool { time[x] != time[y] ? time[x] < time[y] : x < y }

    private mutating func removeAt(_ i: Int) {
        let job = heap[i]
        position[job] = -1
        let last = heap.removeLast()
        guard i < heap.count else { return }
        heap[i] = last
        position[last] = i
        siftUp(i)
        siftDown(position[last])
    }

    private mutating func place(_ job: Int, at i: Int) {
        heap[i] = job
        position[job] = i
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        let job = heap[i]
        while i > 0 {
            let p = (i - 1) / 2
            guard before(job, heap[p]) else { break }
            place(heap[p], at: i)
            i = p
        }
        place(job, at: i)
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let job = heap[i]
        let n = heap.count
        while true {
            var m = -1
            var best = job
            let l = 2 * i + 1, r = l + 1
            if l < n && before(heap[l], best) { m = l; best = heap[l] }
            if r < n && before(heap[r], best) { m = r; best = heap[r] }
            guard m >= 0 else { break }
            place(heap[m], at: i)
            i = m
        }
        place(job, at: i)
    }
}
