import Testing
@testable import Tensors

/// Every differentiable op against central finite differences.
@Suite struct GradientCheckTests {
    let a = randomTensor([4, 3], seed: 1)
    let b = randomTensor([4, 3], seed: 2)

    @Test func matmul() {
        expectGradient([randomTensor([4, 3], seed: 3), randomTensor([3, 5], seed: 4)]) { v in
            v[0].matmul(v[1])
        }
    }

    @Test func transposeAndReshape() {
        expectGradient([a]) { v in v[0].transposed().reshaped([2, 6]) }
    }

    @Test func sameShapeArithmetic() {
        let c = positiveTensor([4, 3], seed: 5)
        expectGradient([a, b]) { v in v[0] + v[1] }
        expectGradient([a, b]) { v in v[0] - v[1] }
        expectGradient([a, b]) { v in v[0] * v[1] }
        expectGradient([a, c]) { v in v[0] / v[1] }
    }

    @Test(arguments: [[1, 3], [3], [4, 1], [], [1, 1]])
    func broadcasting(shape: [Int]) {
        let small = randomTensor(shape, seed: 6)
        let positive = positiveTensor(shape, seed: 7)
        expectGradient([a, small]) { v in v[0] + v[1] }
        expectGradient([a, small]) { v in v[1] - v[0] }
        expectGradient([a, small]) { v in v[0] * v[1] }
        expectGradient([a, positive]) { v in v[0] / v[1] }
        expectGradient([positive, a]) { v in v[0] / v[1] }
    }

    @Test func scalarConstants() {
        expectGradient([a]) { v in (v[0] * 3 + 1) / 2 - 0.5 }
        expectGradient([a]) { v in -v[0] }
        expectGradient([a]) { v in v[0].squared() }
    }

    @Test func activations() {
        let x = randomTensor([5, 4], seed: 8, scale: 2)
        expectGradient([x]) { v in v[0].relu() }
        expectGradient([x]) { v in v[0].leakyRelu(slope: 0.1) }
        expectGradient([x]) { v in v[0].elu(alpha: 1.2) }
        expectGradient([x]) { v in v[0].gelu() }
        expectGradient([x]) { v in v[0].sigmoid() }
        expectGradient([x]) { v in v[0].tanh() }
        expectGradient([x]) { v in v[0].pseudoHuber(delta: 0.7) }
        expectGradient([x]) { v in v[0].exp() }
        expectGradient([positiveTensor([5, 4], seed: 9)]) { v in v[0].log() }
    }

    @Test func reductions() {
        expectGradient([a]) { v in v[0].sum() }
        expectGradient([a]) { v in v[0].mean() }
        for axis in 0...1 {
            expectGradient([a]) { v in v[0].sum(axis: axis) }
            expectGradient([a]) { v in v[0].mean(axis: axis) }
        }
    }

    @Test func concatenation() {
        let c = randomTensor([4, 2], seed: 10)
        let d = randomTensor([2, 3], seed: 11)
        expectGradient([a, c]) { v in Variable.concat([v[0], v[1]], axis: 1) }
        expectGradient([a, d]) { v in Variable.concat([v[0], v[1]], axis: 0) }
        expectGradient([a]) { v in v[0].columns(1..<3) }
    }

    @Test func layerNorm() {
        let x = randomTensor([4, 6], seed: 12, scale: 2)
        let gain = randomTensor([1, 6], seed: 13)
        let bias = randomTensor([6], seed: 14)
        expectGradient([x, gain, bias]) { v in v[0].layerNorm(gain: v[1], bias: v[2]) }
    }

    @Test func dropoutIsMaskedIdentity() {
        expectGradient([a]) { v in
            var g = SeededGenerator(seed: 99)
            return v[0].dropout(rate: 0.3, training: true, generator: &g)
        }
    }

    @Test func gather() {
        expectGradient([a]) { v in v[0].gather([3, 0, 0, 2, 3, 3]) }
    }

    @Test func segmentOps() {
        let x = distinctTensor([7, 3], seed: 15)
        let ids = [0, 2, 2, 0, 3, 2, 0]  // segment 1 is empty
        expectGradient([x]) { v in v[0].segmentSum(ids, count: 4) }
        expectGradient([x]) { v in v[0].segmentMean(ids, count: 4) }
        expectGradient([x]) { v in v[0].segmentMax(ids, count: 4) }
    }

    @Test func segmentSoftmax() {
        let scores = randomTensor([7, 2], seed: 16, scale: 2)
        let ids = [1, 1, 0, 1, 3, 0, 1]
        expectGradient([scores]) { v in v[0].segmentSoftmax(ids, count: 4) }
        // As attention: weights times messages, summed per receiver.
        let messages = randomTensor([7, 2], seed: 17)
        expectGradient([scores, messages]) { v in
            (v[0].segmentSoftmax(ids, count: 4) * v[1]).segmentSum(ids, count: 4)
        }
    }

    @Test func composedTwoLayerNetworkWithMSE() {
        let x = randomTensor([6, 4], seed: 18)
        let target = randomTensor([6, 2], seed: 19)
        let w1 = randomTensor([4, 5], seed: 20)
        let b1 = randomTensor([1, 5], seed: 21, scale: 0.1, margin: 0)
        let w2 = randomTensor([5, 2], seed: 22)
        let b2 = randomTensor([2], seed: 23, scale: 0.1, margin: 0)
        expectGradient([w1, b1, w2, b2]) { v in
            let h = (Variable(x).matmul(v[0]) + v[1]).tanh()
            let y = h.matmul(v[2]) + v[3]
            return (y - Variable(target)).squared().mean()
        }
    }

    @Test func checkerDetectsAWrongGradient() {
        // A deliberately wrong pullback: claims d/dx (2x) = 1.
        let result = gradientCheck([a]) { v in
            Tape.record(v[0].value * 2, inputs: [v[0]]) { g, _ in [g] }
        }
        #expect(!result.passed)
    }
}

/// `Variable.sum` against finite differences and against chained `+`.
@Suite struct FusedSumTests {
    @Test func gradientOfASumWithBroadcastTerms() {
        let a = randomTensor([4, 3], seed: 31), b = randomTensor([4, 3], seed: 32)
        let row = randomTensor([1, 3], seed: 33), scalar = randomTensor([], seed: 34)
        expectGradient([a, b, row, scalar]) { v in Variable.sum(v) }
        expectGradient([a, row]) { v in Variable.sum([v[0], v[1], v[0]]) }
    }

    @Test func sameValuesAsChainedAddition() {
        let terms = [randomTensor([5, 4], seed: 41), randomTensor([5, 4], seed: 42), randomTensor([5, 4], seed: 43), randomTensor([1, 4], seed: 44)]
        let v = terms.map { Variable($0) }
        #expect(Variable.sum(v).value == (((v[0] + v[1]) + v[2]) + v[3]).value)
    }
}
