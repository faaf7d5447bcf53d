import Foundation
import Testing
@testable import ModelGraph

/// BERT-large training trace on a V100 from the NeuSight dataset (read from ../shared).
@Suite struct NeuSightTests {
    static let csv = TestPaths.shared + "/datasets/neusight/labels/Tesla_V100-PCIE-32GB/bert_large-train-512-2.csv"

    @Test func layerIsRepeatedNumLayerTimes() throws {
        guard FileManager.default.fileExists(atPath: Self.csv) else {
            print("NeuSightTests: skipped, \(Self.csv) not found (set AUGUR_DATA)")
            return
        }
        let one = try NeuSightGraph.load(csv: Self.csv, repeatLayers: false)
        let whole = try NeuSightGraph.load(csv: Self.csv)
        let label = try NeuSightGraph.label(json: String(Self.csv.dropLast(4)) + ".json")
        #expect(label.numLayer == 24)
        let layerNodes = one.nodes.filter { $0.name.contains("layer_0") || $0.attributes["torch.target"]?.stringValue?.contains("layer.0") == true }
        #expect(layerNodes.count > 10)
        // Every node carries its measured latency.
        #expect(whole.nodes.allSatisfy { $0.measured != nil })
        #expect(one.inputs.count == 1 && whole.inputs.count == 1)
        // Per layer: Q, K, V, output projections (d×d) and the MLP (d×4d, 4d×d), d = 1024,
        // 1,024 tokens; 2 FLOPs per MAC plus the bias adds.
        let d = 1024, tokens = 2 * 512
        let perLayerGemm = 2 * tokens * 12 * d * d + tokens * (4 * d + 4 * d + d)
        let gemm = { (g: ModelGraph) in g.nodes.filter { $0.type == "Gemm" }.reduce(0) { $0 + $1.flops } }
        #expect(gemm(whole) - gemm(one) == 23 * perLayerGemm)
        let perLayerParams = 4 * (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * 2 * d
        #expect(whole.parameterCount - one.parameterCount == 23 * perLayerParams)
        // Attention score and context products: 2 · batch·heads · seq² · 64 each.
        let matmul = whole.nodes.filter { $0.type == "MatMul" }
        #expect(matmul.count == 2 * 24)
        #expect(matmul.allSatisfy { $0.flops == 2 * 2 * 16 * 512 * 512 * 64 })
        // The CSV's layer of operators is a quarter of a millisecond per Gemm: summed
        // forward labels stay within 2× of the measured whole-model forward time.
        let fw = whole.nodes.reduce(0.0) { $0 + ($1.measured?.forwardMs ?? 0) }
        #expect(fw > label.fwLatency / 2 && fw < label.fwLatency * 2, "sum \(fw) vs \(label.fwLatency)")
        // The repeated graph is well formed and costs ≈ 3× forward when training.
        let t = whole.cost(mode: .train)
        #expect(Double(t.flops) / Double(t.forwardFLOPs) > 2.5)
        #expect(try ModelGraph(json: whole.jsonData()) == whole)
    }

    @Test func damagedCSVThrows() throws {
        let path = TestPaths.temporaryFile("bad.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "op,target\nplaceholder,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ModelGraphError.self) { try NeuSightGraph.load(csv: path, repeatLayers: false) }
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ModelGraphError.self) { try NeuSightGraph.load(csv: path, repeatLayers: false) }
        #expect(throws: ModelGraphError.self) { try NeuSightGraph.load(csv: "/nonexistent.csv") }
    }

    /// Every damaged NeuSight CSV is a `ModelGraphError` naming the file, the line and the reason.
    @Test func errorsNameFileLineAndReason() throws {
        let header = "op,target,_input_nodes,output_shape,dtype,fw_latency,bw_latency,meta,Name\n"
        let good = "placeholder,x,{},\"(2, 3)\",torch.float32,0.0,0.0,{},x\n"
        let rows = try NeuSightGraph.parse(text: header + good + "\n" + good.replacingOccurrences(of: ",x\n", with: ",\"y \"\"z\"\"\"\n"), file: "ok.csv")
        #expect(rows.map(\.name) == ["x", "y \"z\""] && rows.map(\.line) == [2, 4] && rows[0].outputShape == [2, 3])
        let damaged: [(text: String, line: String?, reason: String)] = [
            (header + good + "placeholder,y\n", "line 3", "has 2 fields, header has 9"),
            (header + good + "placeholder,y,{},\"(2, 3),torch.float32,0.0,0.0,{},y\n", "line 3", "unterminated quoted field"),
            (header + "placeholder,x,{},(),torch.float32,abc,0.0,{},x\n", "line 2", "not numbers: 'abc', '0.0'"),
            (header + "placeholder,x,{},(),torch.float32,0.0,0.0,{},\n", "line 2", "empty"),
            ("op,target\nplaceholder,x\n", nil, "missing column '_input_nodes'"),
        ]
        for d in damaged {
            do {
                _ = try NeuSightGraph.parse(text: d.text, file: "bad.csv")
                Issue.record("\(d.reason): parsed")
            } catch let e as ModelGraphError {
                let text = e.description
                #expect(text.hasPrefix("bad.csv: ") && text.contains(d.reason), "\(text)")
                if let line = d.line { #expect(text.contains(line + " ") || text.contains(line + ":"), "\(text)") }
            }
        }
    }
}
