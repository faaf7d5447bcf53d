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
