import ClusterKit
import Foundation
import Tensors

/// How `Trainer` trains.
public struct TrainingOptions: Sendable {
    public var epochs = 40
    public var graphsPerBatch = 32
    public var learningRate: Float = 2e-3
    public var weightDecay: Float = 1e-4
    /// Epochs without validation improvement before stopping.
    public var patience = 8
    /// Probability of hiding a sample's device embedding in training.
    public var deviceDropout: Float = 0.25
    /// Combine the targets' gradients with PCGrad (else sum them).
    public var pcgrad = true
    public var clipNorm: Float = 5
    /// Stop after this many seconds (whole epochs).
    public var timeLimit: Double?
    public var seed: UInt64 = 1
    /// How evenly an epoch visits the graph families (``Trainer/epochOrder(_:family:balance:generator:)``):
    /// 1 visits every graph once (families in proportion to their size); below 1, family `f`
    /// with `n` graphs gets a share of the epoch's visits in proportion to `n^balance`, so a
    /// family of 20 graphs is not drowned by one of 12,000. 0 gives every family the same share.
    public var familyBalance = 1.0
    /// What early stopping, the learning-rate schedule and the kept weights watch.
    public var selection = ValidationSelection.pooled
    /// Half-life in epochs of an exponential moving average of the weights (``WeightAverage``):
    /// validation, early stopping and the kept weights then use the average, training goes on
    /// from the raw weights. nil: no average (the weights as the last step left them).
    public var weightAverageHalfLife: Double?
    public init() {}
}

/// The validation figure a training run selects on (``TrainingOptions/selection``).
public enum ValidationSelection: String, Sendable, CaseIterable, Codable {
    /// The median APE over every validation sample (time plus memory): families weigh by their
    /// sample counts, so NAS-Bench-201's thousands of cells decide.
    case pooled
    /// The mean over graph families of each family's median APE (time plus memory): every family
    /// weighs the same, so the weights kept are those that fit the real models too (a dozen
    /// families of the GPU benchmarks beside one of 15,625 cells).
    case families
}

/// One epoch's progress.
public struct EpochReport: Sendable, Hashable, Codable {
    public var epoch: Int
    public var trainLoss: Double
    /// Validation MAPE (percent) of time, and of memory where trained.
    public var validationTimeMAPE: Double?
    public var validationMemoryMAPE: Double?
    /// Validation median absolute percentage error of time and memory: what early stopping and
    /// the learning-rate schedule watch, since a few damaged labels (e.g. NAS-Bench-201's pixel3
    /// rows of 0.003 ms) can dominate a mean.
    public var validationTimeMedianAPE: Double?
    public var validationMemoryMedianAPE: Double?
    /// The mean over graph families of each family's validation median APE of time
    /// (``ValidationSelection/families``).
    public var validationTimeFamilyMedianAPE: Double?
    public var learningRate: Float
    public var seconds: Double
    /// Whether this epoch's weights are the best so far (kept).
    public var best: Bool
}

/// Trains a ``PerfModel``: mini-batches of whole graphs with every sample on them, AdamW,
/// reduce-on-plateau, gradient clipping, early stopping on validation median APE with the best
/// epoch's weights kept, and the targets' losses combined with ``PCGrad``.
public enum Trainer {
    /// Fits the input normalizers and target statistics on the training samples.
    public static func statistics(_ data: PerfDataset, train: [Int], deviceVectors: [String: [Float]]) -> (FeatureNorms, TargetStats) {
        let graphIDs = Array(Set(train.map { data.samples[$0].graph })).sorted()
        let contexts = train.map { i -> [Float] in
            let s = data.samples[i]
            return SampleContext.vector(s, device: deviceVectors[s.device] ?? DeviceFeatures.vector(nil))
        }
        let norms = FeatureNorms(graphs: graphIDs.map { data.graphs[$0] }, contexts: contexts)
        var stats = TargetStats()
        func fit(_ values: [Double]) -> (Float, Float) {
            guard !values.isEmpty else { return (0, 1) }
            let m = values.reduce(0, +) / Double(values.count)
            let v = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)
            return (Float(m), Float(max(v.squareRoot(), 1e-3)))
        }
        let samples = train.map { data.samples[$0] }
        (stats.timeMean, stats.timeStd) = fit(samples.compactMap { s in s.time.map { log($0) - (s.priorTime.map(log) ?? 0) } })
        (stats.memoryMean, stats.memoryStd) = fit(samples.compactMap { s in s.memory.map { log($0) - (s.priorMemory.map(log) ?? 0) } })
        let kindOf = { (s: PerfSample) in DeviceFeatures.kind(of: deviceVectors[s.device] ?? DeviceFeatures.vector(nil)) }
        func bounds(_ value: (PerfSample) -> Double?, prior: (PerfSample) -> Double?) -> ResidualBounds {
            ResidualBounds(residuals: samples.compactMap { s in
                guard let y = value(s), y > 0 else { return nil }
                let p = prior(s)
                return (ResidualBounds.key(kind: kindOf(s), hasPrior: p != nil), p != nil, log(y) - (p.map(log) ?? 0))
            })
        }
        func kinds(_ value: (PerfSample) -> Double?) -> [String] {
            Set(samples.compactMap { s in value(s).map { _ in kindOf(s)?.rawValue ?? "unknown" } }).sorted()
        }
        stats.labelledKinds = ["time": kinds { $0.time }, "memory": kinds { $0.memory }, "utilization": kinds { $0.utilization }]
        stats.timeBounds = bounds({ $0.time }, prior: { $0.priorTime })
        stats.memoryBounds = bounds({ $0.memory }, prior: { $0.priorMemory })
        (stats.operatorMean, stats.operatorStd) = fit(samples.flatMap { s in (s.operatorTimes ?? []).filter { $0 > 0 }.map { log(Double($0)) } })
        return (norms, stats)
    }

    /// A new model for `data`'s training samples (devices, normalizers, statistics fitted).
    public static func makeModel(hyper: ModelHyper, data: PerfDataset, train: [Int], catalog: DeviceCatalog) -> PerfModel {
        let devices = Array(Set(train.map { data.samples[$0].device })).sorted()
        var vectors: [String: [Float]] = [:]
        for d in devices { vectors[d] = DeviceFeatures.vector(catalog[d]) }
        let (norms, stats) = statistics(data, train: train, deviceVectors: vectors)
        return PerfModel(hyper: hyper, devices: devices, deviceVectors: vectors, norms: norms, stats: stats)
    }

    /// The losses of one forward pass, one per target present (time first), as scalars.
    static func losses(_ model: PerfModel, _ out: PerfModel.Outputs, _ b: PreparedBatch, tape: Tape) -> [Variable] {
        let stats = model.stats
        func meanSquare(_ pred: Variable, _ targets: [Float]) -> Variable? {
            let rows = targets.indices.filter { targets[$0].isFinite }
            guard !rows.isEmpty else { return nil }
            let y = Tensor(shape: [rows.count, 1], data: rows.map { targets[$0] })
            let r = pred.gather(rows) - Variable(y)
            return model.hyper.robustLoss ? r.pseudoHuber(delta: 1).mean() * 2 : r.squared().mean()
        }
        var result: [Variable] = []
        let timeTarget = b.lnTime.indices.map { (b.lnTime[$0] - b.priorTime[$0] - stats.timeMean) / stats.timeStd }
        var timeLoss = out.time.flatMap { meanSquare($0, timeTarget) }
        if let ops = out.operators, let opLoss = meanSquare(ops, b.operatorTarget) {
            if let t = timeLoss {
                // Mixed operator + model loss with adaptive weights (uncertainty weighting).
                let s = tape.variable(model.lossLogVariance)
                let s0 = s.columns(0..<1), s1 = s.columns(1..<2)
                timeLoss = t * (-s0).exp() + s0 + opLoss * (-s1).exp() + s1
            } else {
                timeLoss = opLoss
            }
        }
        if let t = timeLoss { result.append(t) }
        let memoryTarget = b.lnMemory.indices.map { (b.lnMemory[$0] - b.priorMemory[$0] - stats.memoryMean) / stats.memoryStd }
        if let m = out.memory.flatMap({ meanSquare($0, memoryTarget) }) { result.append(m) }
        if let u = out.utilization.flatMap({ meanSquare($0, b.utilization) }) { result.append(u) }
        return result
    }

    /// The graphs one epoch visits, shuffled. With `balance` 1, each graph once. Otherwise as
    /// many visits as there are graphs, shared among the families in proportion to `n^balance`
    /// (`n` the family's graph count; at least one visit each), and within a family spread
    /// evenly: every graph the same number of times, the remainder a random subset. This is the
    /// temperature sampling of multilingual training (Arivazhagan et al., "Massively
    /// Multilingual Neural Machine Translation in the Wild", 2019: `p ∝ n^(1/T)`): the
    /// benchmark families of a few dozen graphs each, on the GPUs a cluster runs, otherwise get
    /// 1–2% of the visits beside NAS-Bench-201's thousands of cells and GPUMemNet's MLPs.
    static func epochOrder(_ graphIDs: [Int], family: (Int) -> String, balance: Double, generator: inout SeededGenerator) -> [Int] {
        func shuffle(_ a: inout [Int]) {
            for k in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(k, Int(generator.next() % UInt64(k + 1))) }
        }
        var order: [Int]
        if balance >= 1 {
            order = graphIDs
        } else {
            var members: [String: [Int]] = [:]
            for g in graphIDs { members[family(g), default: []].append(g) }
            let names = members.keys.sorted()
            let weights = names.map { Foundation.pow(Double(members[$0]!.count), max(balance, 0)) }
            let total = weights.reduce(0, +)
            order = []
            order.reserveCapacity(graphIDs.count)
            for (name, w) in zip(names, weights) {
                let graphs = members[name]!
                let visits = max(1, Int((Double(graphIDs.count) * w / total).rounded()))
                for _ in 0..<(visits / graphs.count) { order += graphs }
                var rest = graphs
                shuffle(&rest)
                order += rest.prefix(visits % graphs.count)
            }
        }
        shuffle(&order)
        return order
    }

    /// Validation errors of `model` on `samples`: mean and median absolute percentage error of
    /// time and of memory (nil where there is nothing to compare).
    public struct ValidationErrors: Sendable {
        public var timeMAPE: Double?, memoryMAPE: Double?
        public var timeMedianAPE: Double?, memoryMedianAPE: Double?
        /// The mean over graph families of each family's median APE, of time and of memory.
        public var timeFamilyMedianAPE: Double?, memoryFamilyMedianAPE: Double?

        /// The figure `selection` watches (0 where nothing was validated).
        public func metric(_ selection: ValidationSelection) -> Double {
            switch selection {
            case .pooled: return (timeMedianAPE ?? 0) + (memoryMedianAPE ?? 0)
            case .families: return (timeFamilyMedianAPE ?? 0) + (memoryFamilyMedianAPE ?? 0)
            }
        }
    }

    /// Validation errors of `model` on `samples`. Products through BLAS, like training's (the
    /// fastest; a validation figure is no answer anyone is given).
    public static func validate(_ model: PerfModel, _ data: PerfDataset, _ samples: [Int], catalog: DeviceCatalog?) throws -> ValidationErrors {
        guard !samples.isEmpty else { return ValidationErrors() }
        let predictions = try model.predict(data, samples: samples, catalog: catalog, products: .blas)
        func errors(_ pick: (SamplePrediction) -> Double?, _ truth: (PerfSample) -> Double?) -> (Double?, Double?, Double?) {
            var predicted: [Double] = [], measured: [Double] = []
            var byFamily: [String: (predicted: [Double], measured: [Double])] = [:]
            for (p, i) in zip(predictions, samples) {
                guard let y = truth(data.samples[i]), let x = pick(p) else { continue }
                predicted.append(x)
                measured.append(y)
                let family = data.info[data.samples[i].graph].family
                byFamily[family, default: ([], [])].predicted.append(x)
                byFamily[family]!.measured.append(y)
            }
            guard !measured.isEmpty else { return (nil, nil, nil) }
            let m = AccuracyMetrics(predicted: predicted, measured: measured)
            let medians = byFamily.keys.sorted().map { AccuracyMetrics(predicted: byFamily[$0]!.predicted, measured: byFamily[$0]!.measured).medianAPE }
            return (m.mape, m.medianAPE, medians.reduce(0, +) / Double(medians.count))
        }
        let t = errors({ $0.time }, { $0.time }), m = errors({ $0.memory }, { $0.memory })
        return ValidationErrors(timeMAPE: t.0, memoryMAPE: m.0, timeMedianAPE: t.1, memoryMedianAPE: m.1,
                                timeFamilyMedianAPE: t.2, memoryFamilyMedianAPE: m.2)
    }

    /// Trains `model` on `split.train`, validating on `split.validation` after every epoch;
    /// keeps the best epoch's weights and calibrates ``TimeIntervals`` on the validation split.
    /// `progress` hears each epoch; `batchProgress` each mini-batch (done, total).
    public static func train(_ model: PerfModel, data: PerfDataset, split: DatasetSplit, catalog: DeviceCatalog?,
                             options: TrainingOptions, progress: (EpochReport) -> Void = { _ in },
                             batchProgress: (Int, Int) -> Void = { _, _ in }) throws -> [EpochReport] {
        let parameters = model.store.parameters
        let shared = parameters.map { model.store.shared.contains(ObjectIdentifier($0)) }
        let optimizer = AdamW(parameters: parameters, learningRate: options.learningRate, weightDecay: options.weightDecay)
        var plateau = ReduceLROnPlateau(factor: 0.5, patience: 3)
        var generator = SeededGenerator(seed: options.seed, stream: "train")
        var reports: [EpochReport] = []
        var best = Double.infinity, bestWeights = model.store.snapshot(), sinceBest = 0
        let start = Date()
        var graphsOfTrain: [Int: [Int]] = [:]
        for i in split.train { graphsOfTrain[data.samples[i].graph, default: []].append(i) }
        let graphIDs = graphsOfTrain.keys.sorted()
        var average = options.weightAverageHalfLife.map {
            WeightAverage(parameters, halfLife: $0, stepsPerEpoch: (graphIDs.count + options.graphsPerBatch - 1) / max(options.graphsPerBatch, 1))
        }
        for epoch in 1...max(options.epochs, 1) {
            let epochStart = Date()
            let order = epochOrder(graphIDs, family: { data.info[$0].family }, balance: options.familyBalance, generator: &generator)
            let chunks = stride(from: 0, to: order.count, by: options.graphsPerBatch).map { Array(order[$0..<min($0 + options.graphsPerBatch, order.count)]) }
            var lossSum = 0.0, lossCount = 0
            for (c, chunk) in chunks.enumerated() {
                let sampleIDs = chunk.flatMap { graphsOfTrain[$0]! }
                let b = try model.prepare(data, samples: sampleIDs, catalog: catalog, novelty: false)
                let keep = (0..<b.sampleCount).map { _ in Float(generator.nextUnit()) < options.deviceDropout ? Float(0) : 1 }
                let tape = Tape()
                let out = model.forward(b, tape: tape, deviceKeep: keep)
                let losses = losses(model, out, b, tape: tape)
                guard !losses.isEmpty else { continue }
                optimizer.zeroGrad()
                if losses.count == 1 || !options.pcgrad {
                    var total = losses[0]
                    for l in losses.dropFirst() { total = total + l }
                    tape.backward(total)
                } else {
                    var perTask: [[Tensor?]] = []
                    for l in losses {
                        optimizer.zeroGrad()
                        tape.backward(l)
                        perTask.append(parameters.map(\.grad))
                    }
                    let combined = PCGrad.combine(perTask, shared: shared, generator: &generator)
                    for (p, g) in zip(parameters, combined) { p.grad = g }
                }
                _ = GradientClipping.clipByGlobalNorm(parameters, maxNorm: options.clipNorm)
                optimizer.step()
                average?.update(parameters)
                lossSum += losses.reduce(0) { $0 + Double($1.value.data[0]) }
                lossCount += 1
                batchProgress(c + 1, chunks.count)
            }
            let raw = average.map { a -> [Tensor] in
                let current = model.store.snapshot()
                model.store.restore(a.values)
                return current
            }
            let v = try validate(model, data, split.validation, catalog: catalog)
            let metric = v.metric(options.selection)
            let improved = metric < best
            if improved { best = metric; bestWeights = model.store.snapshot(); sinceBest = 0 } else { sinceBest += 1 }
            if let raw { model.store.restore(raw) }
            if !split.validation.isEmpty { _ = plateau.step(metric: metric, optimizer: optimizer) }
            let report = EpochReport(epoch: epoch, trainLoss: lossCount > 0 ? lossSum / Double(lossCount) : .nan,
                                     validationTimeMAPE: v.timeMAPE, validationMemoryMAPE: v.memoryMAPE,
                                     validationTimeMedianAPE: v.timeMedianAPE, validationMemoryMedianAPE: v.memoryMedianAPE,
                                     validationTimeFamilyMedianAPE: v.timeFamilyMedianAPE, learningRate: optimizer.learningRate,
                                     seconds: Date().timeIntervalSince(epochStart), best: improved)
            reports.append(report)
            progress(report)
            if sinceBest >= options.patience { break }
            if let limit = options.timeLimit, Date().timeIntervalSince(start) >= limit { break }
        }
        if !split.validation.isEmpty {
            model.store.restore(bestWeights)
            model.timeIntervals = try TimeIntervals.calibrate(model, data: data, samples: split.validation, catalog: catalog)
        } else if let average {
            model.store.restore(average.values)
        }
        if let catalog, model.hyper.targets.contains(.time) {
            model.measured = MeasuredEfficiencies(data, samples: split.train, catalog: catalog, excludedFamilies: Self.unrememberedFamilies)
        }
        return reports
    }

    /// Families whose measurements a model does not keep in ``PerfModel/measured``:
    /// NAS-Bench-201's cells (searched architectures, not workloads a cluster runs; fifteen
    /// thousand of them on a dozen settings would make the file megabytes).
    public static let unrememberedFamilies: Set<String> = ["nb201"]
}
