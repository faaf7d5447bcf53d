/// Layers that several Swift-built networks share (``NB201``, ``ResNet``), under their ONNX
/// operator names, with PyTorch's parameter names.
extension GraphBuilder {
    /// `BatchNormalization` with a learned scale and bias (parameters) and running statistics
    /// (constants, which torchvision does not count as parameters).
    mutating func batchNorm(_ x: Int, channels c: Int, name: String, node: String? = nil) -> Int {
        let scale = addParameter(name + ".weight", shape: [c])
        let bias = addParameter(name + ".bias", shape: [c])
        let mean = addConstant(name + ".running_mean", shape: [c], dtype: .float32)
        let variance = addConstant(name + ".running_var", shape: [c], dtype: .float32)
        return add("BatchNormalization", name: node ?? name, inputs: [x, scale, bias, mean, variance], attributes: ["epsilon": .float(1e-5)])
    }

    /// Global average pooling, flattening and a fully connected layer to `classes` outputs (the
    /// graph's output).
    mutating func classifier(_ x: Int, channels: Int, classes: Int, pool: String, name: String) -> Int {
        var h = add("GlobalAveragePool", name: pool, inputs: [x])
        h = add("Flatten", name: "flatten", inputs: [h], attributes: ["axis": .int(1)])
        let w = addParameter(name + ".weight", shape: [classes, channels])
        let b = addParameter(name + ".bias", shape: [classes])
        h = add("Gemm", name: name, inputs: [h, w, b], attributes: ["transB": .int(1)])
        markOutput(h)
        return h
    }
}
