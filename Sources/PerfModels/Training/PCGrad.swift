import Tensors

/// Projecting conflicting gradients (Yu et al., "Gradient Surgery for Multi-Task Learning",
/// NeurIPS 2020): for each task, in a seeded random order of the other tasks, a gradient that
/// points against another task's (negative dot product) loses its component along it. Only
/// parameters several tasks share are projected; task-specific ones keep their own gradient.
public enum PCGrad {
    /// Combines per-task gradients (`tasks[t][p]`, nil where task t does not reach parameter p)
    /// into one gradient per parameter.
    public static func combine(_ tasks: [[Tensor?]], shared: [Bool], generator: inout SeededGenerator) -> [Tensor?] {
        let parameterCount = shared.count
        guard tasks.count > 1 else { return tasks.first ?? Array(repeating: nil, count: parameterCount) }
        // Flatten each task's shared gradient.
        let sizes = (0..<parameterCount).map { p in tasks.lazy.compactMap { $0[p]?.count }.first ?? 0 }
        func flat(_ t: Int) -> [Float] {
            var v: [Float] = []
            for p in 0..<parameterCount where shared[p] {
                if let g = tasks[t][p] { v += g.data } else { v += repeatElement(0, count: sizes[p]) }
            }
            return v
        }
        let flats = tasks.indices.map(flat)
        var projected = flats
        for i in tasks.indices {
            var order = tasks.indices.filter { $0 != i }
            for k in stride(from: order.count - 1, to: 0, by: -1) {
                let j = Int(generator.next() % UInt64(k + 1))
                order.swapAt(k, j)
            }
            for j in order {
                var dot: Float = 0, norm: Float = 0
                for (a, b) in zip(projected[i], flats[j]) { dot += a * b; norm += b * b }
                guard dot < 0, norm > 0 else { continue }
                let c = dot / norm
                for k in projected[i].indices { projected[i][k] -= c * flats[j][k] }
            }
        }
        var result = [Tensor?](repeating: nil, count: parameterCount)
        var offset = 0
        for p in 0..<parameterCount {
            if shared[p] {
                let shape = tasks.lazy.compactMap { $0[p]?.shape }.first
                if let shape {
                    var sum = [Float](repeating: 0, count: sizes[p])
                    for t in tasks.indices { for k in 0..<sizes[p] { sum[k] += projected[t][offset + k] } }
                    result[p] = Tensor(shape: shape, data: sum)
                }
                offset += sizes[p]
            } else {
                for t in tasks.indices {
                    guard let g = tasks[t][p] else { continue }
                    if var acc = result[p] { acc.add(g); result[p] = acc } else { result[p] = g }
                }
            }
        }
        return result
    }
}
