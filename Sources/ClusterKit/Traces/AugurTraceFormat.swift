/// Augur's native trace format: CSV with a header (see `traces/README.md` for units).
public enum AugurTraceFormat: TraceImporter {
    public static let format = "augur"
    public static func matches(header: Substring) -> Bool { TraceImporters.csvHeader(header, startsWith: "job_id,submit_s") }

    public static let columns = [
        "job_id", "submit_s", "model", "batch_size", "mode", "precision", "iterations", "duration_s",
        "reference_device", "gpus", "gpu_fraction", "priority", "deadline_s", "device_constraint", "user_estimate_s",
    ]
    static let required = ["job_id", "submit_s", "model", "batch_size", "mode", "gpus"]

    /// Reads a native trace. `iterations` or (`duration_s` and `reference_device`) give the work.
    public static func read(path: String, catalog: DeviceCatalog? = nil) throws -> Trace {
        try read(path: path, limit: nil, devices: catalog).assignModels(catalog: WorkloadCatalog(entries: []), seed: 0)
    }

    public static func read(path: String, limit: Int?, devices catalog: DeviceCatalog?) throws -> RawTrace {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        for name in required { _ = try table.column(name) }
        func col(_ n: String) -> Int? { table.optionalColumn(n) }
        var ids: Set<String> = []
        let rows = try TraceImporters.rows(of: table, limit: limit) { row, kept in
            func text(_ n: String) throws -> Substring? {
                guard let c = col(n), c < row.fields.count else { return nil }
                let s = try row.string(c, n, in: table)
                return s.isEmpty ? nil : s
            }
            func number(_ n: String) throws -> Double? {
                guard let s = try text(n) else { return nil }
                guard let v = Double(s), v.isFinite else { throw InputError(file: path, line: row.line, field: n, reason: "'\(s)' is not a number") }
                guard abs(v) <= CSVTable.largestNumber else { throw InputError(file: path, line: row.line, field: n, reason: "\(s) is out of range (magnitude at most 1e12)") }
                return v
            }
            func fail(_ field: String, _ reason: String) -> InputError { InputError(file: path, line: row.line, field: field, reason: reason) }
            guard let id = try text("job_id") else { throw fail("job_id", "empty") }
            guard ids.insert(String(id)).inserted else { throw fail("job_id", "duplicate job id '\(id)'") }
            guard let submit = try number("submit_s") else { throw fail("submit_s", "must be a non-negative number of seconds") }
            _ = try Limits.seconds(submit, file: path, line: row.line, field: "submit_s")
            guard let model = try text("model") else { throw fail("model", "empty") }
            guard let batch = try number("batch_size"), batch >= 1, batch == batch.rounded() else { throw fail("batch_size", "must be a positive integer") }
            guard let modeText = try text("mode"), let mode = RunMode(rawValue: String(modeText)) else { throw fail("mode", "must be train or infer") }
            var precision = Precision.fp32
            if let p = try text("precision") {
                guard let v = Precision(rawValue: String(p)) else { throw fail("precision", "must be \(Precision.choices)") }
                precision = v
            }
            let work: JobWork
            if let n = try number("iterations") {
                guard n > 0 else { throw fail("iterations", "must be positive") }
                work = .iterations(n)
            } else if let d = try number("duration_s") {
                _ = try Limits.seconds(d, file: path, line: row.line, field: "duration_s", allowZero: false)
                guard let ref = try text("reference_device") else { throw fail("reference_device", "required with duration_s") }
                if let catalog { _ = try catalog.require(String(ref), file: path, line: row.line, field: "reference_device") }
                work = .duration(seconds: d, referenceDevice: String(ref))
            } else {
                throw fail("iterations", "either iterations or duration_s must be given")
            }
            guard let gpus = try number("gpus"), gpus >= 1, gpus == gpus.rounded() else { throw fail("gpus", "must be a positive integer") }
            guard gpus <= Double(Limits.maxDevices) else { throw fail("gpus", "\(Int(gpus)) is beyond the limit of \(Limits.maxDevices) devices") }
            var milli = 1000
            if let f = try number("gpu_fraction") {
                guard f >= Limits.minGPUFraction, f <= 1 else { throw fail("gpu_fraction", "must be in [0.001, 1] (whole milli-GPUs), got \(f)") }
                guard f == 1 || gpus == 1 else { throw fail("gpu_fraction", "a fraction of a GPU is only for single-GPU jobs") }
                milli = Int((f * 1000).rounded())
            }
            let constraint = try text("device_constraint").map { $0.split(separator: "|").map(String.init) } ?? []
            if let catalog { for d in constraint { _ = try catalog.require(d, file: path, line: row.line, field: "device_constraint") } }
            let deadline = try number("deadline_s")
            if let d = deadline { _ = try Limits.seconds(d, file: path, line: row.line, field: "deadline_s") }
            let estimate = try number("user_estimate_s")
            if let e = estimate { _ = try Limits.seconds(e, file: path, line: row.line, field: "user_estimate_s", allowZero: false) }
            return TraceRow(line: row.line, id: String(id), submit: SimTime(seconds: submit),
                            config: ModelConfig(model: String(model), batchSize: Int(batch), mode: mode, precision: precision),
                            work: work, gpus: Int(gpus), gpuMilli: milli, priority: Int(try number("priority") ?? 0),
                            deadline: deadline.map { SimTime(seconds: $0) }, deviceConstraint: constraint,
                            userEstimate: estimate.map { SimTime(seconds: $0) })
        }
        let name = String(path.split(separator: "/").last ?? Substring(path))
        return RawTrace(name: name, source: path, rows: rows)
    }

    /// Writes `trace` in the native format (deterministic text).
    public static func write(_ trace: Trace) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for j in trace.jobs {
            var f: [String] = []
            f.append(j.id)
            f.append(seconds(j.submit))
            f.append(j.config.model)
            f.append(String(j.config.batchSize))
            f.append(j.config.mode.rawValue)
            f.append(j.config.precision.rawValue)
            switch j.work {
            case .iterations(let n): f += [format(n), "", ""]
            case .duration(let s, let ref): f += ["", format(s), ref]
            }
            f.append(String(j.gpus))
            f.append(j.gpuMilli == 1000 ? "" : format(Double(j.gpuMilli) / 1000))
            f.append(String(j.priority))
            f.append(j.deadline.map(seconds) ?? "")
            f.append(j.deviceConstraint.joined(separator: "|"))
            f.append(j.userEstimate.map(seconds) ?? "")
            out += CSVTable.line(f) + "\n"
        }
        return out
    }

    static func seconds(_ t: SimTime) -> String { format(t.seconds) }

    static func format(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
