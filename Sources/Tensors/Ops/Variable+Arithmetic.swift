// Elementwise arithmetic with broadcasting (a scalar, a `[1, F]` row or an `[N, 1]` column
// over `[N, F]`, either side). Gradients sum over the broadcast dimensions.

extension Variable {
    /// Elementwise sum with broadcasting.
    public static func + (a: Variable, b: Variable) -> Variable {
        let sa = a.shape, sb = b.shape
        return Tape.record(a.value + b.value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.reduced(toShape: sa) : nil, needs[1] ? g.reduced(toShape: sb) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Variable, b: Variable) -> Variable {
        let sa = a.shape, sb = b.shape
        return Tape.record(a.value - b.value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.reduced(toShape: sa) : nil, needs[1] ? (g * -1).reduced(toShape: sb) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Variable, b: Variable) -> Variable {
        let x = a.value, y = b.value
        return Tape.record(x * y, inputs: [a, b]) { g, needs in
            [needs[0] ? (g * y).reduced(toShape: x.shape) : nil,
             needs[1] ? (g * x).reduced(toShape: y.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Variable, b: Variable) -> Variable {
        let x = a.value, y = b.value
        return Tape.record(x / y, inputs: [a, b]) { g, needs in
            var gb: Tensor?
            if needs[1] {
                let q = Tensor.broadcast(x, y) { xv, yv in -xv / (yv * yv) }
                gb = Tensor.zip(g, q) { $0 * $1 }.reduced(toShape: y.shape)
            }
            return [needs[0] ? (g / y).reduced(toShape: x.shape) : nil, gb]
        }
    }

    /// Negation.
    public static prefix func - (a: Variable) -> Variable { a * -1 }

    /// Every element plus a constant.
    public static func + (a: Variable, s: Float) -> Variable {
        Tape.record(a.value.map { $0 + s }, inputs: [a]) { g, _ in [g] }
    }

    /// Every element minus a constant.
    public static func - (a: Variable, s: Float) -> Variable { a + (-s) }

    /// Every element times a constant.
    public static func * (a: Variable, s: Float) -> Variable {
        Tape.record(a.value * s, inputs: [a]) { g, _ in [g * s] }
    }

    /// Every element times a constant.
    public static func * (s: Float, a: Variable) -> Variable { a * s }

    /// Every element divided by a constant.
    public static func / (a: Variable, s: Float) -> Variable { a * (1 / s) }

    /// The elementwise square.
    public func squared() -> Variable {
        let x = value
        return Tape.record(x.map { $0 * $0 }, inputs: [self]) { g, _ in
            [Tensor.zip(g, x) { 2 * $0 * $1 }]
        }
    }
}

extension Variable {
    /// `terms[0] + terms[1] + …` in that order, in one output: each later term has the first's
    /// shape or is a row (`[1, cols]`, `[cols]`) or scalar broadcast over it. The same values as
    /// chaining `+`, without a tensor per partial sum (the SeerNet update adds one product per
    /// input block, each as large as the edge list).
    public static func sum(_ terms: [Variable]) -> Variable {
        precondition(!terms.isEmpty, "Variable.sum: no terms")
        var out = terms[0].value
        let (rows, cols) = Tensor.matrixExtents(out.shape)
        for t in terms.dropFirst() {
            if t.value.count == out.count && t.shape == out.shape {
                out.add(t.value)
                continue
            }
            let (tr, tc) = Tensor.matrixExtents(t.shape)
            precondition(tr == 1 && (tc == cols || tc == 1), "Variable.sum: cannot broadcast \(t.shape) onto \(out.shape)")
            out.data.withUnsafeMutableBufferPointer { o in
                t.value.data.withUnsafeBufferPointer { row in
                    for i in 0..<rows {
                        let base = i * cols
                        if tc == 1 {
                            for j in 0..<cols { o[base + j] += row[0] }
                        } else {
                            for j in 0..<cols { o[base + j] += row[j] }
                        }
                    }
                }
            }
        }
        let shapes = terms.map(\.shape)
        return Tape.record(out, inputs: terms) { g, needs in
            shapes.indices.map { needs[$0] ? g.reduced(toShape: shapes[$0]) : nil }
        }
    }
}
