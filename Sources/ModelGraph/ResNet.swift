/// ResNet (He, Zhang, Ren and Sun, "Deep Residual Learning for Image Recognition", CVPR 2016)
/// as torchvision builds it, at any batch size, resolution, depth and width: the zoo's first
/// Swift-built family, and the graphs the predictor's property tests sweep.
///
/// `resnet18`/`34` use basic blocks, `resnet50`/`101`/`152` bottlenecks (torchvision's V1.5:
/// the stride on the 3×3 convolution). `widthMultiplier` scales every stage's channels (a
/// wide-ResNet's bottleneck width is `widthMultiplier`·64·2^stage); `depthMultiplier` scales the
/// number of blocks per stage (at least one each). At multipliers 1 the graphs have exactly
/// torchvision's parameter counts (ResNet-18 11,689,512; ResNet-50 25,557,032) and its
/// published multiply-accumulates at 224×224 (1.81 and 4.09 G; tested).
public enum ResNet {
    /// A named configuration: blocks per stage and block kind.
    public struct Config: Sendable, Hashable {
        public var blocks: [Int]
        public var bottleneck: Bool
        public init(blocks: [Int], bottleneck: Bool) {
            self.blocks = blocks
            self.bottleneck = bottleneck
        }
    }

    /// torchvision's depths.
    public static let configs: [String: Config] = [
        "resnet18": Config(blocks: [2, 2, 2, 2], bottleneck: false),
        "resnet34": Config(blocks: [3, 4, 6, 3], bottleneck: false),
        "resnet50": Config(blocks: [3, 4, 6, 3], bottleneck: true),
        "resnet101": Config(blocks: [3, 4, 23, 3], bottleneck: true),
        "resnet152": Config(blocks: [3, 8, 36, 3], bottleneck: true),
    ]

    /// The graph of `config` at `batchSize` on `resolution`×`resolution` RGB images.
    public static func graph(
        _ config: Config, batchSize: Int = 1, resolution: Int = 224, widthMultiplier: Double = 1,
        depthMultiplier: Double = 1, classes: Int = 1000, name: String = "resnet"
    ) throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...1048576, source: name)
        try GraphBuilder.checkSize(resolution, "resolution", within: 32...8192, source: name)
        guard widthMultiplier.isFinite, widthMultiplier >= 1.0 / 64, widthMultiplier <= 64,
              depthMultiplier.isFinite, depthMultiplier > 0, depthMultiplier <= 64 else {
            throw ModelGraphError.invalidSpec(source: name, field: "multiplier", reason: "width must be within 1/64...64 and depth within (0, 64]")
        }
        var net = Layers(builder: GraphBuilder(name: name))
        let width = { (c: Int) in max(1, Int((Double(c) * widthMultiplier).rounded())) }
        let x = net.builder.addInput("input", shape: [batchSize, 3, resolution, resolution])
        var h = net.convBN(x, from: 3, to: width(64), kernel: 7, stride: 2, name: "conv1", relu: true)
        h = net.builder.add("MaxPool", name: "maxpool", inputs: [h], attributes: [
            "kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
        ])
        var channels = width(64)
        let expansion = config.bottleneck ? 4 : 1
        for (stage, count) in config.blocks.enumerated() {
            let planes = width(64 << stage)
            let blocks = max(1, Int((Double(count) * depthMultiplier).rounded()))
            for block in 0..<blocks {
                let stride = stage > 0 && block == 0 ? 2 : 1
                let label = "layer\(stage + 1).\(block)"
                h = config.bottleneck
                    ? net.bottleneck(h, from: channels, planes: planes, stride: stride, name: label)
                    : net.basic(h, from: channels, planes: planes, stride: stride, name: label)
                channels = planes * expansion
            }
        }
        _ = net.builder.classifier(h, channels: channels, classes: classes, pool: "avgpool", name: "fc")
        return try net.builder.build()
    }

    /// The graph of a torchvision depth by name (`resnet50`), or nil for another name.
    public static func graph(named model: String, batchSize: Int = 1, resolution: Int = 224) throws -> ModelGraph? {
        guard let config = configs[model] else { return nil }
        return try graph(config, batchSize: batchSize, resolution: resolution, name: model)
    }

    struct Layers {
        var builder: GraphBuilder
        /// Frozen batch norms (detection backbones: scale and bias are constants, not parameters).
        var frozenNorm = false

        mutating func convBN(
            _ x: Int, from cin: Int, to cout: Int, kernel: Int, stride: Int, group: Int = 1, name: String, relu: Bool
        ) -> Int {
            let w = builder.addParameter(name + ".weight", shape: [cout, cin / group, kernel, kernel])
            let p = kernel / 2
            let c = builder.add("Conv", name: name, inputs: [x, w], attributes: [
                "kernel_shape": .ints([kernel, kernel]), "strides": .ints([stride, stride]),
                "pads": .ints([p, p, p, p]), "dilations": .ints([1, 1]), "group": .int(group),
            ])
            let bnName = name.replacingOccurrences(of: "conv", with: "bn")
            let node = bnName + (bnName == name ? ".bn" : "")
            let n = frozenNorm
                ? builder.frozenBatchNorm(c, channels: cout, name: bnName, node: node)
                : builder.batchNorm(c, channels: cout, name: bnName, node: node)
            return relu ? builder.add("Relu", name: name + ".relu", inputs: [n]) : n
        }

        /// The shortcut: identity, or a strided 1×1 convolution and batch norm where the shape changes.
        mutating func shortcut(_ x: Int, from cin: Int, to cout: Int, stride: Int, name: String) -> Int {
            guard stride != 1 || cin != cout else { return x }
            return convBN(x, from: cin, to: cout, kernel: 1, stride: stride, name: name + ".downsample.conv", relu: false)
        }

        mutating func basic(_ x: Int, from cin: Int, planes: Int, stride: Int, name: String) -> Int {
            let a = convBN(x, from: cin, to: planes, kernel: 3, stride: stride, name: name + ".conv1", relu: true)
            let b = convBN(a, from: planes, to: planes, kernel: 3, stride: 1, name: name + ".conv2", relu: false)
            let s = shortcut(x, from: cin, to: planes, stride: stride, name: name)
            let sum = builder.add("Add", name: name + ".add", inputs: [b, s])
            return builder.add("Relu", name: name + ".relu", inputs: [sum])
        }

        /// torchvision's bottleneck; `width` (default `planes`) and `groups` give ResNeXt's
        /// grouped 3×3 convolution (`width = planes · base_width / 64 · groups`).
        mutating func bottleneck(
            _ x: Int, from cin: Int, planes: Int, stride: Int, width: Int? = nil, groups: Int = 1, name: String
        ) -> Int {
            let w = width ?? planes
            let a = convBN(x, from: cin, to: w, kernel: 1, stride: 1, name: name + ".conv1", relu: true)
            let b = convBN(a, from: w, to: w, kernel: 3, stride: stride, group: groups, name: name + ".conv2", relu: true)
            let c = convBN(b, from: w, to: planes * 4, kernel: 1, stride: 1, name: name + ".conv3", relu: false)
            let s = shortcut(x, from: cin, to: planes * 4, stride: stride, name: name)
            let sum = builder.add("Add", name: name + ".add", inputs: [c, s])
            return builder.add("Relu", name: name + ".relu", inputs: [sum])
        }
    }
}
