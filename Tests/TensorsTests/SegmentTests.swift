import Foundation
import Testing
@testable import Tensors

@Suite struct SegmentTests {
    let x = Tensor([[1, -2], [3, 4], [-5, 6], [7, -8]])
    let ids = [0, 2, 0, 2]  // segments 1 and 3 are empty

    @Test func emptySegmentsGiveZero() {
        let v = Variable(x)
        #expect(v.segmentSum(ids, count: 4).value == Tensor([[-4, 4], [0, 0], [10, -4], [0, 0]]))
        #expect(v.segmentMean(ids, count: 4).value == Tensor([[-2, 2], [0, 0], [5, -2], [0, 0]]))
        #expect(v.segmentMax(ids, count: 4).value == Tensor([[1, 6], [0, 0], [7, 4], [0, 0]]))
    }

    @Test func maxRoutesGradientToArgmax() {
        let tape = Tape()
        let v = tape.leaf(x)
        let grads = tape.backward(v.segmentMax(ids, count: 4).sum())
        #expect(grads[v] == Tensor([[1, 0], [0, 1], [0, 1], [1, 0]]))
    }

    @Test func maxOfAllNegativeSegmentIsItsMaximum() {
        let x = Tensor([[-3], [-1], [-2]])
        let y = x.segmentMax([0, 0, 0], count: 1)
        #expect(y.data == [-1])
        #expect(x.segmentArgmax([0, 0, 0], maxima: y) == [1])
    }

    @Test func fastExpAndTanhAreAccurate() {
        for i in -400...400 {
            let x = Float(i) * 0.05
            #expect(abs(fexp(x) - expf(x)) <= 4e-7 * expf(x))
            #expect(abs(ftanh(x) - tanhf(x)) <= 3e-7)
        }
        #expect(fexp(-200) >= 0 && fexp(-200) < 1e-37)
        #expect(fexp(200).isFinite)
    }

    @Test func gatherPicksRows() {
        #expect(Variable(x).gather([3, 3, 0]).value == Tensor([[7, -8], [7, -8], [1, -2]]))
    }

    @Test func softmaxSumsToOnePerSegmentAndIsStable() {
        let scores = Tensor(shape: [5, 1], data: [1000, 1001, -3, 0, 1002])
        let segments = [0, 0, 1, 1, 0]
        let y = Variable(scores).segmentSoftmax(segments, count: 3).value
        #expect(y.data.allSatisfy { $0.isFinite })
        #expect(abs(y.data[0] + y.data[1] + y.data[4] - 1) < 1e-6)
        #expect(abs(y.data[2] + y.data[3] - 1) < 1e-6)
        #expect(abs(y.data[4] - 0.665_240_9) < 1e-5)
    }
}
