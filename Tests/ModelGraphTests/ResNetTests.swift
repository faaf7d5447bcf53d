import Foundation
import Testing
@testable import ModelGraph

/// The Swift-built ResNets against torchvision's published figures (parameter counts exact;
/// multiply-accumulates of convolutions and matrix products at 224×224 within 3%, as in
/// ``TorchvisionONNXTests``) and against the exported ONNX graph of the same network.
@Suite struct ResNetTests {
    typealias Case = PublishedModel

    /// torchvision's model table (https://pytorch.org/vision/stable/models.html).
    static let cases: [Case] = [
        Case(name: "resnet18", gmacs: 1.81, parameters: 11_689_512),
        Case(name: "resnet34", gmacs: 3.66, parameters: 21_797_672),
        Case(name: "resnet50", gmacs: 4.09, parameters: 25_557_032),
        Case(name: "resnet101", gmacs: 7.80, parameters: 44_549_160),
        Case(name: "resnet152", gmacs: 11.51, parameters: 60_192_808),
    ]

    static func gmacs(_ g: ModelGraph) -> Double { PublishedModel.gmacs(g) }

    @Test(arguments: cases)
    func matchesPublishedFigures(_ c: Case) throws {
        let g = try #require(try ResNet.graph(named: c.name))
        #expect(g.parameterCount == c.parameters)
        #expect(abs(Self.gmacs(g) - c.gmacs) / c.gmacs < 0.03, "\(c.name): \(Self.gmacs(g)) GMACs vs published \(c.gmacs)")
        #expect(g.uncostedOperators().isEmpty)
    }

    @Test func resnet50MatchesTheExportedGraph() throws {
        let built = try #require(try ResNet.graph(named: "resnet50"))
        let onnx = try ONNXImporter.load(path: TestPaths.model("resnet50"))
        #expect(built.parameterCount == onnx.parameterCount)
        let hist = { (g: ModelGraph) in Dictionary(uniqueKeysWithValues: g.operatorHistogram.map { ($0.type, $0.count) }) }
        for type in ["Conv", "BatchNormalization", "Add", "Gemm", "MaxPool"] { #expect(hist(built)[type] == hist(onnx)[type], "\(type)") }
        #expect(built.cost(mode: .infer).flops == onnx.cost(mode: .infer).flops)
    }

    @Test func scalesWithBatchResolutionDepthAndWidth() throws {
        let config = try #require(ResNet.configs["resnet18"])
        let base = try ResNet.graph(config)
        let batch8 = try ResNet.graph(config, batchSize: 8)
        #expect(Self.gmacs(batch8) / Self.gmacs(base) > 7.9)
        let big = try ResNet.graph(config, resolution: 448)
        #expect(Self.gmacs(big) / Self.gmacs(base) > 3.9)
        let deep = try ResNet.graph(config, depthMultiplier: 4)
        #expect(deep.nodes.count > 3 * base.nodes.count)
        let narrow = try ResNet.graph(config, widthMultiplier: 0.25)
        #expect(narrow.parameterCount < base.parameterCount / 8)
        #expect(base.parameterCount == batch8.parameterCount)
    }

    @Test func rejectsBadSizes() {
        let config = ResNet.configs["resnet50"]!
        #expect(throws: ModelGraphError.self) { _ = try ResNet.graph(config, batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try ResNet.graph(config, resolution: 8) }
        #expect(throws: ModelGraphError.self) { try ResNet.graph(config, widthMultiplier: .nan) }
        #expect(throws: ModelGraphError.self) { try ResNet.graph(config, depthMultiplier: 0) }
    }
}
