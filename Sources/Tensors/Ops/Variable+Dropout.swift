// Inverted dropout (Srivastava et al. 2014).

extension Variable {
    /// Zeroes each element with probability `rate` and scales the survivors by 1/(1 − rate), so
    /// the expectation is unchanged (Srivastava et al. 2014, "Dropout"). The identity when
    /// `training` is false or `rate` is 0. The mask comes from `generator`, so a seed fixes it.
    public func dropout(rate: Float, training: Bool, generator: inout SeededGenerator) -> Variable {
        precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) outside [0, 1)")
        guard training, rate > 0 else { return self }
        let keep = 1 / (1 - rate)
        let threshold = Double(rate)
        var mask = Tensor.zeros(shape)
        mask.data.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count { m[i] = generator.nextUnit() < threshold ? 0 : keep }
        }
        return Tape.record(Tensor.zip(value, mask) { $0 * $1 }, inputs: [self]) { g, _ in
            [Tensor.zip(g, mask) { $0 * $1 }]
        }
    }
}
