/// NAS-Bench-201 networks (Dong & Yang, ICLR 2020) built as ``ModelGraph``s.
///
/// Skeleton (the benchmark's `TinyNetwork`/`InferCell`, CIFAR-10): stem Conv3×3(3→16) + BN;
/// three stages of 5 cells at 16, 32, 64 channels; between stages a residual reduction
/// block (ReLU-Conv3×3(s2)-BN, ReLU-Conv3×3-BN, shortcut AvgPool(2, s2) + Conv1×1);
/// then BN + ReLU, global average pooling and a linear classifier; 32×32 input.
/// In a cell, node i sums its incoming edges; `none` edges are dropped, and a node with no
/// live edge is zero (edges out of it are dropped too; a zero cell output becomes a
/// zero-cost `Constant`). `nor_conv_k×k` is ReLU → Conv(k, bias-free) → BN;
/// `avg_pool_3x3` is AveragePool(3, s1, p1, count_include_pad = 0); `skip_connect` is the identity.
public enum NB201 {
    /// Builds the network of architecture string `arch` for `batchSize` images of
    /// `imageSize`² pixels and `classes` outputs.
    ///
    /// `executed` builds it as the benchmark's PyTorch `InferCell` runs it, which is what its
    /// latencies measured: every `none` edge is a multiplication by zero (`Zero`), every edge
    /// out of a node without live inputs still runs, and each node's sum starts from 0. The
    /// mathematical graph (default) drops all of that; it has the same multiply-accumulates,
    /// but architectures that differ only where their `none` edges are become identical.
    public static func graph(
        arch: String, batchSize: Int = 1, classes: Int = 10, imageSize: Int = 32, executed: Bool = false
    ) throws -> ModelGraph {
        let architecture = try NB201Architecture(arch)
        guard batchSize > 0, classes > 0, imageSize >= 4, imageSize % 4 == 0 else {
            throw ModelGraphError.invalidSpec(
                source: "NB201.graph", field: "batchSize/classes/imageSize",
                reason: "need positive batch and classes and an image size divisible by 4")
        }
        var net = Net(builder: GraphBuilder(name: "nb201 " + arch), batch: batchSize, executed: executed)
        var x = net.builder.addInput("image", shape: [batchSize, 3, imageSize, imageSize])
        x = net.conv(x, from: 3, to: 16, kernel: 3, stride: 1, size: imageSize, name: "stem.conv")
        x = net.batchNorm(x, channels: 16, name: "stem.bn")
        var channels = 16, size = imageSize
        for stage in 0..<3 {
            if stage > 0 {
                x = net.reduction(x, from: channels, to: 2 * channels, size: size, name: "reduce\(stage)")
                channels *= 2
                size /= 2
            }
            for cell in 0..<5 {
                x = net.cell(architecture, x, channels: channels, size: size, name: "stage\(stage).cell\(cell)")
            }
        }
        x = net.batchNorm(x, channels: channels, name: "lastact.bn")
        x = net.builder.add("Relu", name: "lastact.relu", inputs: [x])
        _ = net.builder.classifier(x, channels: channels, classes: classes, pool: "global_pool", name: "classifier")
        return try net.builder.build()
    }
}
