import Foundation
import Testing
@testable import ClusterKit

/// Shared, lazily loaded inputs: the device catalog, the default cluster, the public measured
/// oracle (NB201 with stride 125) and the workload catalog built from them. Loaded once per
/// test process; a load failure is reported by every test that asks for it.
enum Fixtures {
    static let catalogPath = "clusters/devices.yaml"
    static let root = DataRoot.resolve()

    private static let catalogResult = Result { try DeviceCatalog.load(path: catalogPath) }
    static func catalog() throws -> DeviceCatalog { try catalogResult.get() }

    private static let defaultClusterResult = Result {
        try ClusterSpec.load(path: "clusters/default.yaml", catalog: try catalogResult.get())
    }
    static func defaultCluster() throws -> ClusterSpec { try defaultClusterResult.get() }

    private static let oracleResult = Result {
        try MeasuredOracle.loadPublic(root: root, catalog: try catalogResult.get(), nb201Stride: 125)
    }
    static func oracle() throws -> MeasuredOracle { try oracleResult.get() }

    private static let workloadResult = Result {
        WorkloadCatalog(oracle: try oracleResult.get(), cluster: try defaultClusterResult.get())
    }
    static func workload() throws -> WorkloadCatalog { try workloadResult.get() }

    private static let alibabaWorkloadResult = Result {
        WorkloadCatalog(oracle: try oracleResult.get(),
                        cluster: try ClusterSpec.load(path: "clusters/alibaba-2023.yaml", catalog: try catalogResult.get()))
    }
    /// The workload catalog for the Alibaba cluster, whose GPU types the Alibaba trace names.
    static func alibabaWorkload() throws -> WorkloadCatalog { try alibabaWorkloadResult.get() }

    /// The header and first 100 rows of the Philly trace, as text (for tests that import the
    /// same rows several times without re-reading the whole 3.4 MB file).
    static let phillyHead: Result<String, any Error> = Result {
        let text = try String(contentsOfFile: root.phillyTrace, encoding: .utf8)
        return text.split(separator: "\n", maxSplits: 101, omittingEmptySubsequences: false).prefix(101).joined(separator: "\n") + "\n"
    }

    /// A one-entry workload catalog, for error-path tests that need no real measurements.
    static let tinyWorkload = WorkloadCatalog(entries: [
        .init(config: ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train),
              family: "gavel", referenceDevice: "v100-sxm2-16gb"),
    ])
}

/// A fresh temporary directory holding one file with `contents`; removed after `body`.
@discardableResult
func withTempFile<T>(_ contents: String, name: String = "input.txt", _ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clusterkit-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent(name).path
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    return try body(path)
}

/// Expects `body` to throw an `InputError` naming `file`, `line` (nil: no line), optionally
/// `field`, and a reason containing `reason`.
@discardableResult
func expectInputError(file: String, line: Int?, field: String? = nil, reason: String,
                      sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws -> Void) -> InputError? {
    let error = #expect(throws: InputError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    #expect(error.file == file, "file of \(error)", sourceLocation: sourceLocation)
    #expect(error.line == line, "line of \(error)", sourceLocation: sourceLocation)
    if let field { #expect(error.field == field, "field of \(error)", sourceLocation: sourceLocation) }
    #expect(error.reason.contains(reason), "reason of \(error)", sourceLocation: sourceLocation)
    return error
}

/// Reads a CSV file's header and first `rows` data rows as plain strings (no quoting in the
/// files these tests read this way), independently of `CSVTable`.
func readCSVPrefix(_ path: String, rows: Int? = nil, separator: Character = ",") throws -> (header: [String], rows: [[String]]) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    let header = lines.removeFirst().split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    let body = rows.map { Array(lines.prefix($0)) } ?? lines
    return (header, body.map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) })
}
