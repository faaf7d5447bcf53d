/// Mask R-CNN (He, Gkioxari, Dollár and Girshick, "Mask R-CNN", ICCV 2017) with a ResNet-50
/// FPN backbone, as maskrcnn-benchmark's `e2e_mask_rcnn_R_50_FPN_1x` (the MLPerf Training
/// reference and NVIDIA DeepLearningExamples' PyTorch/Segmentation/MaskRCNN) and torchvision's
/// `maskrcnn_resnet50_fpn` build it, in training form, at any batch size and image size.
///
/// - Backbone: ResNet-50 (torchvision's, the stride on the 3×3 convolution; maskrcnn-benchmark
///   strides the 1×1, which changes a few FLOPs and no parameter) with frozen batch norms,
///   FPN with 256 channels on C2…C5 and P6 = stride-2 max-pool of P5 (``FeaturePyramid``).
/// - RPN head (shared over the five levels): 3×3 convolution 256 → 256 and ReLU, objectness
///   1×1 → 3 anchors, box deltas 1×1 → 12.
/// - Box head on 512 sampled RoIs per image (`BATCH_SIZE_PER_IMAGE`): RoIAlign 7×7 →
///   fc 12,544 → 1024 → 1024 (ReLU) → class scores (`classes`) and boxes (`4·classes`).
/// - Mask head on the positive RoIs, 128 per image (`POSITIVE_FRACTION` 0.25 of 512): RoIAlign
///   14×14 → four 3×3 convolutions 256 (ReLU) → ConvTranspose 2×2 stride 2 (ReLU) → 1×1 to
///   `classes` masks of 28×28.
///
/// Modelled: RoIAlign is ONNX's `RoiAlign` (sampling ratio 2, costed per sample; see
/// ``OpCostModel``). The level each RoI pools from is data-dependent, and its cost depends
/// only on the number of RoIs, so one `RoiAlign` over P2 pools all RoIs. The sampled RoIs are
/// graph inputs: anchor generation, proposal decoding, NMS, target matching and the losses
/// are not part of the graph (integer and sorting work, small next to the network).
///
/// Parameters: 44,401,393 at 91 classes — torchvision's published count for
/// `maskrcnn_resnet50_fpn` — and 44,347,573 at maskrcnn-benchmark's 81 (COCO's 80 and
/// background), the default here.
///
/// `size` is the shorter image side (800 by default); the longer is `size·1333/800`, both
/// padded to a multiple of 32 (maskrcnn-benchmark's `SIZE_DIVISIBILITY`): 800×1344.
public enum MaskRCNN {
    /// The zoo's names.
    public static let names = ["maskrcnn"]

    /// The graph at `batchSize` on images of shorter side `size`.
    public static func graph(
        batchSize: Int = 1, size: Int = 800, classes: Int = 81, boxRoIs: Int = 512, maskRoIs: Int = 128,
        name: String = "maskrcnn"
    ) throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...65536, source: name)
        try GraphBuilder.checkSize(size, "size", within: 64...4096, source: name)
        guard classes >= 2, classes <= 1 << 16, boxRoIs >= 1, boxRoIs <= 1 << 16, maskRoIs >= 1, maskRoIs <= boxRoIs else {
            throw ModelGraphError.invalidSpec(
                source: name, field: "heads", reason: "classes must be within 2...65536, box RoIs 1...65536 and mask RoIs 1...box RoIs")
        }
        let (height, width) = FeaturePyramid.paddedSize(shortSide: size)
        var net = ResNet.Layers(builder: GraphBuilder(name: name), frozenNorm: true)
        let image = net.builder.addInput("images", shape: [batchSize, 3, height, width])
        let trunk = FeaturePyramid.trunk(&net, input: image)
        var g = net.builder
        var levels = FeaturePyramid.pyramid(&g, features: trunk, firstLevel: 2)
        levels.append(g.add("MaxPool", name: "backbone.fpn.top_blocks.p6", inputs: [levels[3]], attributes: [
            "kernel_shape": .ints([1, 1]), "strides": .ints([2, 2]),
        ]))

        // RPN, weights shared over the levels.
        let rpnConv = (g.addParameter("rpn.head.conv.weight", shape: [256, 256, 3, 3]), g.addParameter("rpn.head.conv.bias", shape: [256]))
        let rpnCls = (g.addParameter("rpn.head.cls_logits.weight", shape: [3, 256, 1, 1]), g.addParameter("rpn.head.cls_logits.bias", shape: [3]))
        let rpnBox = (g.addParameter("rpn.head.bbox_pred.weight", shape: [12, 256, 1, 1]), g.addParameter("rpn.head.bbox_pred.bias", shape: [12]))
        for (i, p) in levels.enumerated() {
            let conv = { (g: inout GraphBuilder, x: Int, w: (Int, Int), k: Int, label: String) -> Int in
                g.add("Conv", name: label, inputs: [x, w.0, w.1], attributes: [
                    "kernel_shape": .ints([k, k]), "pads": .ints([k / 2, k / 2, k / 2, k / 2]),
                ])
            }
            var t = conv(&g, p, rpnConv, 3, "rpn.head.conv.p\(i + 2)")
            t = g.add("Relu", name: "rpn.head.relu.p\(i + 2)", inputs: [t])
            g.markOutput(conv(&g, t, rpnCls, 1, "rpn.head.cls_logits.p\(i + 2)"))
            g.markOutput(conv(&g, t, rpnBox, 1, "rpn.head.bbox_pred.p\(i + 2)"))
        }

        // Box head.
        let boxes = batchSize * boxRoIs, masks = batchSize * maskRoIs
        let rois = g.addInput("proposals", shape: [boxes, 4])
        let roiBatch = g.addInput("proposal_batch_indices", shape: [boxes], dtype: .int64)
        var x = g.add("RoiAlign", name: "roi_heads.box.pooler", inputs: [levels[0], rois, roiBatch], attributes: [
            "output_height": .int(7), "output_width": .int(7), "sampling_ratio": .int(2), "spatial_scale": .float(0.25),
        ])
        x = g.add("Flatten", name: "roi_heads.box.flatten", inputs: [x], attributes: ["axis": .int(1)])
        for (i, (cin, label)) in [(256 * 49, "fc6"), (1024, "fc7")].enumerated() {
            let w = g.addParameter("roi_heads.box.feature_extractor.\(label).weight", shape: [1024, cin])
            let b = g.addParameter("roi_heads.box.feature_extractor.\(label).bias", shape: [1024])
            x = g.add("Gemm", name: "roi_heads.box.feature_extractor.\(label)", inputs: [x, w, b], attributes: ["transB": .int(1)])
            x = g.add("Relu", name: "roi_heads.box.relu\(i + 6)", inputs: [x])
        }
        for (label, out) in [("cls_score", classes), ("bbox_pred", 4 * classes)] {
            let w = g.addParameter("roi_heads.box.predictor.\(label).weight", shape: [out, 1024])
            let b = g.addParameter("roi_heads.box.predictor.\(label).bias", shape: [out])
            g.markOutput(g.add("Gemm", name: "roi_heads.box.predictor.\(label)", inputs: [x, w, b], attributes: ["transB": .int(1)]))
        }

        // Mask head.
        let mrois = g.addInput("positive_proposals", shape: [masks, 4])
        let mBatch = g.addInput("positive_batch_indices", shape: [masks], dtype: .int64)
        var m = g.add("RoiAlign", name: "roi_heads.mask.pooler", inputs: [levels[0], mrois, mBatch], attributes: [
            "output_height": .int(14), "output_width": .int(14), "sampling_ratio": .int(2), "spatial_scale": .float(0.25),
        ])
        for i in 1...4 {
            m = g.conv(m, from: 256, to: 256, kernel: [3, 3], bias: true, name: "roi_heads.mask.feature_extractor.mask_fcn\(i)")
            m = g.add("Relu", name: "roi_heads.mask.relu\(i)", inputs: [m])
        }
        let wd = g.addParameter("roi_heads.mask.predictor.conv5_mask.weight", shape: [256, 256, 2, 2])
        let bd = g.addParameter("roi_heads.mask.predictor.conv5_mask.bias", shape: [256])
        m = g.add("ConvTranspose", name: "roi_heads.mask.predictor.conv5_mask", inputs: [m, wd, bd], attributes: [
            "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]),
        ])
        m = g.add("Relu", name: "roi_heads.mask.relu5", inputs: [m])
        m = g.conv(m, from: 256, to: classes, kernel: [1, 1], bias: true, name: "roi_heads.mask.predictor.mask_fcn_logits")
        g.markOutput(m)
        return try g.build()
    }

    /// The graph by zoo name; `size` is the shorter image side (800 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, size: size ?? 800, name: model)
    }
}
