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

    /// `BatchNormalization` whose scale and bias are frozen (constants): torchvision's and
    /// maskrcnn-benchmark's `FrozenBatchNorm2d` in detection backbones.
    mutating func frozenBatchNorm(_ x: Int, channels c: Int, name: String, node: String? = nil) -> Int {
        let inputs = ["weight", "bias", "running_mean", "running_var"].map {
            addConstant(name + "." + $0, shape: [c], dtype: .float32)
        }
        return add("BatchNormalization", name: node ?? name, inputs: [x] + inputs, attributes: ["epsilon": .float(1e-5)])
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

/// Layers of the Swift-built detection, speech and translation networks (``SSD300``,
/// ``GNMT``, ``Tacotron2``, ``WaveGlow``).
extension GraphBuilder {
    /// A 1-, 2- or 3-D convolution (`kernel.count` spatial dimensions) with PyTorch's
    /// `[C_out, C_in/group, k...]` weight and an optional bias.
    mutating func conv(
        _ x: Int, from cin: Int, to cout: Int, kernel: [Int], stride: [Int]? = nil, pad: [Int]? = nil,
        dilation: [Int]? = nil, group: Int = 1, bias: Bool, name: String
    ) -> Int {
        let n = kernel.count
        let w = addParameter(name + ".weight", shape: [cout, cin / group] + kernel)
        var inputs = [x, w]
        if bias { inputs.append(addParameter(name + ".bias", shape: [cout])) }
        let p = pad ?? kernel.map { $0 / 2 }
        return add("Conv", name: name, inputs: inputs, attributes: [
            "kernel_shape": .ints(kernel), "strides": .ints(stride ?? [Int](repeating: 1, count: n)),
            "pads": .ints(p + p), "dilations": .ints(dilation ?? [Int](repeating: 1, count: n)),
            "group": .int(group),
        ])
    }

    /// A fully connected layer on the last dimension of a tensor of any rank: `MatMul` by a
    /// `[in, out]` weight, then `Add` of the bias where present.
    mutating func linear(_ x: Int, from cin: Int, to cout: Int, bias: Bool, name: String) -> Int {
        let w = addParameter(name + ".weight", shape: [cin, cout])
        let y = add("MatMul", name: name, inputs: [x, w])
        guard bias else { return y }
        return add("Add", name: name + ".add_bias", inputs: [y, addParameter(name + ".bias", shape: [cout])])
    }

    /// A reshape to a fixed shape (the shape a constant with its values).
    mutating func reshape(_ x: Int, to shape: [Int], name: String) -> Int {
        let s = addConstant(name + ".shape", shape: [shape.count], dtype: .int64, intValues: shape)
        return add("Reshape", name: name, inputs: [x, s])
    }

    /// A PyTorch `nn.LSTM` layer as one ONNX `LSTM` on time-major `x` (`[seq, batch, input]`):
    /// weights `W` `[dirs, 4H, input]`, `R` `[dirs, 4H, H]` and both biases `B` `[dirs, 8H]`.
    /// Returns `[seq, batch, dirs·H]` (the directions concatenated, as PyTorch does).
    mutating func lstm(
        _ x: Int, seq: Int, batch: Int, input: Int, hidden: Int, bidirectional: Bool = false, name: String
    ) -> Int {
        let dirs = bidirectional ? 2 : 1
        let w = addParameter(name + ".weight_ih", shape: [dirs, 4 * hidden, input])
        let r = addParameter(name + ".weight_hh", shape: [dirs, 4 * hidden, hidden])
        let b = addParameter(name + ".bias", shape: [dirs, 8 * hidden])
        let y = addNode("LSTM", name: name, inputs: [x, w, r, b], attributes: [
            "hidden_size": .int(hidden), "direction": .string(bidirectional ? "bidirectional" : "forward"),
        ], outputNames: [name + ":Y", name + ":Y_h", name + ":Y_c"])[0]
        var h = y
        if bidirectional {
            h = add("Transpose", name: name + ".transpose", inputs: [h], attributes: ["perm": .ints([0, 2, 1, 3])])
        }
        return reshape(h, to: [seq, batch, dirs * hidden], name: name + ".reshape")
    }
}
