/// Gavel's trace format (Narayanan et al., OSDI 2020): tab-separated, no header, 10 fields:
/// `job_type, command, working_directory, num_steps_arg, needs_data_dir, total_steps,
/// scale_factor, priority_weight, SLO, arrival_time`. Job types name the model and batch
/// size (`ResNet-50 (batch size 64)`); `total_steps` become iterations, `scale_factor` the GPU
/// count, `arrival_time` (seconds) the submit time. A negative SLO means none; a positive SLO
/// is kept as a deadline of `arrival + SLO` seconds.
public enum GavelImporter: TraceImporter {
    public static let format = "gavel"
    public static func matches(header: Substring) -> Bool { header.contains("\t") }

    public static func read(path: String) throws -> Trace {
        try read(path: path, limit: nil, devices: nil).assignModels(catalog: WorkloadCatalog(entries: []), seed: 0)
    }

    public static func read(path: String, limit: Int?, devices: DeviceCatalog?) throws -> RawTrace {
        let table = try CSVTable(text: TextFile.read(path), path: path, separator: "\t", hasHeader: false)
        let rows = try TraceImporters.rows(of: table, limit: limit) { row, kept in
            guard row.fields.count == 10 else {
                throw InputError(file: path, line: row.line, reason: "expected 10 tab-separated fields, found \(row.fields.count)")
            }
            let jobType = String(row.fields[0])
            guard let config = MeasuredOracle.gavelConfig(jobType) else {
                throw InputError(file: path, line: row.line, field: "job_type", reason: "unknown Gavel job type '\(jobType)'")
            }
            func number(_ i: Int, _ name: String) throws -> Double {
                guard let v = Double(row.fields[i].trimmingWhitespace()), v.isFinite else {
                    throw InputError(file: path, line: row.line, field: name, reason: "'\(row.fields[i])' is not a number")
                }
                guard abs(v) <= CSVTable.largestNumber else {
                    throw InputError(file: path, line: row.line, field: name, reason: "\(row.fields[i]) is out of range (magnitude at most 1e12)")
                }
                return v
            }
            let steps = try number(5, "total_steps"), scale = try number(6, "scale_factor")
            let priority = try number(7, "priority_weight"), slo = try number(8, "SLO"), arrival = try number(9, "arrival_time")
            guard steps > 0 else { throw InputError(file: path, line: row.line, field: "total_steps", reason: "must be positive") }
            guard scale >= 1, scale == scale.rounded() else { throw InputError(file: path, line: row.line, field: "scale_factor", reason: "must be a positive integer") }
            _ = try Limits.seconds(arrival, file: path, line: row.line, field: "arrival_time")
            if slo > 0 { _ = try Limits.seconds(slo, file: path, line: row.line, field: "SLO") }
            _ = try Limits.count(Int(scale), maximum: Limits.maxDevices, file: path, line: row.line, field: "scale_factor")
            return TraceRow(line: row.line, id: "gavel-\(kept)", submit: SimTime(seconds: arrival), config: config, work: .iterations(steps),
                            gpus: Int(scale), priority: Int(priority.rounded()),
                            deadline: slo > 0 ? SimTime(seconds: arrival + slo) : nil)
        }
        let name = String(path.split(separator: "/").last ?? "gavel")
        return RawTrace(name: name, source: path, rows: rows)
    }
}
