/// A sorted multiset kept as a list of sorted chunks of bounded size: insertion, removal and
/// lookup of the next element after a value cost O(log n + chunk size), iteration is in order.
/// The engine's waiting queues use it so that no event pays for the whole queue.
struct SortedChunks<Element: Comparable> {
    private var chunks: [[Element]] = []
    /// Each chunk's last (largest) element, so finding a chunk reads one flat array.
    private var lasts: [Element] = []
    private static var maxChunk: Int { 128 }
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// The first chunk whose last element is not below `x` (chunks.count if none).
    private func chunkIndex(for x: Element) -> Int {
        var lo = 0, hi = chunks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lasts[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first position in `chunk` whose element is not below `x` (or, with `strictly`, above it).
    private static func position(of x: Element, in chunk: [Element], strictly: Bool) -> Int {
        var lo = 0, hi = chunk.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunk[mid] < x || (strictly && !(x < chunk[mid])) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func insert(_ x: Element) {
        count += 1
        guard !chunks.isEmpty else { chunks = [[x]]; lasts = [x]; return }
        let c = min(chunkIndex(for: x), chunks.count - 1)
        let p = Self.position(of: x, in: chunks[c], strictly: true)
        chunks[c].insert(x, at: p)
        if p == chunks[c].count - 1 { lasts[c] = x }
        if chunks[c].count > Self.maxChunk {
            let upper = Array(chunks[c][(Self.maxChunk / 2)...])
            chunks[c].removeSubrange((Self.maxChunk / 2)...)
            chunks.insert(upper, at: c + 1)
            lasts[c] = chunks[c][chunks[c].count - 1]
            lasts.insert(upper[upper.count - 1], at: c + 1)
        }
    }

    /// Removes one element equal to `x`; returns whether there was one.
    @discardableResult
    mutating func remove(_ x: Element) -> Bool {
        let c = chunkIndex(for: x)
        guard c < chunks.count else { return false }
        let p = Self.position(of: x, in: chunks[c], strictly: false)
        guard p < chunks[c].count, !(x < chunks[c][p]) else { return false }
        chunks[c].remove(at: p)
        if chunks[c].isEmpty {
            chunks.remove(at: c)
            lasts.remove(at: c)
        } else if p == chunks[c].count {
            lasts[c] = chunks[c][p - 1]
        }
        count -= 1
        return true
    }

    var first: Element? { chunks.first?.first }

    /// The smallest element above `x`.
    func first(after x: Element) -> Element? {
        var c = chunkIndex(for: x)
        while c < chunks.count {
            let p = Self.position(of: x, in: chunks[c], strictly: true)
            if p < chunks[c].count { return chunks[c][p] }
            c += 1
        }
        return nil
    }

    /// Every element, ascending.
    var elements: [Element] { chunks.flatMap { $0 } }

    /// Whether the chunks are non-empty, each sorted, in order, within the size bound, with
    /// ``count`` and the cached last elements right (for tests).
    var isValid: Bool {
        guard chunks.count == lasts.count, chunks.reduce(0, { $0 + $1.count }) == count else { return false }
        for (i, c) in chunks.enumerated() {
            guard !c.isEmpty, c.count <= Self.maxChunk, c.last! == lasts[i], zip(c, c.dropFirst()).allSatisfy({ !($1 < $0) }) else { return false }
            if i > 0 && c[0] < lasts[i - 1] { return false }
        }
        return true
    }
}
