/// Options of the old one-call readers of production traces (Philly, ITP, Alibaba), which name no
/// model: `read(path:options:)` is `read(path:limit:devices:)` then
/// `RawTrace.assignModels(catalog:seed:skipUnassignable:)` (see `TraceImporter`).
public struct ProductionImport: Sendable {
    public var catalog: WorkloadCatalog
    public var seed: UInt64
    /// Keep at most this many rows (in file order), for quick runs.
    public var limit: Int?
    /// Drop jobs no measured configuration could run on the cluster (else it is an error).
    public var skipUnassignable: Bool
    public var skipped = 0

    public init(catalog: WorkloadCatalog, seed: UInt64, limit: Int? = nil, skipUnassignable: Bool = false) {
        self.catalog = catalog
        self.seed = seed
        self.limit = limit
        self.skipUnassignable = skipUnassignable
    }

    /// One job drawn from the catalog (the generator's; traces go through `RawTrace.assignModels`).
    func job(id: String, submit: Double, duration: Double, gpus: Int, gpuMilli: Int = 1000,
             priority: Int = 0, constraint: [String] = [], file: String, line: Int) throws -> Job? {
        try TraceRow.unassigned(id: id, submit: submit, duration: duration, gpus: gpus, gpuMilli: gpuMilli, priority: priority,
                                constraint: constraint, file: file, line: line)
            .assigned(catalog: catalog, seed: seed, skipUnassignable: skipUnassignable, file: file)
    }

    func assign(_ raw: RawTrace) throws -> Trace {
        try raw.assignModels(catalog: catalog, seed: seed, skipUnassignable: skipUnassignable)
    }
}

/// Philly (Jeon et al., "Analysis of Large-Scale Multi-Tenant GPU Clusters for DNN Training
/// Workloads", ATC 2019): `timestamp,duration,num_gpus,gpu_time,cluster`, timestamps as
/// `YYYY-MM-DD hh:mm:ss`, durations in seconds. Submit times are taken relative to the earliest.
public enum PhillyImporter: TraceImporter {
    public static let format = "philly"
    public static var drawsModels: Bool { true }
    public static func matches(header: Substring) -> Bool { TraceImporters.csvHeader(header, startsWith: "timestamp,duration,num_gpus") }

    public static func read(path: String, options: ProductionImport) throws -> Trace {
        try options.assign(read(path: path, limit: options.limit, devices: nil))
    }

    public static func read(path: String, limit: Int?, devices: DeviceCatalog?) throws -> RawTrace {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cTime = try table.column("timestamp"), cDur = try table.column("duration"), cGPU = try table.column("num_gpus")
        var times: [Int64] = []
        // Rows as read: submit is the absolute timestamp until the earliest is known.
        var rows = try TraceImporters.rows(of: table, limit: limit) { row, _ in
            let ts = try row.string(cTime, "timestamp", in: table)
            guard let t = parseTimestamp(ts) else {
                throw InputError(file: path, line: row.line, field: "timestamp", reason: "'\(ts)' is not YYYY-MM-DD hh:mm:ss")
            }
            let d = try row.double(cDur, "duration", in: table)
            guard d > 0 else { throw InputError(file: path, line: row.line, field: "duration", reason: "must be positive") }
            let g = try row.int(cGPU, "num_gpus", in: table)
            guard g > 0 else { throw InputError(file: path, line: row.line, field: "num_gpus", reason: "must be positive") }
            times.append(t)
            return TraceRow(line: row.line, id: "", submit: .zero, config: nil, work: .duration(seconds: d, referenceDevice: ""), gpus: g)
        }
        let t0 = times.min() ?? 0
        for i in rows.indices {
            guard case .duration(let d, _) = rows[i].work else { continue }
            rows[i] = try .unassigned(id: "philly-\(i)", submit: Double(times[i] - t0), duration: d, gpus: rows[i].gpus,
                                      file: path, line: rows[i].line)
        }
        return RawTrace(name: "philly", source: path, rows: rows)
    }

    /// Seconds since 1970-01-01 of a UTC `YYYY-MM-DD hh:mm:ss` (days-from-civil, H. Hinnant).
    public static func parseTimestamp(_ s: Substring) -> Int64? {
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" || $0 == "T" })
        guard parts.count == 6, let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
              let hh = Int64(parts[3]), let mm = Int64(parts[4]), let ss = Int64(parts[5]),
              (1...9999).contains(y), (1...12).contains(m), (1...31).contains(d), (0...23).contains(hh), (0...59).contains(mm), (0...60).contains(ss)
        else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= monthDays[Int(m) - 1] else { return nil }
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hh * 3600 + mm * 60 + ss
    }
}

/// Microsoft ITP (Hu et al., "Characterization and Prediction of Deep Learning Workloads in
/// Large-Scale GPU Datacenters", SC 2021, as released with Lucid): `job_id,submission_time,
/// duration,num_gpu`, seconds. Submit times are taken relative to the earliest.
public enum ITPImporter: TraceImporter {
    public static let format = "itp"
    public static var drawsModels: Bool { true }
    public static func matches(header: Substring) -> Bool { TraceImporters.csvHeader(header, startsWith: "job_id,submission_time,duration,num_gpu") }

    public static func read(path: String, options: ProductionImport) throws -> Trace {
        try options.assign(read(path: path, limit: options.limit, devices: nil))
    }

    public static func read(path: String, limit: Int?, devices: DeviceCatalog?) throws -> RawTrace {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cID = try table.column("job_id"), cSub = try table.column("submission_time")
        let cDur = try table.column("duration"), cGPU = try table.column("num_gpu")
        var ids: Set<String> = []
        var times: [Double] = []
        var rows = try TraceImporters.rows(of: table, limit: limit) { row, _ in
            let t = try row.double(cSub, "submission_time", in: table)
            guard t >= 0 else { throw InputError(file: path, line: row.line, field: "submission_time", reason: "must not be negative") }
            let d = try row.double(cDur, "duration", in: table)
            guard d > 0 else { throw InputError(file: path, line: row.line, field: "duration", reason: "must be positive") }
            let g = try row.int(cGPU, "num_gpu", in: table)
            guard g > 0 else { throw InputError(file: path, line: row.line, field: "num_gpu", reason: "must be positive") }
            let id = "itp-" + String(try row.string(cID, "job_id", in: table))
            guard ids.insert(id).inserted else {
                throw InputError(file: path, line: row.line, field: "job_id", reason: "duplicate job id '\(id.dropFirst(4))'")
            }
            times.append(t)
            return TraceRow(line: row.line, id: id, submit: .zero, config: nil, work: .duration(seconds: d, referenceDevice: ""), gpus: g)
        }
        let t0 = times.min() ?? 0
        for i in rows.indices {
            guard case .duration(let d, _) = rows[i].work else { continue }
            rows[i] = try .unassigned(id: rows[i].id, submit: times[i] - t0, duration: d, gpus: rows[i].gpus, file: path, line: rows[i].line)
        }
        let name = String(path.split(separator: "/").last ?? "itp").replacingOccurrences(of: ".csv", with: "")
        return RawTrace(name: "itp-\(name)", source: path, rows: rows)
    }
}
