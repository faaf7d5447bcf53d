import ClusterKit
import Foundation

/// The trace formats Augur reads.
public enum TraceFormat: String, CaseIterable, Sendable {
    case auto, augur, philly, itp, alibaba, gavel

    /// Guesses the format from the file's first line.
    public static func detect(path: String) throws -> TraceFormat {
        let text = try TextFile.read(path)
        let first = text.prefix { $0 != "\n" }
        if first.contains("\t") { return .gavel }
        if first.hasPrefix("job_id,submit_s") { return .augur }
        if first.hasPrefix("timestamp,duration,num_gpus") { return .philly }
        if first.hasPrefix("job_id,submission_time,duration,num_gpu") { return .itp }
        if first.hasPrefix("name,cpu_milli,memory_mib,num_gpu") { return .alibaba }
        throw InputError(file: path, line: 1, reason: "unrecognized trace header; pass --trace-format (\(allCases.map(\.rawValue).joined(separator: "|")))")
    }

    /// Reads a trace; production traces get models from `catalog`. Work stays as given
    /// (durations are bound later with `Trace.bindingWork`).
    public func read(path: String, catalog: WorkloadCatalog, devices: DeviceCatalog, seed: UInt64, limit: Int? = nil,
                     skipInfeasible: Bool = false) throws -> Trace {
        let format = self == .auto ? try Self.detect(path: path) : self
        let options = ProductionImport(catalog: catalog, seed: seed, limit: limit, skipUnassignable: skipInfeasible)
        var trace: Trace
        switch format {
        case .auto: fatalError("unreachable")
        case .augur: trace = try AugurTraceFormat.read(path: path, catalog: devices)
        case .philly: trace = try PhillyImporter.read(path: path, options: options)
        case .itp: trace = try ITPImporter.read(path: path, options: options)
        case .alibaba: trace = try AlibabaImporter.read(path: path, options: options, devices: devices).trace
        case .gavel: trace = try GavelImporter.read(path: path)
        }
        if let limit, trace.jobs.count > limit {
            trace = Trace(name: trace.name, source: trace.source, jobs: Array(trace.jobs.prefix(limit)), dropped: trace.dropped)
        }
        guard !trace.jobs.isEmpty else {
            throw InputError(file: path, line: 1, reason: trace.dropped > 0 ? "none of the trace's jobs can run here (\(trace.dropped) dropped)" : "the trace has no job rows")
        }
        return trace
    }
}

extension TraceFormat {
    /// The format of the file at `path` (`auto` detected from its first line).
    public func resolved(path: String) throws -> TraceFormat {
        self == .auto ? try Self.detect(path: path) : self
    }

    /// Whether jobs of this format are given models from a workload catalog (production
    /// traces name none).
    public var drawsModels: Bool { self == .philly || self == .itp || self == .alibaba }

    /// What replaying the trace at `path` needs of the measured oracle: what a workload catalog
    /// draws from for production traces; otherwise the datasets of the models the trace names
    /// (it is read to find them, its first `limit` jobs).
    public func oracleNeeds(path: String, devices: DeviceCatalog, limit: Int? = nil) throws -> OracleNeeds {
        let format = try resolved(path: path)
        if format.drawsModels { return .workloads(families: nil) }
        let trace = try format.read(path: path, catalog: WorkloadCatalog(entries: []), devices: devices, seed: 0, limit: limit)
        return .configs(trace.jobs.map(\.config))
    }
}
