import Foundation
import Testing
@testable import ModelGraph

/// torchvision models exported by tools/onnx/export_torchvision.py (torch 1.13, opset 13),
/// weights stripped. Published figures: torchvision's model table
/// (https://pytorch.org/vision/stable/models.html) lists "GFLOPS" that are multiply-accumulates
/// (ResNet-50 4.09, ResNet-18 1.81, MobileNetV2 0.30, ViT-B/16 17.56) and exact parameter
/// counts. Our FLOPs count a MAC as 2, so they should be ≈ 2 × those figures.
@Suite struct TorchvisionONNXTests {
    typealias Case = PublishedModel

    static let cases: [Case] = [
        Case(name: "resnet18", gmacs: 1.81, parameters: 11_689_512),
        Case(name: "resnet50", gmacs: 4.09, parameters: 25_557_032),
        Case(name: "mobilenet_v2", gmacs: 0.30, parameters: 3_504_872),
        Case(name: "vit_b_16", gmacs: 17.56, parameters: 86_567_656),
    ]

    @Test(arguments: cases)
    func flopsAndParametersMatchPublished(_ c: Case) throws {
        let g = try ONNXImporter.load(path: TestPaths.model(c.name))
        let gmacs = PublishedModel.gmacs(g)
        #expect(abs(gmacs - c.gmacs) / c.gmacs < 0.03, "\(c.name): \(gmacs) GMACs vs published \(c.gmacs)")
        #expect(g.parameterCount == c.parameters)
        #expect(g.uncostedOperators().isEmpty, "\(g.uncostedOperators())")
    }
}

extension TorchvisionONNXTests {
    @Test func resnet50Structure() throws {
        let g = try ONNXImporter.load(path: TestPaths.model("resnet50"))
        let hist = Dictionary(uniqueKeysWithValues: g.operatorHistogram.map { ($0.type, $0.count) })
        #expect(hist["Conv"] == 53)
        #expect(hist["BatchNormalization"] == 53)
        #expect(hist["Add"] == 16)
        #expect(hist["Gemm"] == 1)
        #expect(g.nodes.count == 175)
        #expect(g.edges.count == 190)  // a chain of 175 nodes (174 edges) + 16 residual shortcuts
        #expect(g.inputs.count == 1)
        #expect(g.tensors[g.inputs[0]].shape == [1, 3, 224, 224])
        #expect(g.tensors[g.outputs[0]].shape == [1, 1000])
        // Batch size scales FLOPs linearly only through the declared shapes, which are fixed here.
        let conv1 = try #require(g.nodes.first { $0.type == "Conv" })
        #expect(conv1.attributes["kernel_shape"] == .ints([7, 7]))
        #expect(conv1.attributes["strides"] == .ints([2, 2]))
        #expect(conv1.parameters == 64 * 3 * 7 * 7)
        #expect(conv1.flops == 2 * 64 * 112 * 112 * 3 * 49)
    }

    /// Our shape inference reproduces ONNX's own (value_info written by onnx.shape_inference).
    @Test(arguments: ["resnet18", "resnet50", "mobilenet_v2", "vit_b_16", "tiny_bert"])
    func shapeInferenceAgreesWithONNX(_ name: String) throws {
        let g = try ONNXImporter.load(path: TestPaths.model(name))
        var inferred = 0
        for node in g.nodes {
            let ins = node.inputs.map { $0.map { g.tensors[$0] } }
            let shapes = ShapeInference.outputShapes(
                type: node.type, attributes: node.attributes, inputs: ins, outputCount: node.outputs.count)
            guard let s = shapes[0] else { continue }
            inferred += 1
            #expect(s == g.tensors[node.outputs[0]].shape, "\(name) \(node.type) \(node.name)")
        }
        #expect(Double(inferred) >= 0.95 * Double(g.nodes.count), "\(name): inferred \(inferred) of \(g.nodes.count)")
    }

    @Test func trainingCostFollowsTheThreeTimesRule() throws {
        let g = try ONNXImporter.load(path: TestPaths.model("resnet50"))
        let infer = g.cost(mode: .infer), train = g.cost(mode: .train)
        #expect(train.forwardFLOPs == infer.forwardFLOPs)
        let ratio = Double(train.flops) / Double(infer.flops)
        #expect(ratio > 2.8 && ratio < 3.05, "train/infer = \(ratio)")
        #expect(train.optimizerFLOPs == 12 * 25_557_032)
        #expect(train.optimizerBytes == 7 * 4 * 25_557_032)
        #expect(infer.savedActivationBytes == 0)
        // ResNet-50 at batch 1 saves roughly 100 MB of fp32 activations for backward.
        #expect(train.savedActivationBytes > 50_000_000 && train.savedActivationBytes < 250_000_000,
                "\(train.savedActivationBytes)")
        #expect(g.trainingMemoryBytes() > 4 * 4 * 25_557_032)
    }

    @Test func jsonRoundTripIsIdentical() throws {
        for name in ["resnet50", "tiny_bert"] {
            let g = try ONNXImporter.load(path: TestPaths.model(name))
            let data = try g.jsonData()
            let back = try ModelGraph(json: data)
            #expect(back == g)
            #expect(try back.jsonData() == data)
            let path = TestPaths.temporaryFile(name + ".json")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try g.writeJSON(to: path)
            #expect(try ModelGraph(jsonFile: path) == g)
        }
    }
}
