import ModelGraph
import Testing

/// Integer folding of the small shape computations torch's exporter emits, so Reshape and
/// Expand targets are known at import.
@Suite struct ShapeValueFoldingTests {
    func tensor(_ values: [Int]) -> TensorInfo {
        TensorInfo(id: 0, name: "t", shape: [values.count], dtype: .int64, kind: .activation, intValues: values)
    }

    @Test func expandWithMinusOnesFoldsToItsTarget() {
        // torch `x.expand(n, -1, -1)`: Where(Equal(shape, ConstantOfShape(3, 1)·-1), ones, shape).
        let shape = tensor([2, -1, -1])
        let ones = ShapeInference.outputIntValues(type: "ConstantOfShape", attributes: ["value.ints": .ints([1]), "value.dims": .ints([1])],
                                                  inputs: [tensor([3])])
        #expect(ones == [1, 1, 1])
        let minus = ShapeInference.outputIntValues(type: "Mul", attributes: [:], inputs: [tensor(ones!), tensor([-1])])
        let equal = ShapeInference.outputIntValues(type: "Equal", attributes: [:], inputs: [shape, tensor(minus!)])
        #expect(equal == [0, 1, 1])
        let target = ShapeInference.outputIntValues(type: "Where", attributes: [:], inputs: [tensor(equal!), tensor(ones!), shape])
        #expect(target == [2, 1, 1])
    }

    @Test func unknownOrMismatchedValuesDoNotFold() {
        let unknown = TensorInfo(id: 1, name: "u", shape: [3], dtype: .int64, kind: .activation)
        #expect(ShapeInference.outputIntValues(type: "Where", attributes: [:], inputs: [unknown, tensor([1, 1, 1]), tensor([2, 3, 4])]) == nil)
        #expect(ShapeInference.outputIntValues(type: "Equal", attributes: [:], inputs: [tensor([1, 2]), tensor([1, 2, 3])]) == nil)
        #expect(ShapeInference.outputIntValues(type: "ConstantOfShape", attributes: [:], inputs: [tensor([4])]) == [0, 0, 0, 0], "ONNX default value 0")
    }
}
