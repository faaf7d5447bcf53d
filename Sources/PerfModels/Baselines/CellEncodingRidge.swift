import ModelGraph

/// Ridge regression of a target on the NAS-Bench-201 cell encoding: an intercept, a one-hot of
/// each of the six edges' operation, and a one-hot of every pair of edges' operations (the
/// encoding of HELP and BRP-NAS's latency predictors, with pairwise terms). Every row has
/// 22 active features, so the normal equations are accumulated sparsely and solved by Cholesky.
struct CellEncodingRidge {
    static let operations = NB201Architecture.Operation.allCases.count
    static let edges = 6
    static let pairs = edges * (edges - 1) / 2
    static let width = 1 + edges * operations + pairs * operations * operations
    var weights: [Double]

    /// The active feature indices of `arch`.
    static func activeFeatures(_ arch: NB201Architecture) -> [Int] {
        let ops = arch.edges.flatMap { $0.map { NB201Architecture.Operation.allCases.firstIndex(of: $0.op)! } }
        var active = [0] + ops.enumerated().map { 1 + $0.offset * operations + $0.element }
        var pair = 0
        for a in 0..<edges {
            for b in (a + 1)..<edges {
                active.append(1 + edges * operations + pair * operations * operations + ops[a] * operations + ops[b])
                pair += 1
            }
        }
        return active
    }

    init(active: [[Int]], target: [Double], lambda: Double = 0.01) {
        let n = Self.width
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for (features, y) in zip(active, target) {
            for i in features {
                b[i] += y
                for j in features { a[i * n + j] += 1 }
            }
        }
        for i in 0..<n { a[i * n + i] += lambda }
        weights = Ridge.solve(normal: a, rhs: b)
    }

    func predict(_ active: [Int]) -> Double { active.reduce(0) { $0 + weights[$1] } }
}
