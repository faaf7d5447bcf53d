import ClusterKit
import Foundation
import ModelGraph
import Tensors

/// Many prediction queries at once (`augur predict --queries FILE.csv`): one CSV row per query
/// with columns `graph` (a ``GraphSource`` name), `device`, `batch`, and optionally `mode`
/// (`infer`, default, or `train`), `precision` (`fp32`, default, `tf32`, `fp16`, `bf16`) and
/// `attention` (`as-built`, default, or `fused`: ``ModelGraph/fusingAttention()``, as
/// `augur predict --fuse-attention`). Every row
/// gets one answer row, in order; a row that cannot be answered (a field that does not parse,
/// a graph that does not load, a device the model cannot answer) gets its reason in `error`
/// and is counted, never fatal. Graphs are built once per (graph, batch) and featurized and
/// predicted on all cores.
public struct PredictionQueries: Sendable {
    public struct Query: Sendable, Hashable {
        public var line: Int
        public var graph: String
        public var device: String
        public var batch: Int
        public var mode: RunMode
        public var precision: Precision
        /// Fuse the graph's attention (``ModelGraph/fusingAttention()``).
        public var fuseAttention: Bool = false
    }

    /// One answer row: the query (as far as it parsed) and the prediction, or why there is none.
    public struct Answer: Sendable {
        public var line: Int
        public var fields: [String]
        public var prediction: SamplePrediction?
        public var prior: Double?
        public var error: String?
    }

    /// Rows as parsed: a query or the reason the row is unusable, with the row's raw fields.
    public var rows: [(line: Int, raw: [String], query: Result<Query, InputError>)]
    public let path: String

    /// Reads the query file; errors only when the file itself is unusable (unreadable, no
    /// header, missing a required column).
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, reason: "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, reason: "not UTF-8 text") }
        let table = try CSVTable(text: text, path: path)
        let g = try table.column("graph"), d = try table.column("device"), b = try table.column("batch")
        let m = table.optionalColumn("mode"), p = table.optionalColumn("precision"), a = table.optionalColumn("attention")
        rows = table.rows.map { row in
            let raw = [g, d, b, m ?? -1, p ?? -1].map { $0 >= 0 && $0 < row.fields.count ? String(row.fields[$0]) : "" }
            let parse = { () throws -> Query in
                let batch = try row.int(b, "batch", in: table)
                guard batch >= 1, batch <= 1 << 20 else {
                    throw InputError(file: path, line: row.line, field: "batch", reason: "must be within 1...1048576, got \(batch)")
                }
                let modeText = try m.map { String(try row.string($0, "mode", in: table)) } ?? "infer"
                guard let mode = RunMode(rawValue: modeText.isEmpty ? "infer" : modeText) else {
                    throw InputError(file: path, line: row.line, field: "mode", reason: "'\(modeText)' is not train or infer")
                }
                let precisionText = try p.map { String(try row.string($0, "precision", in: table)) } ?? "fp32"
                guard let precision = Precision(rawValue: precisionText.isEmpty ? "fp32" : precisionText) else {
                    throw InputError(file: path, line: row.line, field: "precision", reason: "'\(precisionText)' is not \(Precision.choices)")
                }
                let graph = String(try row.string(g, "graph", in: table)), device = String(try row.string(d, "device", in: table))
                guard !graph.isEmpty else { throw InputError(file: path, line: row.line, field: "graph", reason: "empty") }
                let attention = try a.map { String(try row.string($0, "attention", in: table)) } ?? ""
                guard ["", "as-built", "fused"].contains(attention) else {
                    throw InputError(file: path, line: row.line, field: "attention", reason: "'\(attention)' is not as-built or fused")
                }
                return Query(line: row.line, graph: graph, device: device, batch: batch, mode: mode, precision: precision,
                             fuseAttention: attention == "fused")
            }
            let query: Result<Query, InputError>
            do { query = .success(try parse()) } catch let e as InputError { query = .failure(e) } catch {
                query = .failure(InputError(file: path, line: row.line, reason: "\(error)"))
            }
            return (row.line, raw, query)
        }
    }

    /// Answers every row with `model`.
    public func answer(model: PerfModel, catalog: DeviceCatalog, products: MatrixProducts = .fixedOrder) -> [Answer] {
        var answers = rows.map { r -> Answer in
            var a = Answer(line: r.line, fields: r.raw)
            if case .failure(let e) = r.query { a.error = e.reason + (e.field.map { " (\($0))" } ?? "") }
            return a
        }
        let graphs = NamedGraphs(rows.compactMap { r in try? r.query.get() }.map { ($0.graph, $0.batch, $0.fuseAttention) }, relativeTo: path)
        var data = PerfDataset()
        var graphIndex: [Int: Int] = [:]
        for (i, r) in graphs.built.enumerated() {
            if case .success(let f) = r {
                graphIndex[i] = data.graphs.count
                data.graphs.append(f)
                data.info.append(.init(model: graphs.items[i].spec, family: "", batchSize: graphs.items[i].batch, hasOperatorLabels: false))
            }
        }
        var asked: [Int] = []
        for (k, r) in rows.enumerated() {
            guard case .success(let q) = r.query else { continue }
            let item = graphs.item(q.graph, q.batch, fuseAttention: q.fuseAttention)
            guard let g = graphIndex[item] else {
                if case .failure(let e) = graphs.built[item] { answers[k].error = "graph: \(e)" }
                continue
            }
            guard model.canPredict(q.device, catalog: catalog) else {
                answers[k].error = "device '\(q.device)' is neither in the catalog nor one the model was trained or adapted on"
                continue
            }
            let prior = PerfDataset.priors(profile: data.graphs[g].profile, mode: q.mode, precision: q.precision, spec: catalog[q.device])
            answers[k].prior = prior.time
            data.samples.append(PerfSample(graph: g, device: q.device, batchSize: q.batch, mode: q.mode, precision: q.precision,
                                           priorTime: prior.time, priorMemory: prior.memory))
            asked.append(k)
        }
        do {
            let predictions = try model.predict(data, samples: Array(data.samples.indices), catalog: catalog, products: products)
            for (k, p) in zip(asked, predictions) {
                if let t = p.time, !(t.isFinite && t > 0) { answers[k].error = "the model's answer is not a finite positive time" } else { answers[k].prediction = p }
            }
        } catch {
            for k in asked { answers[k].error = "\(error)" }
        }
        return answers
    }

    /// The answers as CSV (RFC 4180 quoting): the query's fields, then the predictions in ms,
    /// MiB and 0…1, the analytic prior, the novelty distance, the device whose measurement
    /// answered the time of a device the model never trained on (empty: the network answered)
    /// and the error, if any.
    /// `digits` significant digits per figure (17: every bit of the answer).
    public static func csv(_ answers: [Answer], digits: Int = 6) -> String {
        let quote = CSVTable.quote
        func num(_ x: Double?, _ scale: Double = 1) -> String { x.map { String(format: "%.\(digits)g", $0 * scale) } ?? "" }
        var lines = ["line,graph,device,batch,mode,precision,time_ms,time_lower_ms,time_upper_ms,memory_mib,sm_utilization,prior_ms,novelty,time_measured_on,error"]
        for a in answers {
            let p = a.prediction
            let fields = a.fields.map(quote) + [num(p?.time, 1000), num(p?.timeLower, 1000), num(p?.timeUpper, 1000), num(p?.memory, 1 / 1_048_576),
                                               num(p?.utilization), num(a.prior, 1000), num(p?.novelty), quote(p?.measuredOn ?? ""), quote(a.error ?? "")]
            lines.append("\(a.line)," + fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
