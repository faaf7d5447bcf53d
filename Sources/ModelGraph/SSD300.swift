/// SSD300 (Liu, Anguelov, Erhan, Szegedy, Reed, Fu and Berg, "SSD: Single Shot MultiBox
/// Detector", ECCV 2016) as NVIDIA DeepLearningExamples builds it (PyTorch/Detection/SSD,
/// "SSD300 v1.1", `src/model.py`; the model MLPerf Training v0.5–v0.7 also ran), at any
/// batch size and input resolution.
///
/// Backbone: torchvision's ResNet-50 truncated after `layer3`, with `layer3`'s first block
/// at stride 1 (its 3×3 convolution and down-sampling shortcut), so the first feature map is
/// 38×38×1024 at 300×300. Extra layers (no bias, batch norm, ReLU): for
/// `(in, mid, out)` = (1024, 256, 512), (512, 256, 512), (512, 128, 256), (256, 128, 256),
/// (256, 128, 256), a 1×1 convolution `in → mid` and a 3×3 `mid → out`, stride 2 with
/// padding 1 for the first three and stride 1 without padding for the last two: feature maps
/// 38, 19, 10, 5, 3, 1. Heads: per feature map a 3×3 convolution (with bias) to
/// `defaults·4` box offsets and one to `defaults·81` class scores (COCO's 80 classes and
/// background), defaults 4, 6, 6, 6, 4, 4 — 8,732 boxes at 300×300; the outputs are the
/// concatenated `[N, 4, boxes]` offsets and `[N, 81, boxes]` scores (the loss and box
/// decoding are not part of the graph).
///
/// Parameters: 22,894,902 at 81 classes (computed from the layer list above: 8,543,296 in
/// the truncated ResNet-50, 3,773,696 in the extra layers with their batch norms, 10,577,910
/// in the heads; batch norms' running statistics are not parameters). NVIDIA's page gives
/// no total; this is the layer list's exact count (≈ 22.9 M, within the 22–25 M usually
/// quoted for SSD300-ResNet-50).
public enum SSD300 {
    /// The zoo's names.
    public static let names = ["ssd300"]

    /// Default boxes per location of each feature map.
    public static let defaultBoxes = [4, 6, 6, 6, 4, 4]

    /// The graph at `batchSize` on `resolution`×`resolution` RGB images (300 in the paper;
    /// any resolution whose last feature map is at least 1×1, from 257 up).
    public static func graph(batchSize: Int = 1, resolution: Int = 300, classes: Int = 81, name: String = "ssd300") throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...1048576, source: name)
        try GraphBuilder.checkSize(classes, "classes", within: 2...65536, source: name)
        let sizes = featureSizes(resolution: resolution)
        guard resolution <= 8192, let last = sizes.last, last >= 1 else {
            throw ModelGraphError.invalidSpec(
                source: name, field: "resolution",
                reason: "must be within 257...8192 (the sixth feature map needs 3×3 before its unpadded 3×3 convolution), got \(resolution)")
        }
        var net = ResNet.Layers(builder: GraphBuilder(name: name))
        let x = net.builder.addInput("input", shape: [batchSize, 3, resolution, resolution])
        var h = net.convBN(x, from: 3, to: 64, kernel: 7, stride: 2, name: "conv1", relu: true)
        h = net.builder.add("MaxPool", name: "maxpool", inputs: [h], attributes: [
            "kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
        ])
        var channels = 64
        for (stage, count) in [3, 4, 6].enumerated() {
            let planes = 64 << stage
            for block in 0..<count {
                let stride = stage == 1 && block == 0 ? 2 : 1
                h = net.bottleneck(h, from: channels, planes: planes, stride: stride, name: "layer\(stage + 1).\(block)")
                channels = planes * 4
            }
        }
        var features = [(h, 1024)]
        let extras = [(1024, 256, 512), (512, 256, 512), (512, 128, 256), (256, 128, 256), (256, 128, 256)]
        for (i, (cin, mid, cout)) in extras.enumerated() {
            let strided = i < 3
            let a = net.convBN(features.last!.0, from: cin, to: mid, kernel: 1, stride: 1, name: "additional_blocks.\(i).conv1", relu: true)
            let w = net.builder.addParameter("additional_blocks.\(i).conv2.weight", shape: [cout, mid, 3, 3])
            let p = strided ? 1 : 0, s = strided ? 2 : 1
            let c = net.builder.add("Conv", name: "additional_blocks.\(i).conv2", inputs: [a, w], attributes: [
                "kernel_shape": .ints([3, 3]), "strides": .ints([s, s]), "pads": .ints([p, p, p, p]),
                "dilations": .ints([1, 1]), "group": .int(1),
            ])
            let n = net.builder.batchNorm(c, channels: cout, name: "additional_blocks.\(i).bn2")
            features.append((net.builder.add("Relu", name: "additional_blocks.\(i).relu2", inputs: [n]), cout))
        }
        var locs: [Int] = [], confs: [Int] = []
        for (i, (f, c)) in features.enumerated() {
            let d = defaultBoxes[i], cells = sizes[i] * sizes[i]
            let l = net.builder.conv(f, from: c, to: d * 4, kernel: [3, 3], bias: true, name: "loc.\(i)")
            locs.append(net.builder.reshape(l, to: [batchSize, 4, d * cells], name: "loc.\(i).view"))
            let k = net.builder.conv(f, from: c, to: d * classes, kernel: [3, 3], bias: true, name: "conf.\(i)")
            confs.append(net.builder.reshape(k, to: [batchSize, classes, d * cells], name: "conf.\(i).view"))
        }
        let loc = net.builder.add("Concat", name: "locs", inputs: locs, attributes: ["axis": .int(2)])
        let conf = net.builder.add("Concat", name: "confs", inputs: confs, attributes: ["axis": .int(2)])
        net.builder.markOutput(loc)
        net.builder.markOutput(conf)
        return try net.builder.build()
    }

    /// Side of each of the six feature maps at `resolution` (38, 19, 10, 5, 3, 1 at 300);
    /// empty where a map would vanish.
    public static func featureSizes(resolution: Int) -> [Int] {
        func out(_ x: Int, _ k: Int, _ s: Int, _ p: Int) -> Int { (x + 2 * p - k) >= 0 ? (x + 2 * p - k) / s + 1 : 0 }
        guard resolution >= 1, resolution <= 1 << 20 else { return [] }
        var f = out(out(out(resolution, 7, 2, 3), 3, 2, 1), 3, 2, 1)
        var sizes = [f]
        for i in 0..<5 {
            f = i < 3 ? out(f, 3, 2, 1) : out(f, 3, 1, 0)
            guard f >= 1 else { return [] }
            sizes.append(f)
        }
        return sizes
    }

    /// The graph by zoo name; `size` is the input resolution (300 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, resolution: size ?? 300, name: model)
    }
}
