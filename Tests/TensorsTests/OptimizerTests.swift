import Testing
@testable import Tensors

@Suite struct OptimizerTests {
    @Test func tinyMLPOverfitsWithAdam() {
        var g = SeededGenerator(seed: 3)
        let x = Initializer.uniform([16, 3], limit: 1, generator: &g)
        var y = Tensor.zeros([16, 1])
        for i in 0..<16 { y.data[i] = x[i, 0] * x[i, 1] + 0.5 * x[i, 2] * x[i, 2] - 0.2 }
        let w1 = Parameter(Initializer.heUniform(fanIn: 3, fanOut: 16, generator: &g), name: "w1")
        let b1 = Parameter(.zeros([1, 16]), name: "b1")
        let w2 = Parameter(Initializer.glorotUniform(fanIn: 16, fanOut: 1, generator: &g), name: "w2")
        let b2 = Parameter(.zeros([1, 1]), name: "b2")
        let adam = Adam(parameters: [w1, b1, w2, b2], learningRate: 0.02)
        func loss(_ tape: Tape) -> Variable {
            let h = (Variable(x).matmul(tape.variable(w1)) + tape.variable(b1)).relu()
            let out = h.matmul(tape.variable(w2)) + tape.variable(b2)
            return (out - Variable(y)).squared().mean()
        }
        let initial = loss(Tape(recording: false)).value.scalar
        for _ in 0..<400 {
            let tape = Tape()
            adam.zeroGrad()
            tape.backward(loss(tape))
            adam.step()
        }
        let final = loss(Tape(recording: false)).value.scalar
        #expect(initial > 0.05)
        #expect(final < 0.002, "loss \(initial) → \(final)")
        #expect(adam.stepCount == 400)
    }

    @Test func adamWDecayIsDecoupled() {
        let start = Tensor(shape: [3], data: [1, -2, 4])
        let grad = Tensor(shape: [3], data: [0.5, 0.1, -3])
        // Adam's step ignores θ itself, so one AdamW step equals one Adam step minus lr·wd·θ.
        let q1 = Parameter(start), q2 = Parameter(start)
        let a = Adam(parameters: [q1], learningRate: 0.1)
        let w = AdamW(parameters: [q2], learningRate: 0.1, weightDecay: 0.2)
        q1.grad = grad
        q2.grad = grad
        a.step()
        w.step()
        for i in 0..<3 {
            #expect(abs(q2.value.data[i] - (q1.value.data[i] - 0.1 * 0.2 * start.data[i])) < 1e-6)
        }
        // With a zero gradient AdamW shrinks θ geometrically; coupled L2 in Adam does not.
        let z1 = Parameter(start), z2 = Parameter(start)
        let coupled = Adam(parameters: [z1], learningRate: 0.1, weightDecay: 0.2)
        let w2 = AdamW(parameters: [z2], learningRate: 0.1, weightDecay: 0.2)
        z1.grad = .zeros([3])
        z2.grad = .zeros([3])
        coupled.step()
        w2.step()
        #expect(z2.value == start * Float(1 - 0.1 * 0.2))
        #expect(abs(z1.value.data[0] - (1 - 0.1)) < 1e-5)  // Adam normalizes the L2 term to ≈ lr
    }

    @Test func plateauCutsAfterPatience() {
        let p = Parameter(.zeros([1]))
        let adam = Adam(parameters: [p], learningRate: 1)
        var scheduler = ReduceLROnPlateau(factor: 0.5, patience: 2)
        var cut = false
        cut = scheduler.step(metric: 1.0, optimizer: adam)
        #expect(!cut)  // best
        cut = scheduler.step(metric: 0.5, optimizer: adam)
        #expect(!cut)  // better
        cut = scheduler.step(metric: 0.6, optimizer: adam)
        #expect(!cut)  // bad 1
        cut = scheduler.step(metric: 0.5, optimizer: adam)
        #expect(!cut)  // bad 2 (not better than best)
        #expect(adam.learningRate == 1)
        cut = scheduler.step(metric: 0.7, optimizer: adam)
        #expect(cut)  // bad 3 > patience
        #expect(adam.learningRate == 0.5)
        cut = scheduler.step(metric: 0.4, optimizer: adam)
        #expect(!cut)
        #expect(adam.learningRate == 0.5)
        var floored = ReduceLROnPlateau(factor: 0.1, patience: 0, minimumLearningRate: 0.01)
        var lr: Float = 0.05
        floored.step(metric: 1, learningRate: &lr)
        floored.step(metric: 1, learningRate: &lr)
        #expect(lr == 0.01)
    }

    @Test func clippingCapsGlobalNorm() {
        let a = Parameter(.zeros([2])), b = Parameter(.zeros([1])), c = Parameter(.zeros([1]))
        a.grad = Tensor(shape: [2], data: [3, 4])
        b.grad = Tensor(shape: [1], data: [12])  // global norm 13; c has no gradient
        let before = GradientClipping.clipByGlobalNorm([a, b, c], maxNorm: 1.3)
        #expect(abs(before - 13) < 1e-5)
        #expect(abs(GradientClipping.globalNorm([a, b, c]) - 1.3) < 1e-5)
        #expect(close(a.grad!, Tensor(shape: [2], data: [0.3, 0.4])))
        let again = GradientClipping.clipByGlobalNorm([a, b], maxNorm: 5)
        #expect(abs(again - 1.3) < 1e-5)
        #expect(close(a.grad!, Tensor(shape: [2], data: [0.3, 0.4])))
    }
}
