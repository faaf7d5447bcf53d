/// The operator types the featurizer one-hot encodes (ONNX names, the vocabulary every graph
/// source maps onto). Any other type shares the last slot, `other`.
///
/// The list is part of a trained model's input layout: a checkpoint stores it, and a model is
/// only loaded by a featurizer with the same list.
public enum OperatorVocabulary {
    /// Operator types in slot order; the slot after the last is `other`.
    public static let types: [String] = [
        "Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum", "BatchNormalization", "LayerNormalization",
        "InstanceNormalization", "GroupNormalization", "Relu", "LeakyRelu", "Elu", "Sigmoid", "Tanh",
        "Gelu", "Erf", "HardSigmoid", "HardSwish", "Clip", "Softplus", "Add", "Sub", "Mul", "Div", "Pow",
        "Sqrt", "Neg", "AveragePool", "MaxPool", "GlobalAveragePool", "GlobalMaxPool", "Softmax",
        "Concat", "Split", "Slice", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Gather",
        "Expand", "ReduceMean", "ReduceSum", "Pad", "Resize", "Dropout", "Identity", "Constant", "Shape",
        "Cast", "Where",
    ]

    /// Slots: one per type plus `other`.
    public static var width: Int { types.count + 1 }

    private static let slots: [String: Int] = Dictionary(
        uniqueKeysWithValues: types.enumerated().map { ($1, $0) })

    /// The one-hot slot of an operator type.
    public static func slot(of type: String) -> Int { slots[type] ?? types.count }
}
