/// Which of the measured datasets a run reads (issue 17.5: a run reads only what its jobs and
/// devices need).
///
/// Gavel's throughput table is always read: it is the measured multi-GPU scaling whose medians
/// every configuration without its own scaling falls back on. Lucid is read with it (memory and
/// utilization of Gavel's families). NAS-Bench-201 (15,625 architectures), NeuSight and the
/// project's own measurements are read only where the run's configurations can come from them,
/// and of NAS-Bench-201 only the architectures they can be. The oracle's answer to every query a
/// run makes is the same as with everything read.
public struct OracleNeeds: Sendable, Equatable {
    /// The NAS-Bench-201 architectures (`arch_index`) read.
    public enum Rows: Sendable, Equatable {
        case all
        /// Every n-th architecture (index divisible by n).
        case every(Int)
        case only(Set<Int>)

        public func contains(_ index: Int) -> Bool {
            switch self {
            case .all: true
            case .every(let n): index % max(n, 1) == 0
            case .only(let s): s.contains(index)
            }
        }

        func union(_ other: Rows) -> Rows {
            switch (self, other) {
            case (.only(let a), .only(let b)): .only(a.union(b))
            case (.only(let a), _) where a.isEmpty: other
            case (_, .only(let b)) where b.isEmpty: self
            case (.every(let a), .every(let b)) where a == b: self
            default: .all
            }
        }
    }

    /// NAS-Bench-201 rows read (`.only([])`: none).
    public var nb201: Rows
    public var neusight: Bool
    /// The project's own measurements (`data/measurements`).
    public var augur: Bool
    /// The GPU training throughput table (modern GPUs; the `benchmarks` family).
    public var gpuThroughput: Bool

    public init(nb201: Rows, neusight: Bool, augur: Bool, gpuThroughput: Bool = false) {
        self.nb201 = nb201
        self.neusight = neusight
        self.augur = augur
        self.gpuThroughput = gpuThroughput
    }

    /// Every dataset, every row.
    public static let everything = OracleNeeds(nb201: .all, neusight: true, augur: true, gpuThroughput: true)

    /// Gavel and Lucid only.
    public static let gavelOnly = OracleNeeds(nb201: .only([]), neusight: false, augur: false)

    /// What a workload catalog of `families` (nil: all) draws from, keeping every
    /// `nb201Stride`-th NAS-Bench-201 architecture (as `WorkloadCatalog` does).
    public static func workloads(families: Set<String>?, nb201Stride: Int = WorkloadCatalog.defaultNB201Stride) -> OracleNeeds {
        let all = families ?? WorkloadCatalog.families
        return OracleNeeds(nb201: all.contains("nb201") ? .every(max(nb201Stride, 1)) : .only([]),
                           neusight: all.contains("neusight"), augur: all.contains("augur"), gpuThroughput: all.contains("benchmarks"))
    }

    /// What jobs of these configurations need: the datasets whose names they carry. A model
    /// name no dataset of Augur's could give (a typo, say) reads everything, so that whatever
    /// the run reports about it is what it reported with everything read.
    public static func configs<S: Sequence>(_ configs: S) -> OracleNeeds where S.Element == ModelConfig {
        var needs = OracleNeeds.gavelOnly
        var indices: Set<Int> = []
        for model in Set(configs.map(\.model)) {
            switch MeasuredOracle.dataset(ofModel: model) {
            case .gavel: break
            case .nb201(let i): indices.insert(i)
            case .neusight: needs.neusight = true
            case .augur: needs.augur = true
            case .benchmarks: needs.gpuThroughput = true
            case nil: return .everything
            }
        }
        needs.nb201 = .only(indices)
        return needs
    }

    public func union(_ other: OracleNeeds) -> OracleNeeds {
        OracleNeeds(nb201: nb201.union(other.nb201), neusight: neusight || other.neusight, augur: augur || other.augur,
                    gpuThroughput: gpuThroughput || other.gpuThroughput)
    }
}

extension MeasuredOracle {
    /// The dataset whose loader names a model so, by the names the loaders give: Gavel's seven
    /// families, `nb201-<arch_index>`, `augur-…`, NeuSight's `<model>-s<seq_len>`, the GPU
    /// benchmarks' zoo names (``GPUThroughputTable/isBenchmarkModel(_:)``). Nil for a
    /// name none of them gives, or one that another dataset's reference-device prefix
    /// (`setReferenceDevice`) would also match.
    public enum ModelDataset: Equatable, Sendable {
        case gavel, nb201(Int), neusight, augur, benchmarks
    }

    static let gavelModels: Set<String> = ["resnet18-cifar10", "resnet50-imagenet", "transformer-multi30k", "lstm-wikitext2",
                                           "autoencoder-ml20m", "a3c-pong", "cyclegan-monet2photo"]
    /// Reference-device prefixes of Gavel's families (see `loadGavel`).
    static let gavelPrefixes = ["resnet", "transformer-", "lstm-", "autoencoder-", "a3c-", "cyclegan-"]

    public static func dataset(ofModel model: String) -> ModelDataset? {
        if gavelModels.contains(model) { return .gavel }
        if model.hasPrefix("augur-") { return .augur }
        if model.hasPrefix("nb201-") {
            guard let i = Int(model.dropFirst(6)) else { return nil }
            return .nb201(i)
        }
        if GPUThroughputTable.isBenchmarkModel(model) { return .benchmarks }
        if gavelPrefixes.contains(where: { model.hasPrefix($0) }) { return nil }
        // NeuSight: `<model>-s<seq_len>`, the model part without a dash.
        let parts = model.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("s"), Int(parts[1].dropFirst()) != nil else { return nil }
        return .neusight
    }
}
