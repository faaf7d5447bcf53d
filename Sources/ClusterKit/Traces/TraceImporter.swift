/// A trace format Augur reads. Reading is the first of three stages, each separate:
///
/// 1. `read(path:limit:devices:)`: the file's rows (`RawTrace`), checked against `Limits`;
///    rows of production traces name no model.
/// 2. `RawTrace.assignModels(catalog:seed:skipUnassignable:)`: rows without a model are given
///    one from a `WorkloadCatalog`, seeded per job id (so the order of stages changes nothing).
/// 3. `Trace.bindingWork(to:)`: durations become iterations with the measured oracle.
///
/// Reading needs neither the oracle nor the cluster. A new format is one file (a type
/// conforming to this protocol) and one line (its entry in `TraceImporters.all`).
public protocol TraceImporter: Sendable {
    /// The name `--trace-format` takes (e.g. `philly`).
    static var format: String { get }
    /// Whether a file whose first line is `header` is of this format (for `--trace-format auto`).
    static func matches(header: Substring) -> Bool
    /// Whether the format's rows name no model, so jobs draw one from a workload catalog.
    static var drawsModels: Bool { get }
    /// The file's first `limit` rows the format keeps (nil: all). `devices`, when given,
    /// resolves and checks device names the trace uses.
    static func read(path: String, limit: Int?, devices: DeviceCatalog?) throws -> RawTrace
}

extension TraceImporter {
    public static var drawsModels: Bool { false }
}

/// The formats Augur reads, in the order `--trace-format` lists them and detection tries them.
public enum TraceImporters {
    public static let all: [any TraceImporter.Type] = [
        AugurTraceFormat.self,
        PhillyImporter.self,
        ITPImporter.self,
        AlibabaImporter.self,
        GavelImporter.self,
    ]

    /// The importer named `format`.
    public static func named(_ format: String) -> (any TraceImporter.Type)? {
        all.first { $0.format == format }
    }

    /// The importer of the file at `path`, from its first line.
    public static func detect(path: String) throws -> any TraceImporter.Type {
        let text = try TextFile.read(path)
        let first = text.prefix { $0 != "\n" }
        if let importer = all.first(where: { $0.matches(header: first) }) { return importer }
        throw InputError(file: path, line: 1, reason: "unrecognized trace header; pass --trace-format (\((["auto"] + all.map { $0.format }).joined(separator: "|")))")
    }

    /// Whether `header` is a comma-separated header starting with `prefix` (a header with a tab
    /// is Gavel's).
    static func csvHeader(_ header: Substring, startsWith prefix: String) -> Bool {
        !header.contains("\t") && header.hasPrefix(prefix)
    }

    /// The rows `parse` keeps of `table` (nil: the format skips the row), until `limit` are
    /// kept: the one place a trace's `limit` and `Limits.maxJobs` apply. A table with more rows
    /// than `Limits.maxJobs` is rejected before any row is parsed, unless `limit` is within it.
    static func rows(of table: CSVTable, limit: Int?, _ parse: (CSVTable.Row, _ kept: Int) throws -> TraceRow?) throws -> [TraceRow] {
        guard table.rows.count <= Limits.maxJobs || (limit ?? Int.max) <= Limits.maxJobs else {
            throw InputError(file: table.path, line: table.rows[Limits.maxJobs].line,
                             reason: "more than \(Limits.maxJobs) rows, the limit of one trace (use --limit)")
        }
        var rows: [TraceRow] = []
        for row in table.rows {
            if let limit, rows.count >= limit { break }
            if let r = try parse(row, rows.count) { rows.append(r) }
        }
        return rows
    }
}

/// One job of a trace file, as read: a `Job` whose model may not be assigned yet.
public struct TraceRow: Sendable {
    /// The line of the file, for errors of later stages.
    public var line: Int
    public var id: String
    public var submit: SimTime
    /// The model, when the trace names it (Augur, Gavel); production traces name none and get
    /// one from `RawTrace.assignModels`.
    public var config: ModelConfig?
    /// The work; for a row without a model, a duration whose reference device is the assigned
    /// configuration's (the device given here is ignored).
    public var work: JobWork
    public var gpus: Int
    public var gpuMilli: Int
    public var priority: Int
    public var deadline: SimTime?
    public var deviceConstraint: [String]
    public var userEstimate: SimTime?

    public init(line: Int, id: String, submit: SimTime, config: ModelConfig?, work: JobWork, gpus: Int, gpuMilli: Int = 1000,
                priority: Int = 0, deadline: SimTime? = nil, deviceConstraint: [String] = [], userEstimate: SimTime? = nil) {
        self.line = line
        self.id = id
        self.submit = submit
        self.config = config
        self.work = work
        self.gpus = gpus
        self.gpuMilli = gpuMilli
        self.priority = priority
        self.deadline = deadline
        self.deviceConstraint = deviceConstraint
        self.userEstimate = userEstimate
    }

    /// A row of a production trace (no model), checked against `Limits` as such rows are:
    /// submit time and duration in seconds, GPU count.
    static func unassigned(id: String, submit: Double, duration: Double, gpus: Int, gpuMilli: Int = 1000, priority: Int = 0,
                           constraint: [String] = [], file: String, line: Int) throws -> TraceRow {
        _ = try Limits.seconds(submit, file: file, line: line, field: "submit time")
        _ = try Limits.seconds(duration, file: file, line: line, field: "duration", allowZero: false)
        _ = try Limits.count(gpus, maximum: Limits.maxDevices, file: file, line: line, field: "GPUs")
        return TraceRow(line: line, id: id, submit: SimTime(seconds: submit), config: nil,
                        work: .duration(seconds: duration, referenceDevice: ""), gpus: gpus, gpuMilli: gpuMilli,
                        priority: priority, deviceConstraint: constraint)
    }

    /// The job, with `entry`'s configuration when the row has none.
    func job(_ entry: WorkloadCatalog.Entry? = nil) -> Job? {
        var work = self.work
        let config: ModelConfig
        if let c = self.config { config = c } else {
            guard let entry, case .duration(let seconds, _) = work else { return nil }
            config = entry.config
            work = .duration(seconds: seconds, referenceDevice: entry.referenceDevice)
        }
        return Job(id: id, submit: submit, config: config, work: work, gpus: gpus, gpuMilli: gpuMilli, priority: priority,
                   deadline: deadline, deviceConstraint: deviceConstraint, userEstimate: userEstimate)
    }
}

/// A trace file as read (stage 1): its rows in file order, and the rows the format skipped.
public struct RawTrace: Sendable {
    public var name: String
    public var source: String
    public var rows: [TraceRow]
    /// Rows the format leaves out, by reason (e.g. Alibaba's CPU-only pods).
    public var skipped: [String: Int]

    public init(name: String, source: String, rows: [TraceRow], skipped: [String: Int] = [:]) {
        self.name = name
        self.source = source
        self.rows = rows
        self.skipped = skipped
    }

    /// The configurations the rows name (rows without a model name none).
    public var namedConfigs: [ModelConfig] { rows.compactMap(\.config) }

    /// Stage 2: the trace, rows without a model given one from `catalog` (`WorkloadCatalog.assign`,
    /// seeded per job id). A row no configuration can run is an error, or with
    /// `skipUnassignable` is dropped (counted in `Trace.dropped`).
    public func assignModels(catalog: WorkloadCatalog, seed: UInt64, skipUnassignable: Bool = false) throws -> Trace {
        var jobs: [Job] = []
        jobs.reserveCapacity(rows.count)
        for row in rows {
            if row.config != nil { jobs.append(row.job()!); continue }
            if let job = try row.assigned(catalog: catalog, seed: seed, skipUnassignable: skipUnassignable, file: source) { jobs.append(job) }
        }
        return Trace(name: name, source: source, jobs: jobs, dropped: rows.count - jobs.count)
    }
}

extension TraceRow {
    /// The job with a configuration from `catalog`; nil when none can run it and `skipUnassignable`.
    func assigned(catalog: WorkloadCatalog, seed: UInt64, skipUnassignable: Bool, file: String) throws -> Job? {
        guard let entry = catalog.assign(jobID: id, gpus: gpus, constraint: deviceConstraint, seed: seed) else {
            if skipUnassignable { return nil }
            let limits = deviceConstraint.isEmpty ? "" : " on \(deviceConstraint.joined(separator: "|"))"
            throw InputError(file: file, line: line, reason: "no measured configuration can run as a \(gpus)-GPU job\(limits) on this cluster (pass --skip-infeasible to drop such jobs)")
        }
        return job(entry)
    }
}
