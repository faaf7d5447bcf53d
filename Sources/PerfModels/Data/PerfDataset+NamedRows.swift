import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// One measurement of a graph named by ``GraphSource`` (a zoo name), before its graph is
    /// built: what the public GPU benchmarks' loaders produce.
    struct NamedRow {
        var model: String
        var family: String
        var device: String
        var precision: Precision
        var mode: RunMode
        var batch: Int
        var seconds: Double
        var memoryBytes: Double? = nil
    }

    /// A dataset of `rows`: each distinct (model, batch) is built and featurized once, on all
    /// cores (``NamedGraphs``); a row whose graph cannot be built is skipped and counted in
    /// `skipped` under "model without a graph at its batch size".
    static func fromNamedRows(_ rows: [NamedRow], source: String, catalog: DeviceCatalog, skipped: [String: Int]) -> PerfDataset {
        var skipped = skipped
        let graphs = NamedGraphs(rows.map { ($0.model, $0.batch) })
        var data = PerfDataset()
        data.sources = [source]
        var graphIndex: [Int: Int] = [:]
        var familyOf: [String: String] = [:]
        for r in rows where familyOf[r.model] == nil { familyOf[r.model] = r.family }
        for (i, built) in graphs.built.enumerated() {
            guard case .success(let g) = built else { continue }
            graphIndex[i] = data.graphs.count
            data.graphs.append(g)
            let item = graphs.items[i]
            data.info.append(GraphInfo(model: item.spec, family: familyOf[item.spec] ?? item.spec, batchSize: item.batch, hasOperatorLabels: false))
        }
        for r in rows {
            guard let g = graphIndex[graphs.item(r.model, r.batch)] else { skipped["model without a graph at its batch size", default: 0] += 1; continue }
            let prior = priors(profile: data.graphs[g].profile, mode: r.mode, precision: r.precision, spec: catalog[r.device])
            var sample = PerfSample(graph: g, device: r.device, batchSize: r.batch, mode: r.mode, precision: r.precision,
                                    time: r.seconds, priorTime: prior.time, priorMemory: prior.memory)
            sample.memory = r.memoryBytes
            data.samples.append(sample)
        }
        data.skipped = skipped
        return data
    }
}
