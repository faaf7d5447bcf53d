/// A multilayer perceptron from its list of layers, as GPUMemNet (Baghban Karimi et al.,
/// "GPUMemNet: GPU Memory Estimator for Deep Learning Training", 2025) records the random MLPs
/// it trained: `linear` layers with their output features, `batch_normalization`, `dropout`
/// and activations by PyTorch's class name (`ReLU`, `GELU`, `SiLU`, `PReLU`, …), each in order.
/// A `linear` layer is a `Gemm` with weight and bias (PyTorch's `nn.Linear`), so the graph has
/// the parameter count torchsummary reports for the same list.
public enum MLPNet {
    /// One layer of the list.
    public struct Layer: Sendable, Hashable {
        /// `linear`, `batch_normalization`, `dropout`, or an activation's PyTorch class name.
        public var kind: String
        /// Output features (for `linear`; carried but not needed for the others).
        public var features: Int
        public init(kind: String, features: Int) {
            self.kind = kind
            self.features = features
        }
    }

    /// ONNX operators of PyTorch's activation classes.
    static let activations: [String: String] = [
        "ReLU": "Relu", "GELU": "Gelu", "SiLU": "Swish", "Mish": "Mish", "SELU": "Selu", "ELU": "Elu",
        "Tanh": "Tanh", "LeakyReLU": "LeakyRelu", "Softplus": "Softplus", "PReLU": "PRelu",
        "Sigmoid": "Sigmoid", "Softmax": "Softmax", "Identity": "Identity",
    ]

    /// The graph of `layers` on `inputs` features at `batchSize`. Throws for an unknown layer
    /// kind, a non-positive size, or a list that does not start with a `linear` layer.
    public static func graph(layers: [Layer], inputs: Int, batchSize: Int, name: String = "mlp") throws -> ModelGraph {
        guard batchSize > 0, batchSize <= 1 << 24, inputs > 0, inputs <= 1 << 24 else {
            throw ModelGraphError.invalidSpec(source: name, field: "batch/inputs", reason: "must be within 1...16777216")
        }
        guard layers.first?.kind == "linear" else {
            throw ModelGraphError.invalidSpec(source: name, field: "layers", reason: "must start with a linear layer")
        }
        var b = GraphBuilder(name: name)
        var h = b.addInput("input", shape: [batchSize, inputs])
        var width = inputs
        for (i, layer) in layers.enumerated() {
            let label = "\(i)"
            switch layer.kind {
            case "linear":
                guard layer.features > 0, layer.features <= 1 << 24 else {
                    throw ModelGraphError.invalidSpec(source: name, field: "layers[\(i)]", reason: "linear layer needs 1...16777216 output features")
                }
                let w = b.addParameter(label + ".weight", shape: [layer.features, width])
                let bias = b.addParameter(label + ".bias", shape: [layer.features])
                h = b.add("Gemm", name: "linear_\(label)", inputs: [h, w, bias], attributes: ["transB": .int(1)])
                width = layer.features
            case "batch_normalization":
                h = b.batchNorm(h, channels: width, name: "bn_\(label)")
            case "dropout":
                h = b.add("Dropout", name: "dropout_\(label)", inputs: [h])
            default:
                guard let op = activations[layer.kind] else {
                    throw ModelGraphError.invalidSpec(source: name, field: "layers[\(i)]", reason: "unknown layer '\(layer.kind)'")
                }
                if op == "PRelu" {
                    let slope = b.addParameter(label + ".weight", shape: [1])
                    h = b.add(op, name: "prelu_\(label)", inputs: [h, slope])
                } else {
                    h = b.add(op, name: "\(op.lowercased())_\(label)", inputs: [h], attributes: op == "Softmax" ? ["axis": .int(1)] : [:])
                }
            }
        }
        b.markOutput(h)
        return try b.build()
    }
}
