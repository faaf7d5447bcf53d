import Foundation
import Testing
@testable import ModelGraph

/// The exported torchvision zoo (`data/graphs/zoo`, `tools/onnx/export_zoo.py`): every graph
/// imports, costs every operator, and has the parameter count torchvision published (its
/// weights' `num_params`), except where the manifest says the export differs.
@Suite struct ZooTests {
    struct Entry: Sendable, CustomStringConvertible {
        let name: String, file: String, parameters: Int, published: Int
        var description: String { name }
    }

    static let directory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/graphs/zoo").path
    }()

    static let entries: [Entry] = {
        guard let text = try? String(contentsOfFile: directory + "/manifest.csv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, let p = Int(f[3]), let q = Int(f[4]) else { return nil }
            return Entry(name: f[0], file: f[1], parameters: p, published: q)
        }
    }()

    @Test func manifestListsTheExportedModels() {
        #expect(Self.entries.count >= 70)
        for e in Self.entries { #expect(FileManager.default.fileExists(atPath: Self.directory + "/" + e.file), "\(e.file)") }
    }

    @Test(arguments: entries)
    func importsWithPublishedParameters(_ e: Entry) throws {
        let g = try ONNXImporter.load(path: Self.directory + "/" + e.file, batchSize: 2)
        if e.name.hasPrefix("swin_") {
            // Exported in eval mode with constant folding: each block's relative-position bias,
            // a parameter table gathered by a constant index, is folded into a constant
            // (heads × 49 × 49) that the importer counts as a weight: within 2%.
            #expect(abs(Double(g.parameterCount - e.parameters)) / Double(e.parameters) < 0.02, "\(e.name): \(g.parameterCount) vs torch's \(e.parameters)")
        } else {
            #expect(g.parameterCount == e.parameters, "\(e.name): \(g.parameterCount) vs torch's \(e.parameters)")
        }
        // inception_v3 is exported without its auxiliary head, which the published count includes.
        if e.name != "inception_v3" { #expect(e.parameters == e.published) }
        #expect(g.uncostedOperators().isEmpty, "\(e.name): \(g.uncostedOperators())")
        #expect(g.cost(mode: .infer).flops > 0)
        #expect(g.tensors[g.inputs[0]].shape?.first == 2)
    }
}
