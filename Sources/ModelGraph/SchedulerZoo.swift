/// The job types of two GPU-cluster schedulers' workloads, as Swift-built graphs a
/// performance predictor can read:
///
/// - Gavel (Narayanan, Santhanam, Kazhamiaka, Phanishayee and Zaharia, "Heterogeneity-Aware
///   Cluster Scheduling Policies for Deep Learning Workloads", OSDI 2020): the seven job
///   families of its simulator's throughput table (`scheduler/job_table.py` of
///   stanford-futuredata/gavel, code under `workloads/pytorch/`): `resnet18-cifar10`,
///   `resnet50-imagenet`, `transformer-multi30k`, `lstm-wikitext2`, `autoencoder-ml20m`,
///   `a3c-pong` and `cyclegan-monet2photo`.
/// - Lucid (Hu, Sun, Wen, Lin, Zhang, Xiong and Wang, "Lucid: A Non-intrusive, Scalable and
///   Interpretable Scheduler for Deep Learning Training Jobs", ASPLOS 2023): its workload
///   models `dcgan-lsun`, `efficientnet-cifar10`, `mobilenetv2-cifar10`,
///   `mobilenetv3-imagenet`, `pointnet-shapenet`, `vgg-cifar10`, `neumf-movielens`,
///   `ppo-lunarlander`, `td3-bipedalwalker` and `bert-squad`, plus the Transformer and LSTM
///   language model it shares with Gavel (one builder each).
///
/// Every graph is the forward pass of one training iteration at the caller's batch size,
/// with the trained model's exact parameter set (shared weights counted once); running
/// statistics of batch norms and fixed positional tables are constants. `size` overrides
/// the family's resolution, sequence length or input width (see each builder's docs).
public enum SchedulerZoo {
    /// A family's builder: batch size and optional size override.
    typealias Builder = @Sendable (Int, Int?) throws -> ModelGraph

    /// The registered families in order (Gavel's seven first, then Lucid's).
    static let builders: [(name: String, build: Builder)] = [
        ("resnet18-cifar10", { try resnet18CIFAR(batch: $0, size: $1) }),
        ("resnet50-imagenet", { try resnet50ImageNet(batch: $0, size: $1) }),
        ("transformer-multi30k", { try transformerMulti30k(batch: $0, size: $1) }),
        ("lstm-wikitext2", { try lstmWikiText2(batch: $0, size: $1) }),
        ("autoencoder-ml20m", { try autoencoderML20M(batch: $0, size: $1) }),
        ("a3c-pong", { try a3cPong(batch: $0, size: $1) }),
        ("cyclegan-monet2photo", { try cycleGAN(batch: $0, size: $1) }),
        ("dcgan-lsun", { try dcgan(batch: $0, size: $1) }),
        ("efficientnet-cifar10", { try efficientNetB0CIFAR(batch: $0, size: $1) }),
        ("mobilenetv2-cifar10", { try mobileNetV2CIFAR(batch: $0, size: $1) }),
        ("mobilenetv3-imagenet", { try mobileNetV3Large(batch: $0, size: $1) }),
        ("pointnet-shapenet", { try pointNet(batch: $0, size: $1) }),
        ("vgg-cifar10", { try vggCIFAR(batch: $0, size: $1) }),
        ("neumf-movielens", { try neuMF(batch: $0, size: $1) }),
        ("ppo-lunarlander", { try ppoLunarLander(batch: $0, size: $1) }),
        ("td3-bipedalwalker", { try td3BipedalWalker(batch: $0, size: $1) }),
        ("bert-squad", { try bertSQuAD(batch: $0, size: $1) }),
    ]

    /// The registered names, Gavel's seven first.
    public static var names: [String] { builders.map(\.name) }

    /// The graph of family `name` at `batchSize`; `size` overrides the resolution, sequence
    /// length or input width (the family's default when nil). Nil for an unknown name;
    /// throws ``ModelGraphError/invalidSpec(source:field:reason:)`` for a bad size.
    public static func graph(named name: String, batchSize: Int, size: Int? = nil) throws -> ModelGraph? {
        guard let entry = builders.first(where: { $0.name == name }) else { return nil }
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...1048576, source: name)
        return try entry.build(batchSize, size)
    }

    /// `size ?? fallback`, checked against `range`.
    static func resolve(_ size: Int?, default fallback: Int, range: ClosedRange<Int>, field: String, model: String) throws -> Int {
        let value = size ?? fallback
        guard range.contains(value) else {
            throw ModelGraphError.invalidSpec(
                source: model, field: field, reason: "must be within \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }
}

/// A ``GraphBuilder`` with parameters shared by name (a network applied twice, tied
/// embeddings) and node names prefixed by the current `scope`.
struct ZooNet {
    var g: GraphBuilder
    var scope = ""
    private var shared: [String: Int] = [:]

    init(_ name: String) { g = GraphBuilder(name: name) }

    func label(_ name: String) -> String { scope.isEmpty ? name : scope + "/" + name }

    /// The parameter `name`, created on first use.
    mutating func param(_ name: String, _ shape: [Int]) -> Int {
        if let id = shared[name] { return id }
        let id = g.addParameter(name, shape: shape)
        shared[name] = id
        return id
    }

    /// A constant `name` (running statistics, fixed tables), created on first use.
    mutating func constant(_ name: String, _ shape: [Int], ints: [Int]? = nil) -> Int {
        if let id = shared[name] { return id }
        let id = g.addConstant(name, shape: shape, dtype: ints == nil ? .float32 : .int64, intValues: ints)
        shared[name] = id
        return id
    }

    mutating func op(_ type: String, _ inputs: [Int], _ attributes: [String: AttributeValue] = [:], name: String) -> Int {
        g.add(type, name: label(name), inputs: inputs, attributes: attributes)
    }

    /// A 2-D convolution with PyTorch's weight layout and padding `pad` (k/2 when nil).
    mutating func conv(
        _ x: Int, _ cin: Int, _ cout: Int, k: Int, stride: Int = 1, pad: Int? = nil, group: Int = 1,
        bias: Bool, name: String
    ) -> Int {
        var inputs = [x, param(name + ".weight", [cout, cin / group, k, k])]
        if bias { inputs.append(param(name + ".bias", [cout])) }
        let p = pad ?? k / 2
        return op("Conv", inputs, [
            "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]), "pads": .ints([p, p, p, p]),
            "dilations": .ints([1, 1]), "group": .int(group),
        ], name: name)
    }

    /// A 1-D convolution of kernel 1 (a per-point dense layer on `[N, C, L]`).
    mutating func conv1x1(_ x: Int, _ cin: Int, _ cout: Int, bias: Bool = true, name: String) -> Int {
        var inputs = [x, param(name + ".weight", [cout, cin, 1])]
        if bias { inputs.append(param(name + ".bias", [cout])) }
        return op("Conv", inputs, [
            "kernel_shape": .ints([1]), "strides": .ints([1]), "pads": .ints([0, 0]), "dilations": .ints([1]), "group": .int(1),
        ], name: name)
    }

    /// A 2-D transposed convolution (`[C_in, C_out, k, k]` weight).
    mutating func convTranspose(_ x: Int, _ cin: Int, _ cout: Int, k: Int, stride: Int, pad: Int, bias: Bool, name: String) -> Int {
        var inputs = [x, param(name + ".weight", [cin, cout, k, k])]
        if bias { inputs.append(param(name + ".bias", [cout])) }
        return op("ConvTranspose", inputs, [
            "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]), "pads": .ints([pad, pad, pad, pad]),
            "dilations": .ints([1, 1]), "group": .int(1),
        ], name: name)
    }

    /// Batch normalization: learned scale and bias, running statistics as constants.
    mutating func bn(_ x: Int, _ c: Int, name: String) -> Int {
        let inputs = [x, param(name + ".weight", [c]), param(name + ".bias", [c]),
                      constant(name + ".running_mean", [c]), constant(name + ".running_var", [c])]
        return op("BatchNormalization", inputs, ["epsilon": .float(1e-5)], name: name)
    }

    /// Instance normalization without affine parameters (PyTorch's `InstanceNorm2d`
    /// default): ONNX needs a scale and bias, given as constants.
    mutating func instanceNorm(_ x: Int, _ c: Int, name: String) -> Int {
        let inputs = [x, constant("instancenorm.ones.\(c)", [c]), constant("instancenorm.zeros.\(c)", [c])]
        return op("InstanceNormalization", inputs, ["epsilon": .float(1e-5)], name: name)
    }

    /// An activation by ONNX type; `LeakyRelu` takes `alpha`.
    mutating func act(_ x: Int, _ type: String, alpha: Double? = nil, name: String) -> Int {
        op(type, [x], alpha.map { ["alpha": .float($0)] } ?? [:], name: name)
    }

    /// A fully connected layer on the last dimension (`MatMul` by `[in, out]`, bias `Add`).
    mutating func dense(_ x: Int, _ cin: Int, _ cout: Int, bias: Bool = true, name: String) -> Int {
        let y = op("MatMul", [x, param(name + ".weight", [cin, cout])], name: name)
        guard bias else { return y }
        return op("Add", [y, param(name + ".bias", [cout])], name: name + ".add_bias")
    }

    mutating func reshape(_ x: Int, _ shape: [Int], name: String) -> Int {
        let s = g.addConstant(label(name) + ".shape", shape: [shape.count], dtype: .int64, intValues: shape)
        return op("Reshape", [x, s], name: name)
    }

    mutating func flatten(_ x: Int, name: String) -> Int { op("Flatten", [x], ["axis": .int(1)], name: name) }

    mutating func build(outputs: [Int]) throws -> ModelGraph {
        for o in outputs { g.markOutput(o) }
        return try g.build()
    }
}
