import Testing
@testable import ModelGraph

/// Mask R-CNN R-50-FPN (maskrcnn-benchmark / torchvision).
@Suite struct MaskRCNNTests {
    /// torchvision's published count for `maskrcnn_resnet50_fpn` (91 classes), 44,401,393,
    /// matched exactly; maskrcnn-benchmark's 81 classes drop 10·(1024 + 4·1024 + 5) box-predictor
    /// and 10·257 mask-predictor parameters: 44,347,573.
    @Test func parameterCount() throws {
        #expect(try MaskRCNN.graph(classes: 91).parameterCount == 44_401_393)
        let g = try #require(try MaskRCNN.graph(named: "maskrcnn"))
        #expect(g.parameterCount == 44_347_573)
        #expect(g.uncostedOperators().isEmpty)
        #expect(g.tensors[g.outputs.last!].shape == [128, 81, 28, 28])
        #expect(g.tensors[g.inputs[0]].shape == [1, 3, 800, 1344])
        #expect(try MaskRCNN.graph(named: "maskrcnn101") == nil)
    }

    @Test func scalesWithBatchAndSize() throws {
        let base = try #require(try MaskRCNN.graph(named: "maskrcnn", size: 400))
        let batch = try #require(try MaskRCNN.graph(named: "maskrcnn", batchSize: 2, size: 400))
        let big = try #require(try MaskRCNN.graph(named: "maskrcnn", size: 800))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch) / f(base) > 1.95 && f(batch) / f(base) < 2.05)
        // The backbone grows with the area; the RoI heads do not.
        #expect(f(big) / f(base) > 2 && f(big) / f(base) < 4.1)
        #expect(big.parameterCount == base.parameterCount)
        let roi = base.nodes.filter { $0.type == "RoiAlign" }
        #expect(roi.count == 2 && roi.allSatisfy { $0.flops > 0 })
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try MaskRCNN.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try MaskRCNN.graph(named: "maskrcnn", size: 32) }
        #expect(throws: ModelGraphError.self) { try MaskRCNN.graph(classes: 1) }
        #expect(throws: ModelGraphError.self) { try MaskRCNN.graph(boxRoIs: 64, maskRoIs: 128) }
    }
}
