import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// A device column of a latency table in the layout of `nb201-latency/latency_ms.csv`.
    public struct LatencyColumn: Sendable, Hashable {
        public var header: String
        /// Catalog device name, or the header itself when the catalog does not know it.
        public var device: String
        public var batchSize: Int
        /// Whether the catalog knows the device (its specs feed the predictor).
        public var known: Bool
    }

    /// Resolves the device columns of a latency table: `<device>_<batch>` or `<device>` where
    /// the catalog has an `nb201:<device>` alias or a device of that name; any other column is a
    /// device of unknown specs, batch 1.
    public static func latencyColumns(header: [String], catalog: DeviceCatalog) -> [LatencyColumn] {
        header.compactMap { name -> LatencyColumn? in
            if name == "arch_index" || name == "arch" { return nil }
            func known(_ n: String) -> DeviceSpec? { catalog.device(dataset: "nb201", name: n) ?? catalog[n] }
            if let us = name.lastIndex(of: "_"), let b = Int(name[name.index(after: us)...]), b > 0,
               let spec = known(String(name[..<us])) {
                return LatencyColumn(header: name, device: spec.name, batchSize: b, known: true)
            }
            if let spec = known(name) { return LatencyColumn(header: name, device: spec.name, batchSize: 1, known: true) }
            return LatencyColumn(header: name, device: name, batchSize: 1, known: false)
        }
    }

    /// One latency cell (ms) of a latency table: nil when empty, an `InputError` naming the
    /// file, line and column when it is not a positive number.
    static func latency(_ row: CSVTable.Row, _ column: Int, _ header: String, in table: CSVTable, path: String) throws -> Double? {
        let raw = try row.string(column, header, in: table)
        guard !raw.isEmpty else { return nil }
        let v = try row.double(column, header, in: table)
        guard v > 0, v.isFinite else {
            throw InputError(file: path, line: row.line, field: header, reason: "latency must be a positive number of ms, got \(raw)")
        }
        return v
    }

    /// Loads a latency table in the layout of `nb201-latency/latency_ms.csv`: an `arch` column
    /// of NAS-Bench-201 architecture strings (Dong & Yang 2020), an optional `arch_index`, and
    /// one column of inference latency (ms) per device setting, whatever the devices.
    /// With `stride > 1` only every `stride`-th row is read; `columns` limits the device columns
    /// (headers); `override` names the device of every column (e.g. a device the catalog does not
    /// know, for `augur adapt`). Every damaged cell is an `InputError` naming the file, line and column.
    public static func nb201(path: String, catalog: DeviceCatalog, stride: Int = 1,
                             columns only: Set<String>? = nil, device override: String? = nil) throws -> PerfDataset {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cArch = try table.column("arch")
        let cIndex = table.header.firstIndex(of: "arch_index")
        var columns = latencyColumns(header: table.header, catalog: catalog)
        if let only { columns = columns.filter { only.contains($0.header) } }
        if let override {
            columns = columns.map { c in
                var c = c
                c.device = override
                c.known = catalog[override] != nil
                return c
            }
        }
        guard !columns.isEmpty else {
            throw InputError(file: path, line: 1, reason: "no device columns" + (only.map { " among \($0.sorted())" } ?? ""))
        }
        let columnIndex = columns.map { table.header.firstIndex(of: $0.header)! }
        let batches = Array(Set(columns.map(\.batchSize))).sorted()
        struct Row { var model: String; var arch: String; var ms: [Double?] }
        var rows: [Row] = []
        for (r, row) in table.rows.enumerated() where r % max(stride, 1) == 0 {
            let arch = String(try row.string(cArch, "arch", in: table))
            do { _ = try NB201Architecture(arch) } catch {
                throw InputError(file: path, line: row.line, field: "arch", reason: "\(error)")
            }
            let index = try cIndex.map { try row.int($0, "arch_index", in: table) } ?? r
            var ms: [Double?] = []
            for (k, c) in columnIndex.enumerated() {
                ms.append(try latency(row, c, columns[k].header, in: table, path: path))
            }
            rows.append(Row(model: "nb201-\(index)", arch: arch, ms: ms))
        }
        let specs = columns.map { catalog[$0.device] }
        let rowList = rows, columnList = columns
        let built = try Parallel.map(rows.count * batches.count) { i -> (GraphFeatures, [PerfSample]) in
            let row = rowList[i / batches.count], batch = batches[i % batches.count]
            let graph = try NB201.graph(arch: row.arch, batchSize: batch, executed: true)
            let features = GraphFeaturizer.features(of: graph, batchSize: batch)
            var samples: [PerfSample] = []
            for (k, c) in columnList.enumerated() where c.batchSize == batch {
                guard let ms = row.ms[k] else { continue }
                let prior = priors(profile: features.profile, mode: .infer, precision: .fp32, spec: specs[k])
                samples.append(PerfSample(graph: i, device: c.device, batchSize: batch, mode: .infer,
                                          time: ms / 1000, priorTime: prior.time, priorMemory: prior.memory))
            }
            return (features, samples)
        }
        var data = PerfDataset()
        data.sources = [path]
        for (i, (features, samples)) in built.enumerated() {
            data.graphs.append(features)
            data.info.append(GraphInfo(model: rows[i / batches.count].model, family: "nb201",
                                       batchSize: batches[i % batches.count], hasOperatorLabels: false))
            data.samples += samples
        }
        return data
    }
}
