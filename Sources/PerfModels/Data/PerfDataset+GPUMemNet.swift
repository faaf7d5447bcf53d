import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// GPUMemNet's 6,000 random MLPs trained on one A100-SXM4-40GB (`gpumemnet-mlp/mlp_runs.csv`;
    /// Baghban Karimi et al. 2025) as samples with **memory and SM utilization** labels and no
    /// time: the graph from `layers_json` (``MLPNet``) at the run's batch size, training, fp32;
    /// memory = `max_gpu_memory_mib` (nvidia-smi's footprint: CUDA context and the caching
    /// allocator's reserve included), utilization = `avg_smact` (DCGM's SM-active fraction). The
    /// device is the catalog's `gpu-throughput:<gpu_model>` (the same normalized GPU names as the
    /// throughput table). Rows that cannot be used are skipped and counted by reason.
    public static func gpuMemNet(path: String, catalog: DeviceCatalog) throws -> PerfDataset {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cInputs = try table.column("input_size"), cLayers = try table.column("layers_json"), cBatch = try table.column("batch_size")
        let cMemory = try table.column("max_gpu_memory_mib"), cSM = try table.column("avg_smact"), cGPU = try table.column("gpu_model")
        let cArch = try table.column("architecture"), cCount = try table.column("gpu_count"), cPrecision = try table.column("precision")
        struct Row: Sendable { var layers: [MLPNet.Layer]; var inputs: Int; var batch: Int; var device: String; var memory: Double; var sm: Double; var family: String }
        var rows: [Row] = [], skipped: [String: Int] = [:]
        for r in table.rows {
            do {
                guard try r.int(cCount, "gpu_count", in: table) == 1, try r.string(cPrecision, "precision", in: table) == "fp32" else {
                    skipped["not one GPU in fp32", default: 0] += 1; continue
                }
                guard let device = catalog.device(dataset: "gpu-throughput", name: String(try r.string(cGPU, "gpu_model", in: table))) else {
                    skipped["GPU not in the catalog", default: 0] += 1; continue
                }
                let layers = try Self.mlpLayers(String(try r.string(cLayers, "layers_json", in: table)), file: path, line: r.line)
                let memory = try r.double(cMemory, "max_gpu_memory_mib", in: table), sm = try r.double(cSM, "avg_smact", in: table)
                guard memory > 0, (0...1).contains(sm) else {
                    throw InputError(file: path, line: r.line, field: "max_gpu_memory_mib", reason: "memory must be positive and avg_smact within 0...1")
                }
                rows.append(Row(layers: layers, inputs: try r.int(cInputs, "input_size", in: table), batch: try r.int(cBatch, "batch_size", in: table),
                                device: device.name, memory: memory * 1_048_576, sm: sm,
                                family: "mlp-" + String(try r.string(cArch, "architecture", in: table))))
            } catch let e as InputError {
                skipped["unparsable row (\(e.field ?? "row"))", default: 0] += 1
            }
        }
        let parsed = rows
        let built = Parallel.map(parsed.count) { i -> GraphFeatures? in
            let r = parsed[i]
            guard let g = try? MLPNet.graph(layers: r.layers, inputs: r.inputs, batchSize: r.batch, name: "gpumemnet-mlp-\(i)") else { return nil }
            return GraphFeaturizer.features(of: g, batchSize: r.batch)
        }
        var data = PerfDataset()
        data.sources = [path]
        for (r, features) in zip(rows, built) {
            guard let features else { skipped["layer list that does not build", default: 0] += 1; continue }
            let g = data.graphs.count
            data.graphs.append(features)
            data.info.append(GraphInfo(model: "gpumemnet-mlp-\(g)", family: r.family, batchSize: r.batch, hasOperatorLabels: false))
            let prior = priors(profile: features.profile, mode: .train, precision: .fp32, spec: catalog[r.device])
            var s = PerfSample(graph: g, device: r.device, batchSize: r.batch, mode: .train, precision: .fp32,
                               time: nil, priorTime: prior.time, priorMemory: prior.memory)
            s.memory = r.memory
            s.utilization = r.sm
            data.samples.append(s)
        }
        data.skipped = skipped
        return data
    }

    /// `[[kind, features, parameters], …]` of GPUMemNet's `layers_json`.
    static func mlpLayers(_ json: String, file: String, line: Int) throws -> [MLPNet.Layer] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]], !list.isEmpty else {
            throw InputError(file: file, line: line, field: "layers_json", reason: "not a list of [kind, features, parameters]")
        }
        return try list.map { item in
            guard item.count >= 2, let kind = item[0] as? String, let n = (item[1] as? NSNumber)?.intValue else {
                throw InputError(file: file, line: line, field: "layers_json", reason: "an item is not [kind, features, …]")
            }
            return MLPNet.Layer(kind: kind, features: n)
        }
    }
}
