// Sums and means over all elements (rank-0 results) or along one matrix axis.

extension Variable {
    /// The sum of all elements, as a rank-0 tensor.
    public func sum() -> Variable {
        let s = shape
        return Tape.record(Tensor(scalar: value.sumAll()), inputs: [self]) { g, _ in
            [Tensor(shape: s, repeating: g.data[0])]
        }
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Variable {
        let n = Float(max(value.count, 1))
        return sum() * (1 / n)
    }

    /// Sums along `axis`: 0 gives `[1, cols]`, 1 gives `[rows, 1]`.
    public func sum(axis: Int) -> Variable {
        let r = rows, c = cols, s = shape
        return Tape.record(value.sum(axis: axis), inputs: [self]) { g, _ in
            [g.expanded(rows: r, cols: c).reshaped(s)]
        }
    }

    /// Means along `axis`: 0 gives `[1, cols]`, 1 gives `[rows, 1]`.
    public func mean(axis: Int) -> Variable {
        let n = axis == 0 ? rows : cols
        return sum(axis: axis) * (1 / Float(max(n, 1)))
    }
}
