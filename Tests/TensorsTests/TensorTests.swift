import Testing
@testable import Tensors

@Suite struct TensorTests {
    @Test(arguments: [(1, 1, 1), (3, 5, 4), (17, 9, 33), (64, 128, 96)])
    func matmulAgreesWithNaiveLoop(m: Int, n: Int, k: Int) {
        let a = randomTensor([m, k], seed: UInt64(m), margin: 0)
        let b = randomTensor([k, n], seed: UInt64(n + 100), margin: 0)
        #expect(close(Tensor.matmul(a, b), naiveMatmul(a, b), tolerance: 1e-4))
        #expect(close(Tensor.matmul(a.transposed(), transposeA: true, b), naiveMatmul(a, b), tolerance: 1e-4))
        #expect(close(Tensor.matmul(a, b.transposed(), transposeB: true), naiveMatmul(a, b), tolerance: 1e-4))
    }

    @Test func matmulWithEmptyExtents() {
        #expect(Tensor.matmul(Tensor.zeros([0, 3]), Tensor.ones([3, 2])).shape == [0, 2])
        #expect(Tensor.matmul(Tensor.zeros([2, 0]), Tensor.ones([0, 2])) == Tensor.zeros([2, 2]))
    }

    @Test func broadcastingValues() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(m + Tensor([[10, 20, 30]]) == Tensor([[11, 22, 33], [14, 25, 36]]))
        #expect(m * Tensor(shape: [2, 1], data: [2, 3]) == Tensor([[2, 4, 6], [12, 15, 18]]))
        #expect(Tensor(scalar: 1) - m == Tensor([[0, -1, -2], [-3, -4, -5]]))
        #expect(m / Tensor(shape: [3], data: [1, 2, 3]) == Tensor([[1, 1, 1], [4, 2.5, 2]]))
        #expect(Tensor.broadcastShape([2, 3], [3, 2]) == nil)
        #expect(Tensor.broadcastShape([4, 1], [1, 5]) == [4, 5])
    }

    @Test func reductionsAndConcat() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(m.sum(axis: 0) == Tensor([[5, 7, 9]]))
        #expect(m.sum(axis: 1) == Tensor(shape: [2, 1], data: [6, 15]))
        #expect(Variable(m).mean().value == Tensor(scalar: 3.5))
        #expect(Variable(m).mean(axis: 1).value == Tensor(shape: [2, 1], data: [2, 5]))
        #expect(Tensor.concat([m, Tensor([[7], [8]])], axis: 1) == Tensor([[1, 2, 3, 7], [4, 5, 6, 8]]))
        #expect(Tensor.concat([m, Tensor([[7, 8, 9]])], axis: 0).shape == [3, 3])
    }

    @Test func activationValues() {
        let x = Variable(Tensor(shape: [4], data: [-2, -0.5, 0.5, 2]))
        #expect(x.relu().value.data == [0, 0, 0.5, 2])
        #expect(close(x.leakyRelu(slope: 0.1).value, Tensor(shape: [4], data: [-0.2, -0.05, 0.5, 2])))
        #expect(abs(x.gelu().value.data[3] - 1.954_597) < 1e-4)  // PyTorch gelu(2, approximate="tanh")
        #expect(abs(x.sigmoid().value.data[0] - 0.119_202_92) < 1e-6)
        #expect(abs(x.elu().value.data[0] - (-0.864_664_7)) < 1e-6)
    }

    @Test func layerNormNormalizesRows() {
        let x = Variable(randomTensor([3, 8], seed: 5, scale: 4))
        let y = x.layerNorm(gain: Variable(.ones([1, 8])), bias: Variable(.zeros([1, 8]))).value
        for i in 0..<3 {
            let row = (0..<8).map { y[i, $0] }
            let mean = row.reduce(0, +) / 8
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-3)
        }
    }

    @Test func dropoutIsSeededAndIdentityAtInference() {
        let x = Variable(Tensor.ones([50, 20]))
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
        let y1 = x.dropout(rate: 0.25, training: true, generator: &g1).value
        let y2 = x.dropout(rate: 0.25, training: true, generator: &g2).value
        #expect(y1 == y2)
        let kept = y1.data.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 1000 - 0.75) < 0.05)
        #expect(x.dropout(rate: 0.25, training: false, generator: &g1).value == x.value)
    }

    @Test func inferenceTapeRecordsNothing() {
        let p = Parameter(Tensor.ones([3, 2]))
        let tape = Tape(recording: false)
        let y = Variable(Tensor.ones([4, 3])).matmul(tape.variable(p)).relu().sum()
        #expect(!y.isRecorded)
        #expect(tape.nodeCount == 0)
        #expect(y.value.scalar == 24)
    }

    @Test func parameterGradientsAccumulateAcrossUses() {
        let p = Parameter(Tensor(shape: [2], data: [1, 2]))
        let tape = Tape()
        let v = tape.variable(p)
        let loss = (v * v).sum() + (v * 3).sum()  // d/dp = 2p + 3
        let grads = tape.backward(loss)
        #expect(p.grad == Tensor(shape: [2], data: [5, 7]))
        #expect(grads[v] == p.grad)
        // A second backward pass accumulates.
        let tape2 = Tape()
        tape2.backward(tape2.variable(p).sum())
        #expect(p.grad == Tensor(shape: [2], data: [6, 8]))
    }

    @Test func constantsGetNoGradient() {
        let tape = Tape()
        let x = tape.leaf(Tensor.ones([2, 2]))
        let c = Variable(Tensor.ones([2, 2]))
        let grads = tape.backward((x * c + c).sum())
        #expect(grads[x] == Tensor.ones([2, 2]))
        #expect(grads[c] == nil)
    }

    @Test func benchmarkReportsPositiveThroughput() {
        #expect(TensorsBenchmark.sgemmGFLOPS(m: 32, n: 32, k: 32, minimumSeconds: 0.01) > 0)
        #expect(TensorsBenchmark.messagePassingStepSeconds(nodes: 20, edges: 40, features: 8, repeats: 2) > 0)
    }
}
