import Foundation

extension MeasuredOracle {
    /// Loads NeuSight's measured end-to-end transformer latencies
    /// (`labels/<GPU>/<model>-<inf|train>-<seq_len>-<batch>.json`, `e2e_latency` in ms).
    /// Configurations are named `<model>-s<seq_len>` (e.g. `bert_large-s512`).
    /// Memory and SM utilization were not measured. The `-fusion` variants are skipped.
    public mutating func loadNeuSight(labelsDirectory: String, catalog: DeviceCatalog) throws {
        let fm = FileManager.default
        guard let gpus = try? fm.contentsOfDirectory(atPath: labelsDirectory) else {
            throw InputError(file: labelsDirectory, reason: "cannot list directory")
        }
        for gpu in gpus.sorted() {
            guard let device = catalog.device(dataset: "neusight", name: gpu) else {
                throw InputError(file: "\(labelsDirectory)/\(gpu)", reason: "GPU has no 'neusight:\(gpu)' alias in the device catalog")
            }
            let dir = "\(labelsDirectory)/\(gpu)"
            for file in (try? fm.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where file.hasSuffix(".json") {
                let path = "\(dir)/\(file)"
                let parts = file.dropLast(5).split(separator: "-")
                // `-fusion` files are the same workloads with fused operators; the unfused
                // measurement is the one kept.
                if parts.last == "fusion" { continue }
                guard parts.count == 4, let seq = Int(parts[2]), let batch = Int(parts[3]),
                      let mode: RunMode = parts[1] == "inf" ? .infer : parts[1] == "train" ? .train : nil else {
                    throw InputError(file: path, reason: "name is not <model>-<inf|train>-<seq_len>-<batch>.json")
                }
                let text = try TextFile.read(path)
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                      let ms = (object["e2e_latency"] as? NSNumber)?.doubleValue, ms > 0 else {
                    throw InputError(file: path, field: "e2e_latency", reason: "missing or not a positive number")
                }
                let config = ModelConfig(model: "\(parts[0])-s\(seq)", batchSize: batch, mode: mode, precision: .fp32)
                insert(PerformanceQuery(config: config, device: device.name),
                       Entry(estimate: PerformanceEstimate(timePerIteration: ms / 1000), source: "neusight"))
            }
        }
        if let ref = catalog.device(dataset: "neusight", name: "Tesla_V100-PCIE-32GB") {
            for prefix in ["bert", "gpt", "opt", "switch"] { setReferenceDevice(ref.name, forModelsWithPrefix: prefix) }
        }
    }
}
