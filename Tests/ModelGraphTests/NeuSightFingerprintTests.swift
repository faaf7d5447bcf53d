import Foundation
import Testing
@testable import ModelGraph

/// Every NeuSight operator graph in `../shared/datasets/neusight/labels` (the ones
/// `PerfDataset.neusight` and the model zoo load) parses to the same graphs as when the
/// fingerprint below was recorded: node and edge counts, summed FLOPs, bytes, parameters and
/// measured latencies, and a hash of every node's name and operator type, one layer and whole
/// model. Recorded with ModelGraph's own CSV reader before it was replaced by AugurCore's
/// `CSVTable`; a change in how a NeuSight CSV is read changes it.
@Suite struct NeuSightFingerprintTests {
    static let labels = TestPaths.shared + "/datasets/neusight/labels"

    /// Files, then a digest of every file's line of ``fingerprint(_:)``.
    static let recorded = "61 files, digest 890b71bdf61cef8c"

    /// One line per graph: nodes, edges, FLOPs, bytes, parameters, summed forward and backward
    /// latencies (exact decimal), and FNV-1a over `name type` of every node.
    static func fingerprint(_ g: ModelGraph) -> String {
        var names: UInt64 = 0xcbf2_9ce4_8422_2325
        for node in g.nodes {
            for b in (node.name + " " + node.type + "\n").utf8 { names = (names ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        let fw = g.nodes.reduce(0.0) { $0 + ($1.measured?.forwardMs ?? 0) }
        let bw = g.nodes.reduce(0.0) { $0 + ($1.measured?.backwardMs ?? 0) }
        let flops = g.nodes.reduce(0) { $0 &+ $1.flops }, bytes = g.nodes.reduce(0) { $0 &+ $1.bytes }
        return "\(g.nodes.count) \(g.edges.count) \(flops) \(bytes) \(g.parameterCount) \(fw) \(bw) \(String(names, radix: 16))"
    }

    /// `(file count, digest, lines)` of every CSV under `labels`, in sorted order.
    static func digest() throws -> (files: Int, digest: String, lines: [String]) {
        let fm = FileManager.default
        var csvs: [String] = []
        for gpu in try fm.contentsOfDirectory(atPath: labels).sorted() {
            let dir = labels + "/" + gpu
            for file in (try? fm.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where file.hasSuffix(".csv") {
                csvs.append(gpu + "/" + file)
            }
        }
        var lines: [String] = []
        for csv in csvs {
            let one = try NeuSightGraph.load(csv: labels + "/" + csv, repeatLayers: false)
            let whole = try NeuSightGraph.load(csv: labels + "/" + csv)
            lines.append("\(csv): \(fingerprint(one)) | \(fingerprint(whole))")
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in lines.joined(separator: "\n").utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return (csvs.count, String(repeating: "0", count: 16 - hex.count) + hex, lines)
    }

    @Test func everyNeuSightGraphParsesAsRecorded() throws {
        guard FileManager.default.fileExists(atPath: Self.labels) else {
            print("NeuSightFingerprintTests: skipped, \(Self.labels) not found (set AUGUR_DATA)")
            return
        }
        let d = try Self.digest()
        if ProcessInfo.processInfo.environment["NEUSIGHT_FINGERPRINT"] != nil {
            print(d.lines.joined(separator: "\n"))
        }
        #expect("\(d.files) files, digest \(d.digest)" == Self.recorded)
    }
}
