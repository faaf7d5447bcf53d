/// The ResNet/ResNeXt feature pyramid shared by ``MaskRCNN`` and ``RetinaNet`` (Lin, Dollár,
/// Girshick, He, Hariharan and Belongie, "Feature Pyramid Networks for Object Detection",
/// CVPR 2017), as torchvision and maskrcnn-benchmark build it: a ResNet-50 trunk with frozen
/// batch norms (constants, not parameters) returning C2…C5, 1×1 lateral convolutions to 256
/// channels, nearest top-down upsampling with addition, and 3×3 output convolutions (all with
/// bias).
enum FeaturePyramid {
    /// C2…C5 (strides 4…32) of a ResNet-50 (`groups` 1) or ResNeXt-50 (`groups` 32,
    /// `widthPerGroup` 4) trunk on `x`, with their channels.
    static func trunk(_ net: inout ResNet.Layers, input x: Int, groups: Int = 1, widthPerGroup: Int = 64) -> [(id: Int, channels: Int)] {
        var h = net.convBN(x, from: 3, to: 64, kernel: 7, stride: 2, name: "backbone.body.conv1", relu: true)
        h = net.builder.add("MaxPool", name: "backbone.body.maxpool", inputs: [h], attributes: [
            "kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
        ])
        var channels = 64
        var features: [(id: Int, channels: Int)] = []
        for (stage, count) in [3, 4, 6, 3].enumerated() {
            let planes = 64 << stage
            let width = planes * widthPerGroup / 64 * groups
            for block in 0..<count {
                let stride = stage > 0 && block == 0 ? 2 : 1
                h = net.bottleneck(h, from: channels, planes: planes, stride: stride, width: width, groups: groups,
                                   name: "backbone.body.layer\(stage + 1).\(block)")
                channels = planes * 4
            }
            features.append((h, channels))
        }
        return features
    }

    /// The pyramid over `features` (finest first): lateral 1×1 convolutions to `channels`,
    /// top-down nearest `Resize` to the finer map's size and `Add`, then 3×3 convolutions.
    /// Returns the outputs, finest first.
    static func pyramid(_ g: inout GraphBuilder, features: [(id: Int, channels: Int)], channels: Int = 256, firstLevel: Int) -> [Int] {
        var outputs = [Int](repeating: 0, count: features.count)
        var top: Int? = nil
        for i in features.indices.reversed() {
            let level = firstLevel + i
            var lateral = g.conv(features[i].id, from: features[i].channels, to: channels, kernel: [1, 1], bias: true,
                                 name: "backbone.fpn.inner_blocks.\(level)")
            if let t = top, let shape = g.tensors[lateral].shape {
                let sizes = g.addConstant("backbone.fpn.upsample.\(level).sizes", shape: [4], dtype: .int64, intValues: shape)
                let up = g.addNode("Resize", name: "backbone.fpn.upsample.\(level)", inputs: [t, nil, nil, sizes],
                                   attributes: ["mode": .string("nearest")], outputNames: ["backbone.fpn.upsample.\(level):0"])[0]
                lateral = g.add("Add", name: "backbone.fpn.topdown.\(level)", inputs: [lateral, up])
            }
            top = lateral
            outputs[i] = g.conv(lateral, from: channels, to: channels, kernel: [3, 3], bias: true, name: "backbone.fpn.layer_blocks.\(level)")
        }
        return outputs
    }

    /// The padded input size: the shorter side `size`, the longer `size · 1333/800` (the
    /// detection default 800×1333), both rounded up to a multiple of 32 (the trunk's stride).
    static func paddedSize(shortSide size: Int, longRatio: Double = 1333.0 / 800.0) -> (height: Int, width: Int) {
        let long = Int((Double(size) * longRatio).rounded())
        let pad = { (v: Int) in (v + 31) / 32 * 32 }
        return (pad(size), pad(long))
    }
}
