/// Small throughput probes a CLI can print (`augur bench`). Figures, not assertions.
public enum TensorsBenchmark {
    /// Achieved GFLOP/s of `Tensor.matmul` (one-thread `cblas_sgemm`) on an `[m, k] · [k, n]`
    /// product, repeated until at least `minimumSeconds` have passed (after one warm-up).
    public static func sgemmGFLOPS(m: Int, n: Int, k: Int, minimumSeconds: Double = 0.2) -> Double {
        var generator = SeededGenerator(seed: 1)
        let a = Initializer.uniform([m, k], limit: 1, generator: &generator)
        let b = Initializer.uniform([k, n], limit: 1, generator: &generator)
        var sink = Tensor.matmul(a, b).data[0]
        let clock = ContinuousClock()
        let start = clock.now
        var repeats = 0
        var elapsed = 0.0
        repeat {
            sink += Tensor.matmul(a, b).data[0]
            repeats += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } while elapsed < minimumSeconds
        if sink.isNaN { print("", terminator: "") }  // keep the products alive
        return 2 * Double(m) * Double(n) * Double(k) * Double(repeats) / elapsed / 1e9
    }

    /// Seconds per forward-and-backward pass of a message-passing step on a random disjoint
    /// graph: gather senders, `[E, F] · [F, F]`, segment-sum to receivers, ReLU, mean loss.
    public static func messagePassingStepSeconds(
        nodes: Int, edges: Int, features: Int, repeats: Int = 20
    ) -> Double {
        var generator = SeededGenerator(seed: 2)
        let x = Initializer.uniform([nodes, features], limit: 1, generator: &generator)
        let w = Parameter(Initializer.glorotUniform(fanIn: features, fanOut: features, generator: &generator))
        let senders = (0..<edges).map { _ in Int(generator.next() % UInt64(nodes)) }
        let receivers = (0..<edges).map { _ in Int(generator.next() % UInt64(nodes)) }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<repeats {
            let tape = Tape()
            let h = Variable(x).gather(senders).matmul(tape.variable(w))
                .segmentSum(receivers, count: nodes).relu()
            tape.backward(h.mean())
            w.zeroGrad()
        }
        let d = clock.now - start
        return (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18) / Double(repeats)
    }
}
