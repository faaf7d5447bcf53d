/// 3D U-Net (Çiçek, Abdulkadir, Lienkamp, Brox and Ronneberger, "3D U-Net: Learning Dense
/// Volumetric Segmentation from Sparse Annotation", MICCAI 2016) as the MLPerf Training
/// image-segmentation benchmark builds it for KiTS19 (mlcommons/training
/// `image_segmentation/pytorch/model/unet3d.py` and `layers.py`), at any batch size and
/// patch size.
///
/// Channels 32, 64, 128, 256, 320 (and a 320 bottleneck): an input block of two 3×3×3
/// convolutions, four stride-2 down-sampling blocks and the bottleneck (each two 3×3×3
/// convolutions, the first strided), five up-sampling blocks (ConvTranspose3d 2×2×2 stride 2
/// with bias, concatenation with the skip, two 3×3×3 convolutions) and a 1×1×1 output
/// convolution to 3 classes (background, kidney, tumour). Every 3×3×3 convolution is
/// without bias and followed by affine instance normalization and ReLU (the layers' default is
/// LeakyReLU, one FLOP more per element; the benchmark selects it by `--activation`). One input channel
/// (CT).
///
/// Parameters: 31,190,243 — the exact count of the reference's layer list above (the
/// ≈ 19 M sometimes quoted does not match that code; the layer-by-layer sum is in
/// `UNet3DTests`).
///
/// `size` is the side of the cubic patch (128 by default, the benchmark's 128×128×128); it
/// must be a multiple of 32 (five halvings).
public enum UNet3D {
    /// The zoo's names.
    public static let names = ["unet3d"]

    /// The graph at `batchSize` on `size`³ patches.
    public static func graph(batchSize: Int = 1, size: Int = 128, classes: Int = 3, name: String = "unet3d") throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...65536, source: name)
        guard size >= 32, size <= 1024, size % 32 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "size", reason: "must be a multiple of 32 within 32...1024, got \(size)")
        }
        try GraphBuilder.checkSize(classes, "classes", within: 1...1024, source: name)
        var g = GraphBuilder(name: name)
        func block(_ x: Int, _ cin: Int, _ cout: Int, stride: Int, _ label: String) -> Int {
            var h = g.conv(x, from: cin, to: cout, kernel: [3, 3, 3], stride: [stride, stride, stride], bias: false, name: label + ".0")
            let scale = g.addParameter(label + ".1.weight", shape: [cout])
            let bias = g.addParameter(label + ".1.bias", shape: [cout])
            h = g.add("InstanceNormalization", name: label + ".1", inputs: [h, scale, bias], attributes: ["epsilon": .float(1e-5)])
            return g.add("Relu", name: label + ".2", inputs: [h])
        }
        let filters = [32, 64, 128, 256, 320]
        let input = g.addInput("image", shape: [batchSize, 1, size, size, size])
        var x = block(input, 1, filters[0], stride: 1, "input_block.conv1")
        x = block(x, filters[0], filters[0], stride: 1, "input_block.conv2")
        var skips = [x]
        for (i, (cin, cout)) in zip(filters.dropLast(), filters.dropFirst()).enumerated() {
            x = block(x, cin, cout, stride: 2, "downsample.\(i).conv1")
            x = block(x, cout, cout, stride: 1, "downsample.\(i).conv2")
            skips.append(x)
        }
        x = block(x, 320, 320, stride: 2, "bottleneck.conv1")
        x = block(x, 320, 320, stride: 1, "bottleneck.conv2")
        let ups = [(320, 320)] + Array(zip(filters.dropFirst().reversed(), filters.dropLast().reversed()))
        for (i, ((cin, cout), skip)) in zip(ups, skips.reversed()).enumerated() {
            let l = "upsample.\(i)"
            let w = g.addParameter(l + ".upsample_conv.0.weight", shape: [cin, cout, 2, 2, 2])
            let b = g.addParameter(l + ".upsample_conv.0.bias", shape: [cout])
            x = g.add("ConvTranspose", name: l + ".upsample_conv.0", inputs: [x, w, b], attributes: [
                "kernel_shape": .ints([2, 2, 2]), "strides": .ints([2, 2, 2]),
            ])
            x = g.add("Concat", name: l + ".cat", inputs: [x, skip], attributes: ["axis": .int(1)])
            x = block(x, 2 * cout, cout, stride: 1, l + ".conv1")
            x = block(x, cout, cout, stride: 1, l + ".conv2")
        }
        x = g.conv(x, from: filters[0], to: classes, kernel: [1, 1, 1], bias: true, name: "output.conv.0")
        g.markOutput(x)
        return try g.build()
    }

    /// The graph by zoo name; `size` is the patch side (128 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, size: size ?? 128, name: model)
    }
}
