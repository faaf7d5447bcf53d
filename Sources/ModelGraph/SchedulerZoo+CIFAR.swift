/// CIFAR-10 classifiers of Gavel and Lucid, as kuangliu/pytorch-cifar builds them (Gavel's
/// `workloads/pytorch/image_classification/cifar10/models/` is that repository's code):
/// 3×3 stems at stride 1, no max pool, 10 classes, 32×32 inputs by default.
extension SchedulerZoo {
    /// Gavel's `resnet18-cifar10` (job table "ResNet-18", `image_classification/cifar10`):
    /// kuangliu's ResNet-18 — a 3×3 stem conv 3→64 (stride 1, no bias) with batch norm and
    /// ReLU, no max pool, basic blocks [2, 2, 2, 2] at 64/128/256/512 channels with 1×1
    /// projection shortcuts, average pooling and a 512→10 classifier. 11,173,962 parameters
    /// (kuangliu's count; torchvision's ImageNet ResNet-18 has 11,689,512). `size` is the
    /// resolution (32; 8...4096, the last stage pooled globally as `avg_pool2d(4)` does at 32).
    static func resnet18CIFAR(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "resnet18-cifar10"
        let r = try resolve(size, default: 32, range: 8...4096, field: "resolution", model: name)
        var n = ZooNet(name)
        let x = n.g.addInput("input", shape: [batch, 3, r, r])
        var h = n.act(n.bn(n.conv(x, 3, 64, k: 3, bias: false, name: "conv1"), 64, name: "bn1"), "Relu", name: "relu")
        var cin = 64
        for (stage, planes) in [64, 128, 256, 512].enumerated() {
            for block in 0..<2 {
                let stride = stage > 0 && block == 0 ? 2 : 1
                let p = "layer\(stage + 1).\(block)"
                var y = n.act(n.bn(n.conv(h, cin, planes, k: 3, stride: stride, bias: false, name: p + ".conv1"), planes, name: p + ".bn1"), "Relu", name: p + ".relu1")
                y = n.bn(n.conv(y, planes, planes, k: 3, bias: false, name: p + ".conv2"), planes, name: p + ".bn2")
                var s = h
                if stride != 1 || cin != planes {
                    s = n.bn(n.conv(h, cin, planes, k: 1, stride: stride, bias: false, name: p + ".shortcut.0"), planes, name: p + ".shortcut.1")
                }
                h = n.act(n.op("Add", [y, s], name: p + ".add"), "Relu", name: p + ".relu2")
                cin = planes
            }
        }
        h = n.flatten(n.op("GlobalAveragePool", [h], name: "avgpool"), name: "flatten")
        return try n.build(outputs: [n.dense(h, 512, 10, name: "linear")])
    }

    /// Gavel's `resnet50-imagenet`: torchvision's ResNet-50 (Gavel runs the PyTorch ImageNet
    /// example, `main.py -a resnet50`), 25,557,032 parameters, 224×224 (`size`, 32...8192).
    static func resnet50ImageNet(batch: Int, size: Int?) throws -> ModelGraph {
        let r = try resolve(size, default: 224, range: 32...8192, field: "resolution", model: "resnet50-imagenet")
        return try ResNet.graph(ResNet.configs["resnet50"]!, batchSize: batch, resolution: r, name: "resnet50-imagenet")
    }

    /// Lucid's `vgg-cifar10`: kuangliu's VGG-11 — Lucid's `profile_cifar.py` builds
    /// `VGG('VGG11')` for its "VGG" jobs (not VGG-16) — 8 3×3 convolutions (with bias) each with
    /// batch norm and ReLU in the configuration [64, M, 128, M, 256, 256, M, 512, 512, M, 512,
    /// 512, M], then a single 512→10 classifier. 9,231,114 parameters (kuangliu's VGG-16,
    /// [64, 64, M, 128, 128, M, 256×3, M, 512×3, M, 512×3, M], would have 14,728,266: `vgg16`
    /// selects it). `size` is the resolution (32; a multiple of 32 within 32...4096, the
    /// classifier reading the flattened `512·(size/32)²` features as kuangliu's `view` does).
    static func vggCIFAR(batch: Int, size: Int?, vgg16: Bool = false) throws -> ModelGraph {
        let name = "vgg-cifar10"
        let r = try resolve(size, default: 32, range: 32...4096, field: "resolution", model: name)
        guard r % 32 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "resolution", reason: "must be a multiple of 32, got \(r)")
        }
        let config = vgg16
            ? [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]
            : [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0]
        var n = ZooNet(name)
        var h = n.g.addInput("input", shape: [batch, 3, r, r])
        var cin = 3, i = 0
        for v in config {
            if v == 0 {
                h = n.op("MaxPool", [h], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])], name: "features.\(i)")
                i += 1
                continue
            }
            h = n.conv(h, cin, v, k: 3, bias: true, name: "features.\(i)")
            h = n.bn(h, v, name: "features.\(i + 1)")
            h = n.act(h, "Relu", name: "features.\(i + 2)")
            cin = v
            i += 3
        }
        let side = r / 32
        h = n.flatten(h, name: "flatten")
        return try n.build(outputs: [n.dense(h, 512 * side * side, 10, name: "classifier")])
    }

    /// Lucid's `mobilenetv2-cifar10`: kuangliu's MobileNetV2 — stem 3×3 conv 3→32 at stride 1;
    /// inverted residual blocks (expansion, out, count, stride) (1,16,1,1), (6,24,2,1)
    /// (stride 1 for CIFAR), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1),
    /// each 1×1 expand, 3×3 depthwise, 1×1 project with batch norms, ReLU after the first two,
    /// and at stride 1 a shortcut (a 1×1 conv and batch norm where the channels change); a
    /// 1×1 conv 320→1280, average pooling and 1280→10. 2,296,922 parameters (computed from
    /// the configuration). `size` is the resolution (32; 8...4096).
    static func mobileNetV2CIFAR(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "mobilenetv2-cifar10"
        let r = try resolve(size, default: 32, range: 8...4096, field: "resolution", model: name)
        var n = ZooNet(name)
        let x = n.g.addInput("input", shape: [batch, 3, r, r])
        var h = n.act(n.bn(n.conv(x, 3, 32, k: 3, bias: false, name: "conv1"), 32, name: "bn1"), "Relu", name: "relu1")
        var cin = 32, index = 0
        for (e, out, count, s) in [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)] {
            for b in 0..<count {
                let stride = b == 0 ? s : 1
                let p = "layers.\(index)", planes = e * cin
                var y = n.act(n.bn(n.conv(h, cin, planes, k: 1, bias: false, name: p + ".conv1"), planes, name: p + ".bn1"), "Relu", name: p + ".relu1")
                y = n.act(n.bn(n.conv(y, planes, planes, k: 3, stride: stride, group: planes, bias: false, name: p + ".conv2"), planes, name: p + ".bn2"), "Relu", name: p + ".relu2")
                y = n.bn(n.conv(y, planes, out, k: 1, bias: false, name: p + ".conv3"), out, name: p + ".bn3")
                if stride == 1 {
                    var shortcut = h
                    if cin != out {
                        shortcut = n.bn(n.conv(h, cin, out, k: 1, bias: false, name: p + ".shortcut.0"), out, name: p + ".shortcut.1")
                    }
                    y = n.op("Add", [y, shortcut], name: p + ".add")
                }
                h = y
                cin = out
                index += 1
            }
        }
        h = n.act(n.bn(n.conv(h, 320, 1280, k: 1, bias: false, name: "conv2"), 1280, name: "bn2"), "Relu", name: "relu2")
        h = n.flatten(n.op("GlobalAveragePool", [h], name: "avgpool"), name: "flatten")
        return try n.build(outputs: [n.dense(h, 1280, 10, name: "linear")])
    }
}
