import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// Loads NeuSight's transformer measurements (Lee et al. 2024): `labels/<GPU>/<model>-<inf|train>-<seq>-<batch>.csv`
    /// (torch.fx operators with measured forward and backward latencies) and the `.json`
    /// beside it (end-to-end latency, layer count). Each file is one graph with operator labels
    /// (forward time, plus backward time in training) and one whole-model sample. GPUs resolve
    /// through the catalog's `neusight:<GPU>` aliases; `-fusion` variants are skipped. A file
    /// that cannot be used (a name not in NeuSight's pattern, a graph that does not assemble,
    /// such as a Switch file with `num_layer` 0, a missing or non-positive latency) is skipped and
    /// counted by reason in ``skipped``, never fatal to the directory.
    public static func neusight(labels directory: String, catalog: DeviceCatalog) throws -> PerfDataset {
        let fm = FileManager.default
        guard let gpus = try? fm.contentsOfDirectory(atPath: directory) else {
            throw InputError(file: directory, reason: "cannot list the NeuSight labels directory")
        }
        struct Item { var gpu: String; var device: String; var csv: String; var model: String; var mode: RunMode; var batch: Int }
        var items: [Item] = [], skipped: [String: Int] = [:]
        for gpu in gpus.sorted() {
            let dir = "\(directory)/\(gpu)"
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { continue }
            let device = catalog.device(dataset: "neusight", name: gpu)?.name ?? gpu
            for file in (try? fm.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where file.hasSuffix(".csv") {
                let parts = file.dropLast(4).split(separator: "-")
                if parts.last == "fusion" { continue }
                guard parts.count == 4, let seq = Int(parts[2]), let batch = Int(parts[3]), batch > 0,
                      let mode: RunMode = parts[1] == "inf" ? .infer : parts[1] == "train" ? .train : nil else {
                    skipped["name not <model>-<inf|train>-<seq_len>-<batch>.csv", default: 0] += 1; continue
                }
                items.append(Item(gpu: gpu, device: device, csv: "\(dir)/\(file)", model: "\(parts[0])-s\(seq)", mode: mode, batch: batch))
            }
        }
        let itemList = items
        let built = Parallel.map(items.count) { i -> Result<(GraphFeatures, PerfSample), Error> in Result {
            let item = itemList[i]
            let graph = try NeuSightGraph.load(csv: item.csv)
            let label = try NeuSightGraph.label(json: String(item.csv.dropLast(4)) + ".json")
            guard label.e2eLatency > 0, label.e2eLatency.isFinite else {
                throw InputError(file: String(item.csv.dropLast(4)) + ".json", field: "e2e_latency", reason: "must be a positive number")
            }
            let ops: [Float] = graph.nodes.map { node in
                guard let m = node.measured else { return .nan }
                let ms = m.forwardMs + (item.mode == .train ? m.backwardMs : 0)
                return ms > 0 ? Float(ms / 1000) : .nan
            }
            let features = GraphFeaturizer.features(of: graph, batchSize: item.batch)
            let prior = priors(profile: features.profile, mode: item.mode, precision: .fp32, spec: catalog[item.device])
            let sample = PerfSample(graph: i, device: item.device, batchSize: item.batch, mode: item.mode,
                                    time: label.e2eLatency / 1000, operatorTimes: ops,
                                    priorTime: prior.time, priorMemory: prior.memory)
            return (features, sample)
        } }
        var data = PerfDataset()
        data.sources = [directory]
        for (i, result) in built.enumerated() {
            let features: GraphFeatures
            var sample: PerfSample
            switch result {
            case .success(let pair): (features, sample) = pair
            case .failure(let e as InputError): skipped["unusable file (\(e.field ?? e.reason))", default: 0] += 1; continue
            case .failure: skipped["unusable file (graph does not assemble)", default: 0] += 1; continue
            }
            sample.graph = data.graphs.count
            data.graphs.append(features)
            let model = items[i].model
            data.info.append(GraphInfo(model: model, family: String(model.split(separator: "-").first ?? ""),
                                       batchSize: items[i].batch, hasOperatorLabels: true))
            data.samples.append(sample)
        }
        data.skipped = skipped
        return data
    }
}
