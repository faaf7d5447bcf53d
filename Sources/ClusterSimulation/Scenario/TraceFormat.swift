import ClusterKit
import Foundation

/// A trace format `--trace-format` names: `auto` (detected from the file's first line) or one
/// of `TraceImporters.all`.
public struct TraceFormat: RawRepresentable, Hashable, CaseIterable, Sendable {
    public let rawValue: String

    public init?(rawValue: String) {
        guard rawValue == "auto" || TraceImporters.named(rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { rawValue = known }

    public static let auto = TraceFormat(known: "auto")
    public static let augur = TraceFormat(known: AugurTraceFormat.format)
    public static let philly = TraceFormat(known: PhillyImporter.format)
    public static let itp = TraceFormat(known: ITPImporter.format)
    public static let alibaba = TraceFormat(known: AlibabaImporter.format)
    public static let gavel = TraceFormat(known: GavelImporter.format)

    /// `auto`, then every registered format.
    public static var allCases: [TraceFormat] { [.auto] + TraceImporters.all.map { TraceFormat(known: $0.format) } }

    /// Guesses the format from the file's first line.
    public static func detect(path: String) throws -> TraceFormat {
        TraceFormat(known: try TraceImporters.detect(path: path).format)
    }

    /// The importer of the file at `path` (`auto`: detected from its first line).
    public func importer(path: String) throws -> any TraceImporter.Type {
        if self == .auto { return try TraceImporters.detect(path: path) }
        return TraceImporters.named(rawValue)!
    }

    /// Reads a trace (stage 1, its first `limit` rows) and gives production traces' jobs models
    /// from `catalog` (stage 2). Work stays as given (durations are bound later with
    /// `Trace.bindingWork`, stage 3).
    public func read(path: String, catalog: WorkloadCatalog, devices: DeviceCatalog, seed: UInt64, limit: Int? = nil,
                     skipInfeasible: Bool = false) throws -> Trace {
        let trace = try importer(path: path).read(path: path, limit: limit, devices: devices)
            .assignModels(catalog: catalog, seed: seed, skipUnassignable: skipInfeasible)
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
    public var drawsModels: Bool { TraceImporters.named(rawValue)?.drawsModels ?? false }

    /// What replaying the trace at `path` needs of the measured oracle: what a workload catalog
    /// draws from for production traces; otherwise the datasets of the models the trace names
    /// (it is read to find them, its first `limit` rows; no model is assigned). `families` are
    /// the families production traces' jobs draw from (nil: the default ones).
    public func oracleNeeds(path: String, devices: DeviceCatalog, limit: Int? = nil, families: Set<String>? = nil) throws -> OracleNeeds {
        let importer = try importer(path: path)
        if importer.drawsModels { return .workloads(families: families) }
        let raw = try importer.read(path: path, limit: limit, devices: devices)
        guard !raw.rows.isEmpty else { throw InputError(file: path, line: 1, reason: "the trace has no job rows") }
        return .configs(raw.namedConfigs)
    }
}
