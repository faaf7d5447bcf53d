import ClusterKit

extension PolicyView {
    /// Up devices of `type` with enough unreserved share for the job, ascending; at most `first`.
    func devicesWithRoom(type: Int, for job: Int, first: Int = .max) -> [Int] {
        let milli = self.job(job).gpuMilli
        var out: [Int] = []
        let list = devices(ofType: type)
        // Only devices with room left can take a share (at least one thousandth, checked at
        // setup): visit their bits, in order.
        for (w, word) in withRoom(ofType: type).enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let d = list[w * 64 + bits.trailingZeroBitCount]
                bits &= bits &- 1
                guard milliUsed(ofDevice: d) + milli <= 1000 && isUp(device: d) else { continue }
                out.append(d)
                if out.count == first { return out }
            }
        }
        return out
    }

    /// Whether a type can possibly take the job now (cheap check before scanning devices), and
    /// the predictor does not expect the job to exceed the device's memory.
    func mayFit(type: Int, job: Int) -> Bool {
        (self.job(job).gpuMilli < 1000 || idleCount(ofType: type) >= self.job(job).gpus) && predictedToFit(job: job, type: type)
    }

    /// Consolidated best fit within one type: the node whose room is the smallest that still
    /// holds the whole job; else the fewest nodes, fullest room first. Nil if not enough room.
    func consolidated(type: Int, job: Int) -> [Int]? {
        let n = self.job(job).gpus
        guard mayFit(type: type, job: job) else { return nil }
        let milli = self.job(job).gpuMilli
        // Counted first, devices listed only for the chosen nodes (no array per node visited).
        func freeDevices(_ node: Int, _ limit: Int) -> [Int] {
            var out: [Int] = []
            for d in devices(ofNode: node) where milliUsed(ofDevice: d) + milli <= 1000 {
                out.append(d)
                if out.count == limit { break }
            }
            return out
        }
        var best: (room: Int, node: Int)?
        var rooms: [(node: Int, free: Int)] = []
        var total = 0
        for node in nodes(ofType: type) where isUp(node: node) {
            var free = 0
            if milli == 1000 {
                free = unreservedDevices(onNode: node)
            } else {
                for d in devices(ofNode: node) where milliUsed(ofDevice: d) + milli <= 1000 { free += 1 }
            }
            guard free > 0 else { continue }
            total += free
            if free >= n {
                if best == nil || free < best!.room { best = (free, node) }
                if free == n { break }
            } else {
                rooms.append((node, free))
            }
        }
        if let best { return freeDevices(best.node, n) }
        guard total >= n else { return nil }
        var out: [Int] = []
        for r in rooms.sorted(by: { $0.free != $1.free ? $0.free > $1.free : $0.node < $1.node }) {
            out += freeDevices(r.node, n - out.count)
            if out.count == n { return out }
        }
        return nil
    }
}
