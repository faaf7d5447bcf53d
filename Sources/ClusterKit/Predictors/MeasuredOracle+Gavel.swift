import Foundation

extension MeasuredOracle {
    /// Gavel's job types as Augur model configurations: (model, batch size).
    /// Gavel names them e.g. `ResNet-50 (batch size 64)`; A3C and CycleGAN have no batch size
    /// in the name and are given batch 1 here.
    public static func gavelConfig(_ jobType: String) -> ModelConfig? {
        let families: [(String, String)] = [
            ("ResNet-18", "resnet18-cifar10"), ("ResNet-50", "resnet50-imagenet"),
            ("Transformer", "transformer-multi30k"), ("LM", "lstm-wikitext2"),
            ("Recommendation", "autoencoder-ml20m"), ("A3C", "a3c-pong"), ("CycleGAN", "cyclegan-monet2photo"),
        ]
        for (prefix, model) in families where jobType.hasPrefix(prefix) {
            var batch = 1
            if let r = jobType.range(of: "(batch size "), let end = jobType[r.upperBound...].firstIndex(of: ")") {
                guard let b = Int(jobType[r.upperBound..<end]) else { return nil }
                batch = b
            }
            return ModelConfig(model: model, batchSize: batch, mode: .train, precision: .fp32)
        }
        return nil
    }

    /// Parses Gavel's key `('<job type>', <scale factor>)`.
    static func parseGavelKey(_ key: String) -> (jobType: String, scale: Int)? {
        guard key.hasPrefix("('"), key.hasSuffix(")"), let comma = key.range(of: "', ", options: .backwards) else { return nil }
        let name = String(key[key.index(key.startIndex, offsetBy: 2)..<comma.lowerBound])
        guard let scale = Int(key[comma.upperBound..<key.index(before: key.endIndex)]) else { return nil }
        return (name, scale)
    }

    /// Loads Gavel's measured training throughputs (iterations per second) on K80, P100 and
    /// V100: single-GPU time per iteration, multi-GPU scaling, and co-located pairs; and every
    /// throughput as given, per scale factor, 0 included (`gavelThroughputs`, for Gavel's mechanism).
    public mutating func loadGavel(path: String, catalog: DeviceCatalog) throws {
        let text = try TextFile.read(path)
        guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw InputError(file: path, reason: "not a JSON object of GPU types")
        }
        for gpuKey in root.keys.sorted() {
            let consolidated = !gpuKey.hasSuffix("_unconsolidated")
            let gpuName = consolidated ? gpuKey : String(gpuKey.dropLast("_unconsolidated".count))
            guard let device = catalog.device(dataset: "gavel", name: gpuName) else {
                throw InputError(file: path, field: gpuKey, reason: "GPU type has no 'gavel:\(gpuName)' alias in the device catalog")
            }
            guard let jobs = root[gpuKey] as? [String: Any] else {
                throw InputError(file: path, field: gpuKey, reason: "expected an object of job types")
            }
            for jobKey in jobs.keys.sorted() {
                guard let (jobType, scale) = Self.parseGavelKey(jobKey), let config = Self.gavelConfig(jobType) else {
                    throw InputError(file: path, field: "\(gpuKey).\(jobKey)", reason: "unrecognized job type")
                }
                guard let entry = jobs[jobKey] as? [String: Any], let alone = (entry["null"] as? NSNumber)?.doubleValue else {
                    throw InputError(file: path, field: "\(gpuKey).\(jobKey)", reason: "missing 'null' (throughput alone)")
                }
                if consolidated {
                    gavelThroughputs[GavelThroughputKey(config: config, device: device.name, scale: scale)] = max(0, alone)
                    for otherKey in entry.keys.sorted() where otherKey != "null" {
                        guard let (otherType, otherScale) = Self.parseGavelKey(otherKey), otherScale == scale,
                              let other = Self.gavelConfig(otherType), let pair = entry[otherKey] as? [NSNumber], pair.count == 2 else { continue }
                        let (a, b) = (pair[0].doubleValue, pair[1].doubleValue)
                        guard a.isFinite, b.isFinite else { continue }
                        gavelPairThroughputs[GavelPairKey(first: config, second: other, device: device.name, scale: scale)] = (max(0, a), max(0, b))
                    }
                }
                guard alone > 0 else { continue }
                if scale == 1 && consolidated {
                    insert(PerformanceQuery(config: config, device: device.name),
                           Entry(estimate: PerformanceEstimate(timePerIteration: 1 / alone), source: "gavel"))
                    for otherKey in entry.keys.sorted() where otherKey != "null" {
                        guard let (otherType, otherScale) = Self.parseGavelKey(otherKey), otherScale == 1,
                              otherKey > jobKey || otherKey == jobKey,
                              let pair = entry[otherKey] as? [NSNumber], pair.count == 2,
                              let otherEntry = jobs[otherKey] as? [String: Any],
                              let otherAlone = (otherEntry["null"] as? NSNumber)?.doubleValue, otherAlone > 0
                        else { continue }
                        let a = pair[0].doubleValue, b = pair[1].doubleValue
                        guard a > 0, b > 0 else { continue }
                        colocations.append(ColocationRecord(
                            dataset: "gavel", device: device.name, a: config.description,
                            b: Self.gavelConfig(otherType)?.description ?? otherType,
                            utilizationA: nil, utilizationB: nil, speedA: a / alone, speedB: b / otherAlone))
                    }
                } else if scale > 1 {
                    let oneKey = "('\(jobType)', 1)"
                    guard let base = (root[gpuName] as? [String: Any])?[oneKey] as? [String: Any],
                          let one = (base["null"] as? NSNumber)?.doubleValue, one > 0 else { continue }
                    scaling.measured[ScalingTable.Key(model: ScalingTable.model(of: config), device: device.name, gpus: scale, consolidated: consolidated)] =
                        min(1, alone / (one * Double(scale)))
                }
            }
        }
        scaling.finalize()
        setReferenceDevice(catalog.device(dataset: "gavel", name: "v100")?.name ?? "v100-sxm2-16gb", forModelsWithPrefix: "resnet")
        for prefix in ["transformer-", "lstm-", "autoencoder-", "a3c-", "cyclegan-"] {
            setReferenceDevice(catalog.device(dataset: "gavel", name: "v100")?.name ?? "v100-sxm2-16gb", forModelsWithPrefix: prefix)
        }
    }
}
