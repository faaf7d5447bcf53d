import Foundation

extension MeasuredOracle {
    /// Lucid's model for each Gavel family: the closest workload Lucid measured
    /// (Hu et al., "Lucid: A Non-intrusive, Scalable and Interpretable Scheduler for Deep
    /// Learning Training Jobs", ASPLOS 2023).
    static let lucidCounterpart: [String: (model: String, dataset: String)] = [
        "resnet18-cifar10": ("ResNet18", "CIFAR-10"),
        "resnet50-imagenet": ("ResNet50", "ImageNet"),
        "transformer-multi30k": ("Transformer", "Multi30k"),
        "lstm-wikitext2": ("LSTM", "Wikitext2"),
        "autoencoder-ml20m": ("NeuMF", "MovieLens"),
        "a3c-pong": ("PPO", "LunarLander"),
        "cyclegan-monet2photo": ("DCGAN", "LSUN"),
    ]

    /// Adds measured peak GPU memory and GPU utilization from Lucid's `single_data.csv` to the
    /// FP32 training entries of the Gavel families, and Lucid's co-located pairs to
    /// `colocations`.
    ///
    /// Lucid measured batch sizes 32/64/128; another batch size takes the value interpolated
    /// linearly in batch size between the two nearest measured ones (extrapolated from the two
    /// nearest at the ends, memory never below the smallest measured value), and the entry's
    /// source says so (`+lucid~`). Lucid measured on one GPU type; the same memory and
    /// utilization are used on every device (memory is a property of the model and framework;
    /// utilization on other GPUs is an approximation stated in the README).
    public mutating func loadLucid(singlePath: String, colocatePath: String) throws {
        let single = try CSVTable(text: TextFile.read(singlePath), path: singlePath)
        let cModel = try single.column("model"), cData = try single.column("dataset"), cBatch = try single.column("batchsize")
        let cAmp = try single.column("amp"), cUtil = try single.column("gpu_util"), cMem = try single.column("gmem")
        struct Point { var batch: Double; var util: Double; var mib: Double }
        var points: [String: [Point]] = [:]
        var utilOf: [String: Double] = [:]
        for row in single.rows {
            let model = String(try row.string(cModel, "model", in: single)), data = String(try row.string(cData, "dataset", in: single))
            let batch = try row.int(cBatch, "batchsize", in: single), amp = try row.int(cAmp, "amp", in: single)
            let util = try row.double(cUtil, "gpu_util", in: single) / 100, mib = try row.double(cMem, "gmem", in: single)
            guard (0...1.0001).contains(util), mib > 0 else {
                throw InputError(file: singlePath, line: row.line, reason: "gpu_util must be 0–100 and gmem positive")
            }
            utilOf["\(model)|\(data)|\(batch)|\(amp)"] = min(util, 1)
            if amp == 0 { points["\(model)|\(data)", default: []].append(Point(batch: Double(batch), util: min(util, 1), mib: mib)) }
        }
        func interpolate(_ ps: [Point], at b: Double) -> (util: Double, mib: Double, exact: Bool) {
            let sorted = ps.sorted { $0.batch < $1.batch }
            if let p = sorted.first(where: { $0.batch == b }) { return (p.util, p.mib, true) }
            guard sorted.count > 1 else { return (sorted[0].util, sorted[0].mib, false) }
            var i = 0
            while i < sorted.count - 2 && sorted[i + 1].batch < b { i += 1 }
            let p0 = sorted[i], p1 = sorted[i + 1]
            let t = (b - p0.batch) / (p1.batch - p0.batch)
            let util = min(1, max(0.01, p0.util + t * (p1.util - p0.util)))
            let mib = max(sorted.map(\.mib).min()!, p0.mib + t * (p1.mib - p0.mib))
            return (util, mib, false)
        }
        for query in table.keys.sorted() where query.config.mode == .train && query.config.precision == .fp32 {
            guard let counterpart = Self.lucidCounterpart[query.config.model],
                  let ps = points["\(counterpart.model)|\(counterpart.dataset)"], !ps.isEmpty,
                  var entry = table[query] else { continue }
            let v = interpolate(ps, at: Double(query.config.batchSize))
            entry.estimate.peakMemoryBytes = Int64((v.mib * 1_048_576).rounded())
            entry.estimate.smUtilization = v.util
            entry.source += v.exact ? "+lucid" : "+lucid~"
            insert(query, entry)
        }
        let pairs = try CSVTable(text: TextFile.read(colocatePath), path: colocatePath)
        let col = try ["model1", "dataset1", "gpu_num1", "batchsize1", "amp1", "speed1",
                       "model2", "dataset2", "gpu_num2", "batchsize2", "amp2", "speed2"].map { try pairs.column($0) }
        for row in pairs.rows {
            let f = try col.map { String(try row.string($0, pairs.header[$0], in: pairs)) }
            guard f[2] == "1", f[8] == "1" else { continue }
            let keyA = "\(f[0])|\(f[1])|\(f[3])|\(f[4])", keyB = "\(f[6])|\(f[7])|\(f[9])|\(f[10])"
            let sa = try row.double(col[5], "speed1", in: pairs), sb = try row.double(col[11], "speed2", in: pairs)
            guard sa > 0, sb > 0 else { continue }
            colocations.append(ColocationRecord(dataset: "lucid", device: "lucid-gpu", a: keyA, b: keyB,
                                                utilizationA: utilOf[keyA], utilizationB: utilOf[keyB], speedA: sa, speedB: sb))
        }
    }

    /// Loads the public datasets Augur knows from `root` that `needs` names (all by default), and
    /// the project's own measurements from `measurements` (a directory of `tools/measure` CSV
    /// files; skipped when absent). `nb201Stride > 1` keeps every n-th NAS-Bench-201
    /// architecture of those `needs` names.
    public static func loadPublic(root: DataRoot, catalog: DeviceCatalog, nb201Stride: Int = 1,
                                  measurements: String? = "data/measurements", needs: OracleNeeds = .everything) throws -> MeasuredOracle {
        var oracle = MeasuredOracle()
        try oracle.loadGavel(path: root.gavelThroughputs, catalog: catalog)
        try oracle.loadLucid(singlePath: root.lucidSingle, colocatePath: root.lucidColocate)
        var rows = needs.nb201
        if nb201Stride > 1 {
            switch rows {
            case .all: rows = .every(nb201Stride)
            case .every(let n):
                // Divisible by both: by their least common multiple.
                var a = max(n, 1), b = nb201Stride
                while b != 0 { (a, b) = (b, a % b) }
                rows = .every(max(n, 1) / a * nb201Stride)
            case .only(let s): rows = .only(s.filter { $0 % nb201Stride == 0 })
            }
        }
        try oracle.loadNB201(path: root.nb201Latency, catalog: catalog, rows: rows)
        if needs.neusight { try oracle.loadNeuSight(labelsDirectory: root.neusightLabels, catalog: catalog) }
        if needs.gpuThroughput, FileManager.default.fileExists(atPath: root.gpuThroughput) {
            try oracle.loadGPUThroughput(path: root.gpuThroughput, catalog: catalog)
        }
        if let measurements, needs.augur { try oracle.loadAugurMeasurements(directory: Installation.resolve(measurements), catalog: catalog) }
        return oracle
    }
}
