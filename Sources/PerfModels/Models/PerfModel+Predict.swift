import ClusterKit
import Foundation
import Tensors

/// A model's answer for one sample, in natural units.
public struct SamplePrediction: Sendable, Hashable {
    /// Seconds per iteration.
    public var time: Double?
    /// Bytes.
    public var memory: Double?
    /// 0...1.
    public var utilization: Double?
    /// Interval around `time` (seconds) where the model has one: ``TimeIntervals`` for trained
    /// devices, the leave-one-out residuals for devices adapted by reference.
    public var timeLower: Double?
    public var timeUpper: Double?
    /// How far the query lies from the training data (``Novelty``; nil for models without
    /// training ranges); the interval is `1 + novelty` times its calibrated width.
    public var novelty: Double?
    /// The device whose measurement of the same workload answered the time, where the query's
    /// device is one the model never trained on (``UnseenDeviceRule/measured``); nil when the
    /// network answered.
    public var measuredOn: String?
    /// The range the time can take at all, `prior·e^low … prior·e^high` (``ResidualBounds``),
    /// where the model is bounded.
    public var timeBound: ClosedRange<Double>?

    /// This prediction with the interval `[t·e^(−h), t·e^h]` around its time (`h` in `ln` time).
    func withInterval(halfWidth h: Double) -> SamplePrediction {
        guard let t = time else { return self }
        var p = self
        p.timeLower = t * Foundation.exp(-h)
        p.timeUpper = t * Foundation.exp(h)
        if let bound = timeBound {
            p.timeLower = min(max(p.timeLower!, bound.lowerBound), t)
            p.timeUpper = max(min(p.timeUpper!, bound.upperBound), t)
        }
        return p
    }
}

extension PerfModel {
    /// Groups samples by graph into batches of at most `graphsPerBatch` graphs, in order of
    /// the graphs' first appearance; each batch lists sample indices.
    static func batches(_ data: PerfDataset, samples: [Int], graphsPerBatch: Int) -> [[Int]] {
        var byGraph: [Int: [Int]] = [:]
        var order: [Int] = []
        for i in samples {
            let g = data.samples[i].graph
            if byGraph[g] == nil { order.append(g) }
            byGraph[g, default: []].append(i)
        }
        return stride(from: 0, to: order.count, by: max(graphsPerBatch, 1)).map { start in
            order[start..<min(start + graphsPerBatch, order.count)].flatMap { byGraph[$0]! }
        }
    }

    /// Natural-unit predictions from one forward pass's outputs.
    func decode(_ out: Outputs, _ b: PreparedBatch) -> [SamplePrediction] {
        let stats = self.stats
        return (0..<b.sampleCount).map { i in
            var p = SamplePrediction()
            if let t = out.time?.value.data[i] {
                p.time = Foundation.exp(Double(b.priorTime[i] + stats.timeMean + stats.timeStd * t))
                if i < b.timeLow.count {
                    let ln = { (z: Float) in Foundation.exp(Double(b.priorTime[i] + stats.timeMean + stats.timeStd * z)) }
                    p.timeBound = ln(b.timeLow[i])...ln(b.timeHigh[i])
                }
            }
            if norms.global.low != nil, i < b.novelty.count { p.novelty = Double(b.novelty[i]) }
            if let m = out.memory?.value.data[i] {
                p.memory = Foundation.exp(Double(b.priorMemory[i] + stats.memoryMean + stats.memoryStd * m))
            }
            p.utilization = out.utilization.map { Double($0.value.data[i]) }
            return p
        }
    }

    /// Predictions for `samples` (indices into `data.samples`), in the same order; inference
    /// only (nothing is recorded).
    /// Devices adapted by reference are asked of their reference and the answer mapped; devices
    /// the model never saw are answered as ``unseenDevices`` says.
    ///
    /// `products` is the kernel of the forward pass's matrix products. The default,
    /// `.fixedOrder`, makes an answer the same bits on every CPU and OpenBLAS kernel set (for
    /// the same batch: see ``GNNPredictor`` for why it predicts one query at a time); `.blas`
    /// (sgemm) is what training and its per-epoch validation use, and may be faster for wider models.
    public func predict(_ data: PerfDataset, samples: [Int], catalog: DeviceCatalog?, graphsPerBatch: Int = 64,
                        products: MatrixProducts = .fixedOrder) throws -> [SamplePrediction] {
        let answers: [SamplePrediction]
        if let substituted = substitutingReferences(data, samples: samples, catalog: catalog) {
            let raw = try predictDirectly(substituted, samples: samples, catalog: catalog, graphsPerBatch: graphsPerBatch, products: products)
            answers = zip(samples, raw).map { i, p in references[data.samples[i].device].map { $0.apply(p) } ?? p }
        } else {
            answers = try predictDirectly(data, samples: samples, catalog: catalog, graphsPerBatch: graphsPerBatch, products: products)
        }
        return answeringUnseenDevices(data, samples: samples, raw: answers, catalog: catalog)
    }

    /// `p` with the interval of `device` around its time, where the model has one.
    func withInterval(_ p: SamplePrediction, device: String) -> SamplePrediction {
        timeIntervals.map { p.withInterval(halfWidth: $0.halfWidth(for: device) * (1 + (p.novelty ?? 0))) } ?? p
    }

    /// `p` without the memory and utilization answers the model has no training labels for on
    /// devices of `device`'s kind (``TargetStats/hasLabels(_:kind:)``): a head that never saw a
    /// kind's measurements does not answer for it.
    func withLabelledTargets(_ p: SamplePrediction, device: String, catalog: DeviceCatalog?) -> SamplePrediction {
        guard stats.labelledKinds != nil, p.memory != nil || p.utilization != nil else { return p }
        let kind = deviceVector(device, catalog: catalog).flatMap(DeviceFeatures.kind(of:))
        var q = p
        if !stats.hasLabels(.memory, kind: kind) { q.memory = nil }
        if !stats.hasLabels(.utilization, kind: kind) { q.utilization = nil }
        return q
    }

    /// Predictions with every sample's own device (no references). Batches run on all cores
    /// (each batch is prepared and forwarded on its own, so the answers do not depend on the
    /// number of threads or their scheduling), except with OpenBLAS's products (`.blas`, what
    /// training's validation uses): those batches run one after another on the calling thread.
    /// OpenBLAS keeps a work buffer per thread that calls it, and the dispatch pool's threads
    /// come and go; twice, a training run beside other processes grew from 2 GB to 20 GB in a
    /// minute and a half and was killed for memory, which a buffer left behind by each new
    /// calling thread would explain. One calling thread bounds that; the answers are the same.
    func predictDirectly(_ data: PerfDataset, samples: [Int], catalog: DeviceCatalog?, graphsPerBatch: Int = 64,
                         products: MatrixProducts = .fixedOrder) throws -> [SamplePrediction] {
        let batches = Self.batches(data, samples: samples, graphsPerBatch: graphsPerBatch)
        let model = InferenceShare(self)
        let run: @Sendable (Int) throws -> [SamplePrediction] = { k in
            let b = try model.value.prepare(data, samples: batches[k], catalog: catalog)
            let out = model.value.forward(b, tape: Tape(recording: false, products: products))
            return zip(batches[k], model.value.decode(out, b)).map { i, p in
                model.value.withLabelledTargets(model.value.withInterval(p, device: data.samples[i].device), device: data.samples[i].device, catalog: catalog)
            }
        }
        let answers = products == .blas ? try batches.indices.map(run) : try Parallel.map(batches.count, run)
        var result = [SamplePrediction?](repeating: nil, count: data.samples.count)
        for (batch, predictions) in zip(batches, answers) {
            for (i, p) in zip(batch, predictions) { result[i] = p }
        }
        return samples.map { result[$0]! }
    }
}

/// A model shared by the threads of one inference call. Inference only reads parameters (a
/// non-recording tape records nothing and writes no gradient), so sharing is safe while no
/// one trains or adapts the model during the call.
struct InferenceShare: @unchecked Sendable {
    let value: PerfModel
    init(_ value: PerfModel) { self.value = value }
}
