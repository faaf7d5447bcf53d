/// Options shared by the importers of production traces (Philly, ITP, Alibaba), which name no
/// model: each job is given a configuration from `catalog` (see `WorkloadCatalog`).
public struct ProductionImport: Sendable {
    public var catalog: WorkloadCatalog
    public var seed: UInt64
    /// Keep at most this many jobs (in file order), for quick runs.
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

    /// Rejects a table with more rows than `Limits.maxJobs` before any job is built.
    func checkRowCount(_ table: CSVTable) throws {
        guard table.rows.count <= Limits.maxJobs || (limit ?? Int.max) <= Limits.maxJobs else {
            throw InputError(file: table.path, line: table.rows[Limits.maxJobs].line,
                             reason: "more than \(Limits.maxJobs) rows, the limit of one trace (use --limit)")
        }
    }

    func job(id: String, submit: Double, duration: Double, gpus: Int, gpuMilli: Int = 1000,
             priority: Int = 0, constraint: [String] = [], file: String, line: Int) throws -> Job? {
        _ = try Limits.seconds(submit, file: file, line: line, field: "submit time")
        _ = try Limits.seconds(duration, file: file, line: line, field: "duration", allowZero: false)
        _ = try Limits.count(gpus, maximum: Limits.maxDevices, file: file, line: line, field: "GPUs")
        guard let entry = catalog.assign(jobID: id, gpus: gpus, constraint: constraint, seed: seed) else {
            if skipUnassignable { return nil }
            let limits = constraint.isEmpty ? "" : " on \(constraint.joined(separator: "|"))"
            throw InputError(file: file, line: line, reason: "no measured configuration can run as a \(gpus)-GPU job\(limits) on this cluster (pass --skip-infeasible to drop such jobs)")
        }
        return Job(id: id, submit: SimTime(seconds: submit), config: entry.config,
                   work: .duration(seconds: duration, referenceDevice: entry.referenceDevice),
                   gpus: gpus, gpuMilli: gpuMilli, priority: priority, deviceConstraint: constraint)
    }
}

/// Philly (Jeon et al., "Analysis of Large-Scale Multi-Tenant GPU Clusters for DNN Training
/// Workloads", ATC 2019): `timestamp,duration,num_gpus,gpu_time,cluster`, timestamps as
/// `YYYY-MM-DD hh:mm:ss`, durations in seconds. Submit times are taken relative to the earliest.
public enum PhillyImporter {
    public static func read(path: String, options: ProductionImport) throws -> Trace {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cTime = try table.column("timestamp"), cDur = try table.column("duration"), cGPU = try table.column("num_gpus")
        var raw: [(line: Int, t: Int64, d: Double, g: Int)] = []
        try options.checkRowCount(table)
        for row in table.rows {
            if let limit = options.limit, raw.count >= limit { break }
            let ts = try row.string(cTime, "timestamp", in: table)
            guard let t = parseTimestamp(ts) else {
                throw InputError(file: path, line: row.line, field: "timestamp", reason: "'\(ts)' is not YYYY-MM-DD hh:mm:ss")
            }
            let d = try row.double(cDur, "duration", in: table)
            guard d > 0 else { throw InputError(file: path, line: row.line, field: "duration", reason: "must be positive") }
            let g = try row.int(cGPU, "num_gpus", in: table)
            guard g > 0 else { throw InputError(file: path, line: row.line, field: "num_gpus", reason: "must be positive") }
            raw.append((row.line, t, d, g))
        }
        let t0 = raw.map(\.t).min() ?? 0
        let jobs = try raw.enumerated().compactMap { i, r in
            try options.job(id: "philly-\(i)", submit: Double(r.t - t0), duration: r.d, gpus: r.g, file: path, line: r.line)
        }
        return Trace(name: "philly", source: path, jobs: jobs, dropped: raw.count - jobs.count)
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
public enum ITPImporter {
    public static func read(path: String, options: ProductionImport) throws -> Trace {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cID = try table.column("job_id"), cSub = try table.column("submission_time")
        let cDur = try table.column("duration"), cGPU = try table.column("num_gpu")
        var raw: [(line: Int, id: String, t: Double, d: Double, g: Int)] = []
        var ids: Set<String> = []
        try options.checkRowCount(table)
        for row in table.rows {
            if let limit = options.limit, raw.count >= limit { break }
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
            raw.append((row.line, id, t, d, g))
        }
        let t0 = raw.map(\.t).min() ?? 0
        let jobs = try raw.compactMap { try options.job(id: $0.id, submit: $0.t - t0, duration: $0.d, gpus: $0.g, file: path, line: $0.line) }
        let name = String(path.split(separator: "/").last ?? "itp").replacingOccurrences(of: ".csv", with: "")
        return Trace(name: "itp-\(name)", source: path, jobs: jobs, dropped: raw.count - jobs.count)
    }
}
