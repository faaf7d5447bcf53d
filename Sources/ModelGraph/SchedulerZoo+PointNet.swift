/// Lucid's point-cloud job.
extension SchedulerZoo {
    /// Lucid's `pointnet-shapenet`: PointNet classification (Qi, Su, Mo and Guibas, CVPR 2017)
    /// as Lucid runs it (`workloads/pointnet/profile_pointnet.py` with fxia22/pointnet.pytorch's
    /// model vendored as `pointnet.py`: ShapeNetCore classification, 16 categories, 2,500
    /// points, no feature transform): an input transform net
    /// (`STN3d`: per-point 3→64→128→1024 with batch norm and ReLU, max over points, 1024→512
    /// →256 with batch norm and ReLU, →9 plus the identity) applied to the points, per-point
    /// 3→64→128→1024 (batch norms, ReLU except the last), max pooling over the points, and
    /// 1024→512→256 (batch norm, ReLU, dropout) →16 with log-softmax. 1,607,961 parameters
    /// (803,081 in STN3d). `size` is the number of points (2,500; 1...1,048,576).
    static func pointNet(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "pointnet-shapenet"
        let points = try resolve(size, default: 2500, range: 1...(1 << 20), field: "points", model: name)
        let classes = 16
        var n = ZooNet(name)
        let x = n.g.addInput("points", shape: [batch, 3, points])

        func perPoint(_ n: inout ZooNet, _ x: Int, name p: String, reluLast: Bool) -> Int {
            var h = x, c = 3
            for (i, out) in [64, 128, 1024].enumerated() {
                h = n.bn(n.conv1x1(h, c, out, name: "\(p).conv\(i + 1)"), out, name: "\(p).bn\(i + 1)")
                if i < 2 || reluLast { h = n.act(h, "Relu", name: "\(p).relu\(i + 1)") }
                c = out
            }
            return n.op("ReduceMax", [h], ["axes": .ints([2]), "keepdims": .int(0)], name: "\(p).max")
        }
        // STN3d.
        var t = perPoint(&n, x, name: "feat.stn", reluLast: true)
        t = n.act(n.bn(n.dense(t, 1024, 512, name: "feat.stn.fc1"), 512, name: "feat.stn.bn4"), "Relu", name: "feat.stn.relu4")
        t = n.act(n.bn(n.dense(t, 512, 256, name: "feat.stn.fc2"), 256, name: "feat.stn.bn5"), "Relu", name: "feat.stn.relu5")
        t = n.dense(t, 256, 9, name: "feat.stn.fc3")
        t = n.op("Add", [t, n.constant("feat.stn.iden", [9])], name: "feat.stn.add_identity")
        t = n.reshape(t, [batch, 3, 3], name: "feat.stn.matrix")
        // Transform the points: (x^T · trans)^T.
        var h = n.op("Transpose", [x], ["perm": .ints([0, 2, 1])], name: "feat.points_last")
        h = n.op("MatMul", [h, t], name: "feat.transform")
        h = n.op("Transpose", [h], ["perm": .ints([0, 2, 1])], name: "feat.channels_first")
        h = perPoint(&n, h, name: "feat", reluLast: false)
        h = n.act(n.bn(n.dense(h, 1024, 512, name: "fc1"), 512, name: "bn1"), "Relu", name: "relu1")
        h = n.op("Dropout", [n.dense(h, 512, 256, name: "fc2")], name: "dropout")
        h = n.act(n.bn(h, 256, name: "bn2"), "Relu", name: "relu2")
        h = n.dense(h, 256, classes, name: "fc3")
        return try n.build(outputs: [n.op("LogSoftmax", [h], ["axis": .int(1)], name: "log_softmax")])
    }
}
