import Testing
@testable import Tensors
@Test func scratchPrint() {
    let a = randomTensor([4, 3], seed: 1)
    let x = randomTensor([5, 4], seed: 8, scale: 2)
    print("MM", gradientCheck([randomTensor([4, 3], seed: 3), randomTensor([3, 5], seed: 4)]) { v in v[0].matmul(v[1]) })
    print("GELU", gradientCheck([x]) { v in v[0].gelu() })
    print("EXP", gradientCheck([x]) { v in v[0].exp() })
    print("LN", gradientCheck([randomTensor([4, 6], seed: 12, scale: 2), randomTensor([1, 6], seed: 13), randomTensor([6], seed: 14)]) { v in v[0].layerNorm(gain: v[1], bias: v[2]) })
    print("SMAX", gradientCheck([randomTensor([7, 2], seed: 16, scale: 2)]) { v in v[0].segmentSoftmax([1, 1, 0, 1, 3, 0, 1], count: 4) })
    print("DIV", gradientCheck([a, positiveTensor([4,1], seed: 7)]) { v in v[0] / v[1] })
    print("BAD", gradientCheck([a]) { v in Tape.record(v[0].value * 2, inputs: [v[0]]) { g, _ in [g] } })
}
