import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// Loads the project's own measurements (`data/measurements/*.csv` from `tools/measure`,
    /// re-measurements excluded) with the graphs the harness exported
    /// (`<graphs>/<config id without -b<batch>>.onnx`, imported at the row's batch size).
    /// Rows whose outcome is a failure (`oom`, `error`) and rows whose graph was not exported are
    /// skipped and counted in `skipped`. Device settings resolve through `augur:<device>@<threads>`.
    public static func augur(measurements path: String, graphs: String, catalog: DeviceCatalog) throws -> (data: PerfDataset, skipped: Int) {
        let path = Installation.resolve(path), graphs = Installation.resolve(graphs)
        var files: [String] = []
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, reason: "no such file or directory")
        }
        if isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.sorted().filter { $0.hasSuffix(".csv") && !$0.hasSuffix("-remeasure.csv") }.map { "\(path)/\($0)" }
        } else {
            files = [path]
        }
        struct Row { var model: String; var family: String; var batch: Int; var mode: RunMode; var device: String; var ms: Double; var rss: Double }
        var rows: [Row] = []
        var skipped = 0
        let names = ["config_id", "family", "batch_size", "mode", "device", "threads", "precision", "status", "median_ms", "peak_rss_mib"]
        for file in files {
            let table = try CSVTable(text: TextFile.read(file), path: file)
            let c = try names.map { try table.column($0) }
            for row in table.rows {
                func s(_ k: Int) throws -> Substring { try row.string(c[k], names[k], in: table) }
                func fail(_ k: Int, _ reason: String) -> InputError { InputError(file: file, line: row.line, field: names[k], reason: reason) }
                let status = try s(7)
                guard status == "ok" else {
                    guard status == "oom" || status == "error" else { throw fail(7, "'\(status)' is not ok, oom or error") }
                    skipped += 1
                    continue
                }
                let batch = try row.int(c[2], names[2], in: table)
                guard batch > 0 else { throw fail(2, "must be positive") }
                guard let model = MeasuredOracle.augurModel(configID: try s(0), batch: batch) else { throw fail(0, "does not end in -b\(batch)") }
                guard let mode = RunMode(rawValue: String(try s(3))) else { throw fail(3, "must be train or infer") }
                let alias = "\(try s(4))@\(try s(5))"
                guard let device = catalog.device(dataset: "augur", name: alias) else {
                    throw fail(4, "device setting '\(alias)' has no 'augur:\(alias)' alias in the device catalog")
                }
                let ms = try row.double(c[8], names[8], in: table), rss = try row.double(c[9], names[9], in: table)
                guard ms > 0, rss > 0 else { throw fail(ms > 0 ? 9 : 8, "must be positive") }
                rows.append(Row(model: model, family: String(try s(1)), batch: batch, mode: mode, device: device.name, ms: ms, rss: rss))
            }
        }
        // One graph per (model, batch), in first-appearance order.
        var keys: [String] = []
        var keyIndex: [String: Int] = [:]
        for r in rows where keyIndex["\(r.model)|\(r.batch)"] == nil {
            keyIndex["\(r.model)|\(r.batch)"] = keys.count
            keys.append("\(r.model)|\(r.batch)")
        }
        let keyList = keys
        let firstRow = Dictionary(rows.map { ("\($0.model)|\($0.batch)", $0) }, uniquingKeysWith: { a, _ in a })
        let built = try Parallel.map(keys.count) { i -> GraphFeatures? in
            let r = firstRow[keyList[i]]!
            let file = "\(graphs)/\(r.model.dropFirst("augur-".count)).onnx"
            guard FileManager.default.fileExists(atPath: file) else { return nil }
            let graph = try ONNXImporter.load(path: file, batchSize: r.batch)
            return GraphFeaturizer.features(of: graph, batchSize: r.batch)
        }
        var data = PerfDataset()
        data.sources = files
        var graphIndex: [Int: Int] = [:]
        for (i, b) in built.enumerated() {
            guard let b else { continue }
            graphIndex[i] = data.graphs.count
            data.graphs.append(b)
            let r = firstRow[keys[i]]!
            data.info.append(GraphInfo(model: r.model, family: r.family, batchSize: r.batch, hasOperatorLabels: false))
        }
        var priorCache: [String: (Double?, Double)] = [:]
        for r in rows {
            let key = "\(r.model)|\(r.batch)"
            guard let g = graphIndex[keyIndex[key]!] else { skipped += 1; continue }
            let pk = "\(key)|\(r.mode)|\(r.device)"
            let prior = priorCache[pk] ?? { let p = priors(profile: data.graphs[g].profile, mode: r.mode, precision: .fp32, spec: catalog[r.device]); return (p.time, p.memory) }()
            priorCache[pk] = prior
            data.samples.append(PerfSample(graph: g, device: r.device, batchSize: r.batch, mode: r.mode,
                                           time: r.ms / 1000, memory: r.rss * 1_048_576, priorTime: prior.0, priorMemory: prior.1))
        }
        return (data, skipped)
    }
}
