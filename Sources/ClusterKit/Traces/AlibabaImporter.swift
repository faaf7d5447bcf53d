/// Alibaba GPU cluster 2023 pods (Weng et al., "Beware of Fragmentation", ATC 2023):
/// `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,
/// deletion_time,scheduled_time`, seconds.
///
/// Kept: fractional GPUs (`gpu_milli` of single-GPU pods) and GPU-type constraints
/// (`gpu_spec`, e.g. `V100M16|V100M32`, resolved through the catalog's `alibaba:` aliases);
/// QoS becomes priority (LS 2, Burstable 1, BE 0). Submit time is `creation_time`; duration is
/// `deletion_time − scheduled_time`. Skipped, and counted in `skipped`: CPU-only pods
/// (`num_gpu` 0), pods never scheduled (empty `scheduled_time`) and pods with no run time.
public enum AlibabaImporter: TraceImporter {
    public static let format = "alibaba"
    public static var drawsModels: Bool { true }
    public static func matches(header: Substring) -> Bool { TraceImporters.csvHeader(header, startsWith: "name,cpu_milli,memory_mib,num_gpu") }

    public struct Result: Sendable {
        public var trace: Trace
        public var skippedCPUOnly = 0
        public var skippedUnscheduled = 0
        public var skippedZeroDuration = 0
    }

    /// Reasons of `RawTrace.skipped`.
    public static let cpuOnly = "CPU-only", unscheduled = "unscheduled", zeroDuration = "zero duration"

    public static func read(path: String, options: ProductionImport, devices: DeviceCatalog) throws -> Result {
        let raw = try read(path: path, limit: options.limit, devices: devices)
        return Result(trace: try options.assign(raw), skippedCPUOnly: raw.skipped[cpuOnly] ?? 0,
                      skippedUnscheduled: raw.skipped[unscheduled] ?? 0, skippedZeroDuration: raw.skipped[zeroDuration] ?? 0)
    }

    public static func read(path: String, limit: Int?, devices: DeviceCatalog?) throws -> RawTrace {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cName = try table.column("name"), cGPU = try table.column("num_gpu"), cMilli = try table.column("gpu_milli")
        let cCreate = try table.column("creation_time"), cDelete = try table.column("deletion_time")
        let cSched = try table.column("scheduled_time")
        let cSpec = table.optionalColumn("gpu_spec"), cQoS = table.optionalColumn("qos")
        var skipped: [String: Int] = [:]
        let rows = try TraceImporters.rows(of: table, limit: limit) { row, _ in
            let gpus = try row.int(cGPU, "num_gpu", in: table)
            guard gpus >= 0 else { throw InputError(file: path, line: row.line, field: "num_gpu", reason: "must not be negative") }
            if gpus == 0 { skipped[cpuOnly, default: 0] += 1; return nil }
            if try row.string(cSched, "scheduled_time", in: table).isEmpty { skipped[unscheduled, default: 0] += 1; return nil }
            let created = try row.double(cCreate, "creation_time", in: table)
            let scheduled = try row.double(cSched, "scheduled_time", in: table)
            let deleted = try row.double(cDelete, "deletion_time", in: table)
            _ = try Limits.seconds(created, file: path, line: row.line, field: "creation_time")
            _ = try Limits.seconds(scheduled, file: path, line: row.line, field: "scheduled_time")
            _ = try Limits.seconds(deleted, file: path, line: row.line, field: "deletion_time")
            guard deleted > scheduled else { skipped[zeroDuration, default: 0] += 1; return nil }
            let milli = try row.int(cMilli, "gpu_milli", in: table)
            guard (1...1000).contains(milli) else {
                throw InputError(file: path, line: row.line, field: "gpu_milli", reason: "must be 1–1000 for a GPU pod, got \(milli)")
            }
            var constraint: [String] = []
            if let cSpec {
                for spec in try row.string(cSpec, "gpu_spec", in: table).split(separator: "|") where spec != "nan" {
                    guard let d = devices?.device(dataset: "alibaba", name: String(spec)) else {
                        throw InputError(file: path, line: row.line, field: "gpu_spec", reason: "GPU type '\(spec)' has no 'alibaba:\(spec)' alias in the device catalog")
                    }
                    if !constraint.contains(d.name) { constraint.append(d.name) }
                }
            }
            var priority = 0
            if let cQoS {
                switch try row.string(cQoS, "qos", in: table) {
                case "LS": priority = 2
                case "Burstable": priority = 1
                default: priority = 0
                }
            }
            return try .unassigned(id: "alibaba-" + String(try row.string(cName, "name", in: table)), submit: created,
                                   duration: deleted - scheduled, gpus: gpus, gpuMilli: gpus == 1 ? milli : 1000,
                                   priority: priority, constraint: constraint, file: path, line: row.line)
        }
        return RawTrace(name: "alibaba-2023", source: path, rows: rows, skipped: skipped)
    }
}
