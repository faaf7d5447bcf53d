/// A set of job indices as a two-level bitset: membership changes in O(1), and the members
/// are read in ascending order by visiting only the non-empty words (a summary bit per word).
/// The engine keeps its queued and running jobs in it, so that a job starting or stopping costs
/// no search and no shifting, however long the queue.
struct JobSet {
    /// Bit `j % 64` of word `j / 64` is set while `j` is a member.
    private var words: [UInt64] = []
    /// Bit `w % 64` of summary word `w / 64` is set while word `w` is non-zero.
    private var summary: [UInt64] = []
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    func contains(_ j: Int) -> Bool {
        let w = j >> 6
        return j >= 0 && w < words.count && words[w] & (1 << UInt64(j & 63)) != 0
    }

    /// Adds `j` (a non-negative index); returns whether it was new.
    @discardableResult
    mutating func insert(_ j: Int) -> Bool {
        precondition(j >= 0, "JobSet: negative index \(j)")
        let w = j >> 6
        if w >= words.count {
            words += Array(repeating: 0, count: w + 1 - words.count)
            let s = (words.count + 63) >> 6
            if s > summary.count { summary += Array(repeating: 0, count: s - summary.count) }
        }
        let bit: UInt64 = 1 << UInt64(j & 63)
        guard words[w] & bit == 0 else { return false }
        words[w] |= bit
        summary[w >> 6] |= 1 << UInt64(w & 63)
        count += 1
        return true
    }

    /// Removes `j`; returns whether it was a member.
    @discardableResult
    mutating func remove(_ j: Int) -> Bool {
        guard contains(j) else { return false }
        let w = j >> 6
        words[w] &= ~(1 << UInt64(j & 63))
        if words[w] == 0 { summary[w >> 6] &= ~(1 << UInt64(w & 63)) }
        count -= 1
        return true
    }

    /// Every member, ascending.
    var elements: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for s in summary.indices {
            var present = summary[s]
            while present != 0 {
                let w = (s << 6) + present.trailingZeroBitCount
                present &= present - 1
                var bits = words[w]
                while bits != 0 {
                    out.append((w << 6) + bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
        }
        return out
    }
}
