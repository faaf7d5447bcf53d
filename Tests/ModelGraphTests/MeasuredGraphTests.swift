import Foundation
import Testing
import ModelGraph

/// Every graph the measurement harness exported (data/graphs/onnx) imports into Augur, and its
/// multiply-accumulates agree with the harness's own count (data/measurements/cpu.csv,
/// `forward_gmacs`, counted by hooks on convolutions, linear layers and attention).
@Suite struct MeasuredGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let graphs = root.appendingPathComponent("data/graphs/onnx").path
    static let measurements = root.appendingPathComponent("data/measurements/cpu.csv").path

    /// (graph key, batch) → harness GMACs, from the first measured row of each.
    static func harnessCounts() throws -> [String: (batch: Int, gmacs: Double)] {
        let text = try String(contentsOfFile: measurements, encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let id = header.firstIndex(of: "config_id")!, batch = header.firstIndex(of: "batch_size")!, gmacs = header.firstIndex(of: "forward_gmacs")!
        var out: [String: (Int, Double)] = [:]
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count > gmacs, let b = Int(f[batch]), let g = Double(f[gmacs]) else { continue }
            let key = String(f[id].dropLast("-b\(b)".count))
            if out[key] == nil { out[key] = (b, g) }
        }
        return out
    }

    @Test func everyExportedGraphImportsAndItsMACsMatchTheHarness() throws {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: Self.graphs), !files.isEmpty,
              FileManager.default.fileExists(atPath: Self.measurements) else {
            print("skipped: no exported graphs or measurements in data/")
            return
        }
        let counts = try Self.harnessCounts()
        var compared = 0
        var unresolved: [String] = []
        for file in files.sorted() where file.hasSuffix(".onnx") {
            let key = String(file.dropLast(5))
            let batch = counts[key]?.batch ?? 1
            let graph = try ONNXImporter.load(path: Self.graphs + "/" + file, batchSize: batch)
            #expect(!graph.nodes.isEmpty, "\(file)")
            guard let harness = counts[key], harness.gmacs > 0 else { continue }
            let products = graph.nodes.filter { ["Conv", "Gemm", "MatMul", "ConvTranspose"].contains($0.type) }
            // A product whose output shape is unresolved has no cost; there must be none (the
            // ViT graphs' `expand(n, -1, -1)` chains fold since ConstantOfShape/Equal/Where do).
            if products.contains(where: { node in node.outputs.contains { graph.tensors[$0].shape == nil } }) {
                unresolved.append(key)
                continue
            }
            let macs = products.reduce(0.0) { $0 + Double($1.cost.flops) / 2 }
            let ratio = macs / (harness.gmacs * 1e9)
            #expect(abs(ratio - 1) < 0.05, "\(file): Augur \(macs / 1e9) GMAC vs harness \(harness.gmacs)")
            compared += 1
        }
        #expect(compared > 0)
        #expect(unresolved.isEmpty, "graphs with unresolved products: \(unresolved)")
        #expect(files.contains { $0.hasPrefix("vit-") }, "the ViT graphs are among those compared")
    }
}
