import Foundation
import ClusterKit
import ModelGraph

/// Graphs named by ``GraphSource`` at batch sizes (the query CSV of `augur predict --queries`,
/// the torchvision benchmark's rows): each distinct (name, batch) is built and featurized once,
/// on all cores, in order of first appearance. A graph file or exported zoo model whose input
/// cannot take the batch (an ONNX file exported with a fixed batch) is an error, not a graph at
/// the wrong batch.
struct NamedGraphs {
    /// Distinct requests, and what building each gave. `fuseAttention` asks for
    /// ``ModelGraph/fusingAttention()`` on the built graph.
    let items: [(spec: String, batch: Int, fuseAttention: Bool)]
    let built: [Result<GraphFeatures, Error>]
    private let index: [String: Int]

    struct BatchMismatch: Error, CustomStringConvertible {
        var spec: String, declared: Int?, wanted: Int
        var description: String {
            "\(spec): its input has batch \(declared.map(String.init) ?? "unknown") and cannot take batch \(wanted) (exported with a fixed batch)"
        }
    }

    init(_ requests: [(spec: String, batch: Int)], relativeTo path: String? = nil) {
        self.init(requests.map { ($0.spec, $0.batch, false) }, relativeTo: path)
    }

    init(_ requests: [(spec: String, batch: Int, fuseAttention: Bool)], relativeTo path: String? = nil) {
        var index: [String: Int] = [:], items: [(spec: String, batch: Int, fuseAttention: Bool)] = []
        for r in requests where index[Self.key(r.spec, r.batch, r.fuseAttention)] == nil {
            index[Self.key(r.spec, r.batch, r.fuseAttention)] = items.count
            items.append(r)
        }
        let wanted = items
        built = Parallel.map(wanted.count) { i -> Result<GraphFeatures, Error> in
            Result {
                let (spec, batch, fuse) = wanted[i]
                var g = try GraphSource.load(spec, batchSize: batch, relativeTo: path, zoo: Installation.resolve(GraphSource.zooDirectory))
                if fuse { g = g.fusingAttention() }
                // Files may be exported with a fixed batch; Swift-built graphs take any batch (and
                // time-major ones, GNMT's, have the sequence first).
                if !GraphSource.builtIn(isNamed: spec) {
                    let declared = g.inputs.first.flatMap { g.tensors[$0].shape?.first }
                    guard declared == batch else { throw BatchMismatch(spec: spec, declared: declared, wanted: batch) }
                }
                return GraphFeaturizer.features(of: g, batchSize: batch)
            }
        }
        self.items = items
        self.index = index
    }

    private static func key(_ spec: String, _ batch: Int, _ fuse: Bool) -> String { "\(batch)|\(fuse ? "fused" : "")|\(spec)" }

    /// The position in ``items`` of a request that was passed in.
    func item(_ spec: String, _ batch: Int, fuseAttention: Bool = false) -> Int { index[Self.key(spec, batch, fuseAttention)]! }
}
