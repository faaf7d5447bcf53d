/// Lucid's squeeze-and-excitation mobile networks: its CIFAR-10 "EfficientNetB0" and
/// torchvision's MobileNetV3-Large.
extension SchedulerZoo {
    /// Squeeze-and-excitation: global average pool, 1×1 conv `c`→`squeeze` with `inner`
    /// activation, 1×1 conv back with `gate`, and the channel-wise product.
    static func squeezeExcite(_ n: inout ZooNet, _ x: Int, _ c: Int, squeeze: Int, inner: String, gate: String, name: String) -> Int {
        var s = n.op("GlobalAveragePool", [x], name: name + ".pool")
        s = n.act(n.conv(s, c, squeeze, k: 1, bias: true, name: name + ".fc1"), inner, name: name + ".act1")
        // PyTorch's hardsigmoid is relu6(x + 3)/6: ONNX HardSigmoid with alpha 1/6.
        s = n.act(n.conv(s, squeeze, c, k: 1, bias: true, name: name + ".fc2"), gate, alpha: gate == "HardSigmoid" ? 1.0 / 6 : nil, name: name + ".gate")
        return n.op("Mul", [x, s], name: name + ".scale")
    }

    /// Lucid's `efficientnet-cifar10`: the `EfficientNetB0` of Lucid's
    /// `workloads/cifar/models/efficientnet.py` (an early kuangliu/pytorch-cifar version, not
    /// the paper's B0): stem 3×3 conv 3→32 at stride 1 with batch norm and ReLU; blocks
    /// (expansion, out, count, stride) (1,16,1,2), (6,24,2,1), (6,40,2,2), (6,80,3,2),
    /// (6,112,3,1), (6,192,4,2), (6,320,1,2), each a 1×1 expansion (also at expansion 1),
    /// a 3×3 depthwise conv, a 1×1 projection with batch norms (ReLU after the first two),
    /// squeeze-and-excitation on the output (`out/16` channels, ReLU, sigmoid) and a shortcut —
    /// at stride 1 the input (through a 1×1 conv and batch norm where the width changes), at
    /// stride 2 the block's own output (`out·w + out`, as the code does); no pooling: the 1×1
    /// map is flattened into 320→10. 2,912,089 parameters (computed from that code). `size`
    /// is the resolution (32; a multiple of 32 within 32...4096, the classifier reading
    /// `320·(size/32)²` features as the code's `view` does).
    static func efficientNetB0CIFAR(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "efficientnet-cifar10"
        let r = try resolve(size, default: 32, range: 32...4096, field: "resolution", model: name)
        guard r % 32 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "resolution", reason: "must be a multiple of 32, got \(r)")
        }
        var n = ZooNet(name)
        let x = n.g.addInput("input", shape: [batch, 3, r, r])
        var h = n.act(n.bn(n.conv(x, 3, 32, k: 3, bias: false, name: "conv1"), 32, name: "bn1"), "Relu", name: "relu")
        var cin = 32, index = 0
        for (e, out, count, s) in [(1, 16, 1, 2), (6, 24, 2, 1), (6, 40, 2, 2), (6, 80, 3, 2), (6, 112, 3, 1), (6, 192, 4, 2), (6, 320, 1, 2)] {
            for b in 0..<count {
                let stride = b == 0 ? s : 1
                let p = "layers.\(index)", c = e * cin
                var y = n.act(n.bn(n.conv(h, cin, c, k: 1, bias: false, name: p + ".conv1"), c, name: p + ".bn1"), "Relu", name: p + ".relu1")
                y = n.act(n.bn(n.conv(y, c, c, k: 3, stride: stride, group: c, bias: false, name: p + ".conv2"), c, name: p + ".bn2"), "Relu", name: p + ".relu2")
                y = n.bn(n.conv(y, c, out, k: 1, bias: false, name: p + ".conv3"), out, name: p + ".bn3")
                var shortcut = y
                if stride == 1 {
                    shortcut = cin == out ? h : n.bn(n.conv(h, cin, out, k: 1, bias: false, name: p + ".shortcut.0"), out, name: p + ".shortcut.1")
                }
                y = squeezeExcite(&n, y, out, squeeze: out / 16, inner: "Relu", gate: "Sigmoid", name: p + ".se")
                h = n.op("Add", [y, shortcut], name: p + ".add")
                cin = out
                index += 1
            }
        }
        let side = r / 32
        h = n.flatten(h, name: "flatten")
        return try n.build(outputs: [n.dense(h, 320 * side * side, 10, name: "linear")])
    }

    /// torchvision's `_make_divisible(v, 8)`: the nearest multiple of 8 at least 8, never
    /// more than 10% below `v`.
    static func divisible8(_ v: Int) -> Int {
        var r = max(8, (v + 4) / 8 * 8)
        if 10 * r < 9 * v { r += 8 }
        return r
    }

    /// Lucid's `mobilenetv3-imagenet`: torchvision's `mobilenet_v3_large` (Howard et al.,
    /// "Searching for MobileNetV3", ICCV 2019), which Lucid's `workloads/imagenet/profile_imagenet.py`
    /// builds by name from `torchvision.models` and trains on 224×224 synthetic batches — stem 3×3 conv 3→16 at stride 2 with batch
    /// norm and hard-swish, the paper's 15 bneck blocks (kernel, expanded, out, SE, activation,
    /// stride) with squeeze-and-excitation to `_make_divisible(expanded/4, 8)` channels (ReLU,
    /// hard-sigmoid), a 1×1 conv 160→960, pooling, 960→1280 with hard-swish and 1280→1000.
    /// 5,483,032 parameters (torchvision's documented count). `size` is the resolution (224;
    /// 32...8192).
    static func mobileNetV3Large(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "mobilenetv3-imagenet"
        let r = try resolve(size, default: 224, range: 32...8192, field: "resolution", model: name)
        var n = ZooNet(name)
        let x = n.g.addInput("input", shape: [batch, 3, r, r])
        var h = n.act(n.bn(n.conv(x, 3, 16, k: 3, stride: 2, bias: false, name: "features.0.0"), 16, name: "features.0.1"), "HardSwish", name: "features.0.2")
        let blocks: [(k: Int, exp: Int, out: Int, se: Bool, hs: Bool, s: Int)] = [
            (3, 16, 16, false, false, 1), (3, 64, 24, false, false, 2), (3, 72, 24, false, false, 1),
            (5, 72, 40, true, false, 2), (5, 120, 40, true, false, 1), (5, 120, 40, true, false, 1),
            (3, 240, 80, false, true, 2), (3, 200, 80, false, true, 1), (3, 184, 80, false, true, 1),
            (3, 184, 80, false, true, 1), (3, 480, 112, true, true, 1), (3, 672, 112, true, true, 1),
            (5, 672, 160, true, true, 2), (5, 960, 160, true, true, 1), (5, 960, 160, true, true, 1),
        ]
        var cin = 16
        for (i, b) in blocks.enumerated() {
            let p = "features.\(i + 1)", a = b.hs ? "HardSwish" : "Relu"
            var y = h
            if b.exp != cin {
                y = n.act(n.bn(n.conv(y, cin, b.exp, k: 1, bias: false, name: p + ".expand"), b.exp, name: p + ".expand_bn"), a, name: p + ".expand_act")
            }
            y = n.act(n.bn(n.conv(y, b.exp, b.exp, k: b.k, stride: b.s, group: b.exp, bias: false, name: p + ".dw"), b.exp, name: p + ".dw_bn"), a, name: p + ".dw_act")
            if b.se {
                y = squeezeExcite(&n, y, b.exp, squeeze: divisible8(b.exp / 4), inner: "Relu", gate: "HardSigmoid", name: p + ".se")
            }
            y = n.bn(n.conv(y, b.exp, b.out, k: 1, bias: false, name: p + ".project"), b.out, name: p + ".project_bn")
            if b.s == 1 && cin == b.out { y = n.op("Add", [y, h], name: p + ".add") }
            h = y
            cin = b.out
        }
        h = n.act(n.bn(n.conv(h, 160, 960, k: 1, bias: false, name: "features.16.0"), 960, name: "features.16.1"), "HardSwish", name: "features.16.2")
        h = n.flatten(n.op("GlobalAveragePool", [h], name: "avgpool"), name: "flatten")
        h = n.act(n.dense(h, 960, 1280, name: "classifier.0"), "HardSwish", name: "classifier.1")
        return try n.build(outputs: [n.dense(h, 1280, 1000, name: "classifier.3")])
    }
}
