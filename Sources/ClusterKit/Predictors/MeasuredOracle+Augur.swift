import Foundation

extension MeasuredOracle {
    /// Columns of the project's own measurement files (`tools/measure`, `data/measurements/`).
    static let augurColumns = ["config_id", "batch_size", "mode", "device", "threads", "precision", "status",
                               "median_ms", "p10_ms", "p90_ms", "peak_rss_mib"]

    /// What loading one measurement file found.
    public struct AugurLoadReport: Sendable, Equatable {
        public var rows = 0
        /// Rows whose outcome was a failure (`oom`, `error`): kept out of the table.
        public var failures = 0
    }

    /// The oracle's model name for a configuration of the project's own measurements: its id
    /// without the batch size, prefixed `augur-` (e.g. `augur-resnet18-r32`).
    public static func augurModel(configID: Substring, batch: Int) -> String? {
        let suffix = "-b\(batch)"
        guard configID.hasSuffix(suffix) else { return nil }
        return "augur-" + configID.dropLast(suffix.count)
    }

    /// Loads a measurement file written by `tools/measure` (CSV; header and units in
    /// `data/measurements/README.md`). Time per iteration is the median, its interval the 10th
    /// to 90th percentile; peak memory is the process's peak resident set during the timed runs.
    /// Device settings are resolved through the catalog's `augur:<device>@<threads>` aliases.
    /// Every damaged row is an `InputError` naming the file, line and field.
    @discardableResult
    public mutating func loadAugurMeasurements(path: String, catalog: DeviceCatalog) throws -> AugurLoadReport {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let c = try Self.augurColumns.map { try table.column($0) }
        var report = AugurLoadReport()
        var seen: Set<PerformanceQuery> = []
        var devicesUsed: [String] = []
        for row in table.rows {
            report.rows += 1
            func field(_ i: Int) throws -> Substring { try row.string(c[i], Self.augurColumns[i], in: table) }
            func fail(_ i: Int, _ reason: String) -> InputError {
                InputError(file: path, line: row.line, field: Self.augurColumns[i], reason: reason)
            }
            let status = try field(6)
            switch status {
            case "ok": break
            case "oom", "error": report.failures += 1; continue
            default: throw fail(6, "'\(status)' is not ok, oom or error")
            }
            let batch = try row.int(c[1], "batch_size", in: table)
            guard batch > 0 else { throw fail(1, "must be positive") }
            guard let model = Self.augurModel(configID: try field(0), batch: batch) else {
                throw fail(0, "'\(try field(0))' does not end in -b\(batch)")
            }
            guard let mode = RunMode(rawValue: String(try field(2))) else { throw fail(2, "must be train or infer") }
            guard let precision = Precision(rawValue: String(try field(5))) else { throw fail(5, "must be \(Precision.choices)") }
            let alias = "\(try field(3))@\(try field(4))"
            guard let device = catalog.device(dataset: "augur", name: alias) else {
                throw fail(3, "device setting '\(alias)' has no 'augur:\(alias)' alias in the device catalog")
            }
            let median = try row.double(c[7], "median_ms", in: table)
            let p10 = try row.double(c[8], "p10_ms", in: table), p90 = try row.double(c[9], "p90_ms", in: table)
            let rss = try row.double(c[10], "peak_rss_mib", in: table)
            guard median > 0 else { throw fail(7, "must be positive") }
            guard p10 <= median, median <= p90 else { throw fail(8, "p10_ms ≤ median_ms ≤ p90_ms does not hold") }
            guard rss > 0 else { throw fail(10, "must be positive") }
            let query = PerformanceQuery(config: ModelConfig(model: model, batchSize: batch, mode: mode, precision: precision), device: device.name)
            guard seen.insert(query).inserted else { throw fail(0, "duplicate measurement of \(query.config) on \(device.name)") }
            insert(query, Entry(estimate: PerformanceEstimate(
                timePerIteration: median / 1000, peakMemoryBytes: Int64((rss * 1_048_576).rounded()),
                timeInterval: EstimateInterval(lower: p10 / 1000, upper: p90 / 1000)), source: "augur"))
            if !devicesUsed.contains(device.name) { devicesUsed.append(device.name) }
        }
        if let reference = devicesUsed.sorted().first { setReferenceDevice(reference, forModelsWithPrefix: "augur-") }
        return report
    }

    /// Loads every `*.csv` directly under `directory` except re-measurements (`*-remeasure.csv`),
    /// in name order. A missing directory loads nothing.
    @discardableResult
    public mutating func loadAugurMeasurements(directory: String, catalog: DeviceCatalog) throws -> AugurLoadReport {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return AugurLoadReport() }
        var total = AugurLoadReport()
        for name in names.sorted() where name.hasSuffix(".csv") && !name.hasSuffix("-remeasure.csv") {
            let r = try loadAugurMeasurements(path: (directory as NSString).appendingPathComponent(name), catalog: catalog)
            total.rows += r.rows
            total.failures += r.failures
        }
        return total
    }
}
