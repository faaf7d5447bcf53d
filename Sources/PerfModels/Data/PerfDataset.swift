import ClusterKit
import Foundation
import ModelGraph

/// Graphs and the measurements on them: what `augur train`, `eval` and `adapt` read.
///
/// A graph appears once however many devices measured it; samples point at it. Each graph
/// has a `model` (the architecture without batch size, the unit of a random split) and a
/// `family` (the unit of a family split, e.g. `densenet121`, `nb201`).
public struct PerfDataset: Sendable {
    public struct GraphInfo: Sendable, Hashable {
        /// The configuration's model name (e.g. `nb201-17`, `augur-resnet18-r32`).
        public var model: String
        public var family: String
        public var batchSize: Int
        /// Whether the graph's operators carry measured times (``PerfSample/operatorTimes``).
        public var hasOperatorLabels: Bool
        public init(model: String, family: String, batchSize: Int, hasOperatorLabels: Bool) {
            self.model = model
            self.family = family
            self.batchSize = batchSize
            self.hasOperatorLabels = hasOperatorLabels
        }
    }

    public var graphs: [GraphFeatures] = []
    public var info: [GraphInfo] = []
    public var samples: [PerfSample] = []
    /// Where the data came from, for reports (paths).
    public var sources: [String] = []
    /// Rows the loaders could not use, by reason (skipped and counted, never fatal).
    public var skipped: [String: Int] = [:]

    public init() {}

    /// Appends another dataset (graph indices of its samples shifted).
    public mutating func append(_ other: PerfDataset) {
        let offset = graphs.count
        graphs += other.graphs
        info += other.info
        samples += other.samples.map { var s = $0; s.graph += offset; return s }
        sources += other.sources
        skipped.merge(other.skipped, uniquingKeysWith: +)
    }

    /// Device names in the samples, sorted.
    public var devices: [String] { Array(Set(samples.map(\.device))).sorted() }

    /// Drops samples whose measured time is below `fraction` of the median time of their family
    /// on their device setting (device and batch size): damaged labels, such as the
    /// NAS-Bench-201 table's pixel3 cells of 3 µs for CIFAR networks that take 10 ms. Within one
    /// family a hundredfold gap is damage; across families (a tiny MLP beside a VGG) it is not.
    /// Returns the cleaned dataset and the number of samples dropped per device setting
    /// (`device b<batch>`).
    public func withoutDamagedTimes(fraction: Double = 0.01) -> (PerfDataset, dropped: [String: Int]) {
        var bySetting: [String: [Double]] = [:]
        func setting(_ s: PerfSample) -> String { "\(s.device) b\(s.batchSize)" }
        func key(_ s: PerfSample) -> String { setting(s) + " " + info[s.graph].family }
        for s in samples { if let t = s.time { bySetting[key(s), default: []].append(t) } }
        let threshold = bySetting.mapValues { Self.damageThreshold($0.sorted(), fraction: fraction) }
        var dropped: [String: Int] = [:]
        let cleaned = filtered { s in
            guard let t = s.time, let limit = threshold[key(s)], t < limit else { return true }
            dropped[setting(s), default: 0] += 1
            return false
        }
        return (cleaned, dropped)
    }

    /// The time under which a label of sorted, non-empty `times` counts as damaged: `fraction`
    /// of their median (upper median).
    static func damageThreshold(_ sorted: [Double], fraction: Double = 0.01) -> Double {
        fraction * sorted[sorted.count / 2]
    }

    /// `withoutDamagedTimes`' counts as one phrase: `59 on pixel3 b1, 3 on … b8`.
    public static func describe(dropped: [String: Int]) -> String {
        dropped.keys.sorted().map { "\(dropped[$0]!) on \($0)" }.joined(separator: ", ")
    }

    /// Keeps the samples `keep` accepts (graphs stay).
    public func filtered(_ keep: (PerfSample) -> Bool) -> PerfDataset {
        var copy = self
        copy.samples = samples.filter(keep)
        return copy
    }

    /// The priors of one graph on one device: roofline time from specs plus a launch overhead per
    /// operator, and the analytic memory of the mode plus the runtime's own footprint on the
    /// device's kind (``runtimeFootprint(kind:)``). A device with a peak FLOP/s figure but no
    /// published memory bandwidth (a VM's CPU) gets the compute bound alone, which is still a
    /// lower bound on its time; a device without a peak figure gets none (nil).
    public static func priors(profile: CostProfile, mode: RunMode, precision: Precision = .fp32, spec: DeviceSpec?) -> (time: Double?, memory: Double) {
        let memory = Double(GraphMemoryAccount.bytes(profile, mode: mode, precision: precision)) + runtimeFootprint(kind: spec?.kind)
        let time = priorParts(profile: profile, mode: mode, precision: precision, spec: spec).map { $0.roofline + $0.overhead }
        return (time, max(memory, 1))
    }

    /// Bytes a PyTorch process holds before any tensor of the model: on a GPU the CUDA context,
    /// the libraries' handles and the caching allocator's first reserve, 1,443 MiB (the smallest
    /// footprint nvidia-smi showed among GPUMemNet's 6,000 MLP runs on an A100, reached by every
    /// small model); on a CPU the interpreter with torch loaded, 285 MiB (the smallest peak RSS of
    /// this repository's CPU measurements). Added to the analytic account, not learned, so the
    /// memory head's correction stays a ratio on the model's own bytes: without it, the head
    /// learned from small MLPs that memory is 2–3× the account and carried that to networks
    /// whose footprint is nearly all tensors. Zero on kinds without memory labels.
    static func runtimeFootprint(kind: DeviceKind?) -> Double {
        switch kind {
        case .gpu: 1_443 * 1_048_576
        case .cpu: 285 * 1_048_576
        default: 0
        }
    }

    /// The two parts of the time prior: the roofline (or compute bound) and the launch overhead
    /// (nil without a peak figure); their sum is ``priors(profile:mode:precision:spec:)``'s time.
    public static func priorParts(profile: CostProfile, mode: RunMode, precision: Precision = .fp32, spec: DeviceSpec?) -> (roofline: Double, overhead: Double)? {
        guard let spec, let roofline = RooflinePredictor.estimate(profile: profile, mode: mode, precision: precision, device: spec)?.timePerIteration
                ?? computeBound(profile: profile, mode: mode, precision: precision, device: spec) else { return nil }
        return (roofline, launchOverhead(launches: profile.launches, mode: mode, kind: spec.kind))
    }

    /// Seconds the graph's FLOPs take at the device's peak (nil without a peak figure).
    static func computeBound(profile: CostProfile, mode: RunMode, precision: Precision, device: DeviceSpec) -> Double? {
        guard let peaks = RooflinePredictor.peaks(precision: precision, device: device) else { return nil }
        let seconds = RooflinePredictor.iteration(profile, mode: mode, peaks: peaks, bandwidth: nil).seconds
        return seconds > 0 ? seconds : nil
    }

    /// Seconds an iteration spends launching operators rather than computing: a fixed cost per
    /// operator that moves data (three per operator in training: forward, backward, update), by
    /// device kind. Small networks at batch 1 are launch-bound, which a roofline alone cannot
    /// see (NeuSight, Lee et al. 2024, and nn-Meter, Zhang et al. 2021, make the same point);
    /// with this term the prior's error no longer spans the batch sizes' orders of magnitude.
    static func launchOverhead(launches: Int, mode: RunMode, kind: DeviceKind) -> Double {
        let perLaunch: Double
        switch kind {
        case .gpu: perLaunch = 8e-6
        case .edgeGPU: perLaunch = 20e-6
        case .cpu: perLaunch = 3e-6
        case .phone, .sbc: perLaunch = 10e-6
        }
        return Double(launches) * perLaunch * (mode == .train ? 3 : 1)
    }
}
