import ClusterKit
import Foundation
import ModelGraph
import Tensors

/// A trained ``PerfModel`` behind the simulator's seam: answers `PerformanceQuery`s by finding
/// the configuration's graph in the ``ModelZoo``, featurizing it at the query's batch size and
/// running the model on it.
///
/// An answer depends on its query alone: the queries of one graph (its devices, precisions and
/// modes) share one forward pass, so the graph is encoded once, through the fixed-order product
/// kernel (``MatrixProducts/fixedOrder``: every output element the same sum in one order,
/// whatever the other rows, the CPU or the OpenBLAS kernel set), so an answer is the same bits
/// asked alone or with others (tested), and every figure is rounded to ``significantDigits`` significant digits before it is
/// cached or returned. Which queries come first, in which batches, from how many threads, on
/// which CPU, changes nothing: `evaluate --threads N` writes the same bytes for every N, resumed
/// or not, and under every `OPENBLAS_CORETYPE` (the `exp` and `log` of the decoding are libm's:
/// the same glibc gives the same bits).
///
/// Answers nil where the zoo has no graph for the model or the device is neither in the
/// catalog nor known to the model. Utilization is given where the model was trained on it;
/// memory only when ``answersMemory`` is set: the default model's GPU memory labels are
/// GPUMemNet's MLPs. With the runtime's footprint and saved activations by operator in its
/// prior it is within its GPU's capacity on 92.6% of the GPU training throughput table's
/// single-GPU rows, all of which ran (`augur experiment memory-fit`); the other 7.4% (up to
/// 1.53× the capacity) would still make memory-aware policies refuse jobs that fit, so the
/// simulator keeps the measured oracle's memory unless asked. Thread-safe (one lock around the caches; missing answers are computed on all cores).
public final class GNNPredictor: PerformancePredictor, @unchecked Sendable {
    public let model: PerfModel
    public let zoo: ModelZoo
    public let catalog: DeviceCatalog
    public let name: String
    private let lock = NSLock()
    private var graphs: [String: GraphFeatures?] = [:]
    private var answers: [PerformanceQuery: PerformanceEstimate?] = [:]
    /// Whether answers carry the model's peak memory (off by default; see the type's note).
    public let answersMemory: Bool

    public init(model: PerfModel, zoo: ModelZoo, catalog: DeviceCatalog, name: String = "gnn", answersMemory: Bool = false) {
        self.answersMemory = answersMemory
        self.model = model
        self.zoo = zoo
        self.catalog = catalog
        self.name = name
    }

    /// Loads a model directory (see ``Checkpoint``).
    public convenience init(directory: String, zoo: ModelZoo, catalog: DeviceCatalog, answersMemory: Bool = false) throws {
        let (model, _) = try Checkpoint.load(directory)
        self.init(model: model, zoo: zoo, catalog: catalog, name: "gnn:" + (directory as NSString).lastPathComponent, answersMemory: answersMemory)
    }

    private func graph(_ config: ModelConfig) -> GraphFeatures? {
        let key = "\(config.model)|\(config.batchSize)"
        if let cached = graphs[key] { return cached }
        let g = (try? zoo.graph(for: config)).flatMap { $0 }.map { GraphFeaturizer.features(of: $0, batchSize: config.batchSize) }
        graphs[key] = g
        return g
    }

    /// Significant digits kept of every figure an answer gives (time, memory, utilization and
    /// their intervals). The model's own error is percents; four digits keep 0.01–0.1 %.
    public static let significantDigits = 4

    /// Answers are cached per query: the simulator asks the same questions many times.
    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        lock.lock()
        defer { lock.unlock() }
        let missing = Array(Set(queries.filter { answers[$0] == nil })).sorted()
        if !missing.isEmpty {
            // Queries of one graph (its devices, precisions and modes) share one forward pass:
            // the graph is encoded once. With the fixed-order kernel every output element is the
            // same sum whatever the other rows, so each answer is the bits it has alone (tested).
            var groups: [String: [PerformanceQuery]] = [:]
            for q in missing { groups["\(q.config.model)|\(q.config.batchSize)", default: []].append(q) }
            let keys = groups.keys.sorted()
            let inputs = keys.map { k in (groups[k]!, graph(groups[k]![0].config)) }
            let computed = Parallel.map(inputs.count) { i in self.predict(inputs[i].0, features: inputs[i].1) }
            for (group, results) in zip(inputs.map(\.0), computed) {
                for (q, a) in zip(group, results) { answers[q] = a }
            }
        }
        return queries.map { answers[$0] ?? nil }
    }

    /// The answers to queries of one graph (same model and batch), rounded.
    private func predict(_ group: [PerformanceQuery], features: GraphFeatures?) -> [PerformanceEstimate?] {
        guard let features else { return group.map { _ in nil } }
        let answerable = group.filter { model.canPredict($0.device, catalog: catalog) }
        var data = PerfDataset()
        data.graphs = [features]
        data.info = [.init(model: group[0].config.model, family: "", batchSize: group[0].config.batchSize, hasOperatorLabels: false)]
        data.samples = answerable.map { q in
            let prior = PerfDataset.priors(profile: features.profile, mode: q.config.mode, precision: q.config.precision, spec: catalog[q.device])
            return PerfSample(graph: 0, device: q.device, batchSize: q.config.batchSize, mode: q.config.mode,
                              precision: q.config.precision, priorTime: prior.time, priorMemory: prior.memory)
        }
        let predictions = (try? model.predict(data, samples: Array(data.samples.indices), catalog: catalog, products: .fixedOrder)) ?? []
        var byQuery: [PerformanceQuery: PerformanceEstimate?] = [:]
        for (q, p) in zip(answerable, predictions) { byQuery[q] = answer(p) }
        return group.map { byQuery[$0] ?? nil }
    }

    /// One prediction as an answer, rounded.
    private func answer(_ p: SamplePrediction) -> PerformanceEstimate? {
        guard let t = p.time else { return nil }
        // A non-finite answer is passed on as such: the engine refuses it with an error naming
        // this predictor (`PerformanceEstimate.invalidReason`), never hands it to a policy.
        guard t.isFinite, t > 0, p.memory?.isFinite ?? true else { return PerformanceEstimate(timePerIteration: .nan) }
        let digits = Self.significantDigits
        let interval = p.timeLower.flatMap { lo in p.timeUpper.map { EstimateInterval(lower: lo, upper: $0) } }
        let memory = (answersMemory ? p.memory : nil).map { $0.rounded(significantDigits: digits) }.flatMap { $0.isFinite && abs($0) < 9e18 ? Int64($0) : nil }
        return PerformanceEstimate(timePerIteration: t, peakMemoryBytes: memory, smUtilization: p.utilization,
                                   timeInterval: interval).rounded(significantDigits: digits)
    }
}
