import Foundation

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
