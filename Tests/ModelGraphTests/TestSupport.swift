import Foundation
@testable import ModelGraph

/// Paths of test inputs, found from this file's location so no Package.swift resources
/// are needed.
enum TestPaths {
    /// Tests/ModelGraphTests/Resources.
    static let resources: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources").path
    }()

    /// A committed ONNX model (weights stripped by tools/onnx/strip_weights.py).
    static func model(_ name: String) -> String { resources + "/" + name + ".onnx" }

    /// The shared datasets folder: `AUGUR_DATA`, else `../shared` beside the repository.
    static let shared: String = {
        if let env = ProcessInfo.processInfo.environment["AUGUR_DATA"] { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    /// Where Debian's `libonnx-testdata` puts its models.
    static let onnxTestData = "/usr/share/libonnx-testdata/data"

    /// A fresh temporary file path.
    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("modelgraph-\(UUID().uuidString)-\(name)").path
    }
}

/// A model with torchvision's published figures (https://pytorch.org/vision/stable/models.html:
/// "GFLOPS" there are multiply-accumulates; parameter counts are exact).
struct PublishedModel: Sendable, CustomStringConvertible {
    let name: String
    let gmacs: Double
    let parameters: Int
    var description: String { name }

    /// Multiply-accumulates of a graph's convolutions and matrix products, in G (the published
    /// figure counts only those; Augur counts a MAC as 2 FLOPs).
    static func gmacs(_ g: ModelGraph) -> Double {
        let products: Set<String> = ["Conv", "Gemm", "MatMul"]
        return Double(g.nodes.filter { products.contains($0.type) }.reduce(0) { $0 + $1.flops }) / 2e9
    }
}
