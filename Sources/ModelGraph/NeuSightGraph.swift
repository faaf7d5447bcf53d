import AugurCore
import Foundation

/// Transformer graphs of the NeuSight dataset (Lee et al. 2024, "Forecasting GPU
/// Performance for Deep Learning Training and Inference"): torch.fx operator graphs in
/// `labels/<GPU>/<model>-<inf|train>-<seq>-<batch>.csv`, with the layer count and
/// end-to-end latencies in the `.json` beside each CSV.
///
/// The CSV covers the embeddings, ONE transformer layer and the head. ``load(csv:json:repeatLayers:)``
/// builds that graph as given, or (default) repeats the layer `num_layer` times, feeding
/// each copy's output to the next. Each node keeps its measured `fw_latency`/`bw_latency`
/// as ``OpNode/measured``. torch operators are mapped onto ONNX operator names
/// (``NeuSightGraph/onnxType(op:target:moduleClass:dtype:)``); Linear and Embedding modules
/// get weight tensors of the shapes their inputs and outputs imply.
public enum NeuSightGraph {
    /// Whole-model labels of one NeuSight `.json` (milliseconds per iteration).
    public struct Label: Codable, Sendable, Hashable {
        public var numLayer: Int
        public var e2eLatency: Double
        public var fwLatency: Double
        public var bwallLatency: Double

        enum CodingKeys: String, CodingKey {
            case numLayer = "num_layer", e2eLatency = "e2e_latency"
            case fwLatency = "fw_latency", bwallLatency = "bwall_latency"
        }
    }

    /// Reads a label `.json`.
    public static func label(json path: String) throws -> Label {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelGraphError.unreadable(file: path, reason: error.localizedDescription)
        }
        do { return try JSONDecoder().decode(Label.self, from: data) } catch {
            throw ModelGraphError.malformed(file: path, field: "label", reason: "\(error)")
        }
    }

    /// Builds the graph of a NeuSight CSV. `json` defaults to the `.json` beside the CSV;
    /// with `repeatLayers` the layer is repeated `num_layer` times (whole model), else the
    /// graph is the CSV as given (one layer).
    public static func load(csv: String, json: String? = nil, repeatLayers: Bool = true) throws -> ModelGraph {
        let text: String
        do { text = try String(contentsOfFile: csv, encoding: .utf8) } catch {
            throw ModelGraphError.unreadable(file: csv, reason: error.localizedDescription)
        }
        var layers = 1
        if repeatLayers {
            let jsonPath = json ?? (csv.hasSuffix(".csv") ? String(csv.dropLast(4)) + ".json" : csv + ".json")
            layers = try label(json: jsonPath).numLayer
            guard layers >= 1 && layers <= 10_000 else {
                throw ModelGraphError.malformed(file: jsonPath, field: "num_layer", reason: "must be 1...10000, got \(layers)")
            }
        }
        let rows = try parse(text: text, file: csv)
        let name = URL(fileURLWithPath: csv).deletingPathExtension().lastPathComponent
        var assembler = Assembler(file: csv, rows: rows, builder: GraphBuilder(name: name))
        return try assembler.build(layers: layers)
    }

    /// The rows of a NeuSight CSV, read by AugurCore's `CSVTable` (RFC 4180), fields as written
    /// (not trimmed). Every damaged file is a ``ModelGraphError`` naming the file, line and reason.
    static func parse(text: String, file: String) throws -> [NeuSightRow] {
        do { return try parse(CSVTable(text: text, path: file)) } catch let e as InputError {
            let field = [e.line.map { "line \($0)" }, e.field].compactMap { $0 }.joined(separator: " ")
            throw ModelGraphError.malformed(file: e.file, field: field.isEmpty ? "file" : field, reason: e.reason)
        }
    }

    private static func parse(_ table: CSVTable) throws -> [NeuSightRow] {
        let file = table.path
        let c = (
            op: try table.column("op"), target: try table.column("target"), inputs: try table.column("_input_nodes"),
            out: try table.column("output_shape"), dtype: try table.column("dtype"),
            fw: try table.column("fw_latency"), bw: try table.column("bw_latency"),
            meta: try table.column("meta"), name: try table.column("Name"))
        var rows: [NeuSightRow] = []
        for row in table.rows {
            let line = row.line, f = row.fields.map(String.init)
            if f.count == 1 && f[0].isEmpty { continue }
            guard f.count == table.header.count else {
                throw ModelGraphError.malformed(
                    file: file, field: "line \(line)", reason: "has \(f.count) fields, header has \(table.header.count)")
            }
            guard let fw = Double(f[c.fw]), let bw = Double(f[c.bw]), fw.isFinite, bw.isFinite else {
                throw ModelGraphError.malformed(
                    file: file, field: "line \(line) fw_latency/bw_latency", reason: "not numbers: '\(f[c.fw])', '\(f[c.bw])'")
            }
            guard !f[c.name].isEmpty else {
                throw ModelGraphError.malformed(file: file, field: "line \(line) Name", reason: "empty")
            }
            let meta = NeuSightRow.parseMeta(f[c.meta])
            rows.append(NeuSightRow(
                line: line, name: f[c.name], op: f[c.op], target: f[c.target],
                inputs: NeuSightRow.parseNames(f[c.inputs]), outputShape: NeuSightRow.parseShape(f[c.out]),
                dtype: DType(torchName: f[c.dtype]), forwardMs: fw, backwardMs: bw,
                moduleClass: meta.moduleClass, layerIndex: meta.layer))
        }
        return rows
    }
}
