import Foundation
import Testing
@testable import ModelGraph

/// Imports every model of Debian's `libonnx-testdata` (the ONNX project's backend test
/// models: ~1,000 single-operator and a few real models). Skipped, with a message, when
/// the package is not installed (CI: `apt-get install libonnx-testdata`).
@Suite struct ONNXTestDataTests {
    static func modelPaths() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: TestPaths.onnxTestData) else { return [] }
        var paths: [String] = []
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".onnx") { paths.append(TestPaths.onnxTestData + "/" + p) }
        }
        return paths.sorted()
    }

    @Test func importAllModels() throws {
        let paths = Self.modelPaths()
        guard !paths.isEmpty else {
            print("ONNXTestDataTests: skipped, \(TestPaths.onnxTestData) not found (apt-get install libonnx-testdata)")
            return
        }
        var failures: [String] = []
        var unknown: [String: Int] = [:]
        var imported = 0
        for path in paths {
            do {
                let g = try ONNXImporter.load(path: path, batchSize: 2)
                imported += 1
                for (type, count) in g.uncostedOperators() { unknown[type, default: 0] += count }
                _ = g.cost(mode: .train)
            } catch let e as ModelGraphError {
                #expect(e.description.contains(path))
                failures.append(e.description)
            }
        }
        print("ONNXTestDataTests: imported \(imported) of \(paths.count) models; \(failures.count) rejected")
        for f in failures { print("  rejected: \(f)") }
        print("ONNXTestDataTests: uncosted op types (\(unknown.count)): "
              + unknown.keys.sorted().map { "\($0)×\(unknown[$0]!)" }.joined(separator: " "))
        #expect(Double(imported) >= 0.98 * Double(paths.count))
    }
}
