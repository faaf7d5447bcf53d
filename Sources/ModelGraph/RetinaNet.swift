/// RetinaNet (Lin, Goyal, Girshick, He and Dollár, "Focal Loss for Dense Object Detection",
/// ICCV 2017) as the MLPerf Training single-stage-detector benchmark builds it
/// (mlcommons/training `single_stage_detector/ssd/model/retinanet.py`, torchvision's
/// `retinanet_resnext50_32x4d_fpn` with the OpenImages-MLPerf classes), at any batch size
/// and image size.
///
/// - Backbone: ResNeXt-50 32×4d (grouped 3×3 convolutions, 32 groups of width 4·2^stage) with
///   frozen batch norms; FPN with 256 channels on C3…C5 and P6/P7 from stride-2 3×3
///   convolutions on P5 and on ReLU(P6) (`LastLevelP6P7(256, 256)`) (``FeaturePyramid``).
/// - Heads, shared over P3…P7: classification — four 3×3 convolutions 256 (ReLU) and a 3×3
///   convolution to 9 anchors × 264 classes; regression — four 3×3 convolutions 256 (ReLU)
///   and a 3×3 convolution to 9 × 4. All convolutions with bias. The outputs are the
///   per-level logits reshaped and concatenated to `[N, anchors, 264]` and `[N, anchors, 4]`
///   (anchor matching, the focal loss and NMS are not part of the graph).
///
/// Parameters: 37,060,652 — the exact count of this layer list: 22,911,680 in the ResNeXt-50
/// trunk (torchvision's 25,028,904 less the 2,049,000 of its classifier and the 68,224 of its
/// batch norms, frozen here), 2,688,512 in the FPN, 1,180,160 in P6/P7, 7,837,000 in the
/// classification head and 2,443,300 in the regression head. The ≈ 38 M usually quoted for
/// the MLPerf RetinaNet is 2.5% above it; no published exact figure was found to reconcile.
///
/// `size` is the side of the square input (800 by default, the benchmark's 800×800); at
/// least 128 (P7 at stride 128).
public enum RetinaNet {
    /// The zoo's names.
    public static let names = ["retinanet"]

    /// Anchors per location (3 scales × 3 aspect ratios).
    public static let anchors = 9

    /// The graph at `batchSize` on `size`×`size` images.
    public static func graph(batchSize: Int = 1, size: Int = 800, classes: Int = 264, name: String = "retinanet") throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...65536, source: name)
        try GraphBuilder.checkSize(size, "size", within: 128...4096, source: name)
        try GraphBuilder.checkSize(classes, "classes", within: 1...65536, source: name)
        var net = ResNet.Layers(builder: GraphBuilder(name: name), frozenNorm: true)
        let image = net.builder.addInput("images", shape: [batchSize, 3, size, size])
        let trunk = FeaturePyramid.trunk(&net, input: image, groups: 32, widthPerGroup: 4)
        var g = net.builder
        var levels = FeaturePyramid.pyramid(&g, features: Array(trunk.dropFirst()), firstLevel: 3)
        let p6 = g.conv(levels[2], from: 256, to: 256, kernel: [3, 3], stride: [2, 2], bias: true, name: "backbone.fpn.extra_blocks.p6")
        let p7 = g.conv(g.add("Relu", name: "backbone.fpn.extra_blocks.relu", inputs: [p6]), from: 256, to: 256,
                        kernel: [3, 3], stride: [2, 2], bias: true, name: "backbone.fpn.extra_blocks.p7")
        levels += [p6, p7]

        func head(_ label: String, outputs: Int) -> Int {
            let weights = (0..<5).map { i -> (Int, Int) in
                let (cin, cout) = (256, i < 4 ? 256 : outputs)
                let n = i < 4 ? "\(label).conv.\(2 * i)" : (label == "head.classification_head" ? "\(label).cls_logits" : "\(label).bbox_reg")
                return (g.addParameter(n + ".weight", shape: [cout, cin, 3, 3]), g.addParameter(n + ".bias", shape: [cout]))
            }
            var perLevel: [Int] = []
            for (l, p) in levels.enumerated() {
                var x = p
                for (i, w) in weights.enumerated() {
                    x = g.add("Conv", name: "\(label).p\(l + 3).conv\(i)", inputs: [x, w.0, w.1], attributes: [
                        "kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]),
                    ])
                    if i < 4 { x = g.add("Relu", name: "\(label).p\(l + 3).relu\(i)", inputs: [x]) }
                }
                // (N, A·K, H, W) → (N, H·W·A, K).
                guard let s = g.tensors[x].shape else { continue }
                let k = outputs / anchors
                x = g.reshape(x, to: [s[0], anchors, k, s[2], s[3]], name: "\(label).p\(l + 3).view")
                x = g.add("Transpose", name: "\(label).p\(l + 3).permute", inputs: [x], attributes: ["perm": .ints([0, 3, 4, 1, 2])])
                perLevel.append(g.reshape(x, to: [s[0], s[2] * s[3] * anchors, k], name: "\(label).p\(l + 3).flat"))
            }
            return g.add("Concat", name: label + ".concat", inputs: perLevel, attributes: ["axis": .int(1)])
        }
        g.markOutput(head("head.classification_head", outputs: anchors * classes))
        g.markOutput(head("head.regression_head", outputs: anchors * 4))
        return try g.build()
    }

    /// The graph by zoo name; `size` is the square image side (800 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, size: size ?? 800, name: model)
    }
}
