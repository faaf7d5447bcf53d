import ClusterKit
import ModelGraph

/// A roofline model from device specs (Williams, Waterman and Patterson, "Roofline: An
/// Insightful Visual Performance Model for Multicore Architectures", CACM 2009): each operator
/// takes `max(FLOPs / peak FLOP/s, bytes / memory bandwidth)`; an iteration is the sum over
/// operators (forward, plus backward and the optimizer update in training).
///
/// Peak is the device's FP16/BF16 figure in half precision, else its FP32 figure, except where
/// TF32 tensor cores run the operator (``peaks(precision:device:)``, ``TensorMath``). Memory is the
/// parameters plus, for inference, the largest operator working set, or for training the
/// weights, gradients, optimizer states and saved activations. SM utilization is the
/// achieved share of peak FLOP/s. Answers nil when the zoo has no graph or the catalog no specs.
public struct RooflinePredictor: PerformancePredictor {
    public let zoo: ModelZoo
    public let catalog: DeviceCatalog

    public init(zoo: ModelZoo, catalog: DeviceCatalog) {
        self.zoo = zoo
        self.catalog = catalog
    }

    public var name: String { "roofline" }

    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        queries.map { q in
            guard let device = catalog[q.device], let graph = try? zoo.graph(for: q.config) else { return nil }
            return Self.estimate(graph: graph, mode: q.config.mode, precision: q.config.precision, device: device)
        }
    }

    /// Peak FLOP/s by ``TensorMath`` class.
    public struct Peaks: Sendable, Hashable {
        public var none: Double, cudnn: Double, cublas: Double

        /// One peak for every operator.
        public init(uniform p: Double) { (none, cudnn, cublas) = (p, p, p) }
        init(none: Double, cudnn: Double, cublas: Double) { (self.none, self.cudnn, self.cublas) = (none, cudnn, cublas) }

        public subscript(_ math: TensorMath) -> Double {
            switch math {
            case .none: none
            case .cudnn: cudnn
            case .cublas: cublas
            }
        }
    }

    /// The peaks of `device` in `precision` (nil without a peak figure): FP16 and BF16 at the
    /// half-precision figure; FP32 at the FP32 figure, but cuDNN's operators at the TF32 figure
    /// where the device has one (PyTorch's default); TF32 with cuBLAS's operators there too.
    public static func peaks(precision: Precision, device: DeviceSpec) -> Peaks? {
        switch precision {
        case .fp16, .bf16:
            guard let p = device.fp16FLOPS ?? device.fp32FLOPS, p > 0 else { return nil }
            return Peaks(uniform: p)
        case .fp32, .tf32:
            guard let p = device.fp32FLOPS, p > 0 else { return nil }
            let tf32 = max(device.tf32FLOPS ?? p, p)
            return Peaks(none: p, cudnn: tf32, cublas: precision == .tf32 ? tf32 : p)
        }
    }

    /// Each operator's FLOPs, bytes and ``TensorMath`` class in one iteration of `mode`: the
    /// forward pass, with backward folded in for training (``CostProfile/cost(_:mode:)``), then
    /// in training the optimizer update, which no tensor-core library runs.
    ///
    /// Bytes are the graph's, at FP32 width, in every precision. Halving the operators' bytes
    /// under `fp16`/`bf16` (autocast's half-width activations) was tried and measured: it makes
    /// the roofline a truer bound on Lambda's AMP rows (rows measured below it: 219 of 864 →
    /// 7), but a worse base for the learned efficiencies: leave one family out went from a
    /// median 24.6% to 30.1% (README, "One GPU-benchmark family held out"). AMP runs keep FP32 master weights,
    /// casts and FP32 normalizations, so their traffic is not half.
    static func forEachOperator(_ profile: CostProfile, mode: RunMode, _ body: (_ flops: Int, _ bytes: Int, _ math: TensorMath) -> Void) {
        let graphMode: Mode = mode == .train ? .train : .infer
        for i in 0..<profile.count {
            let c = profile.cost(i, mode: graphMode)
            body(c.flops, c.bytes, profile.tensorMath[i])
        }
        if mode == .train { body(profile.optimizerFLOPs, profile.optimizerBytes, .none) }
    }

    /// Seconds and FLOPs of one iteration: each operator (forward, plus backward and the
    /// optimizer update in training) at its class's peak, and no faster than moving its bytes
    /// where a `bandwidth` is given (else the compute bound alone).
    public static func iteration(_ profile: CostProfile, mode: RunMode, peaks: Peaks, bandwidth: Double?) -> (seconds: Double, flops: Double) {
        var seconds = 0.0, flops = 0.0
        forEachOperator(profile, mode: mode) { f, bytes, math in
            let compute = Double(f) / peaks[math]
            seconds += bandwidth.map { max(compute, Double(bytes) / $0) } ?? compute
            flops += Double(f)
        }
        return (seconds, flops)
    }

    /// One iteration's work split into three parts, each in seconds at the device's figures and
    /// summed over operators (``forEachOperator(_:mode:_:)``): FLOPs of the operators that run
    /// on tensor-core libraries (``TensorMath``: matrix products and convolutions) at their
    /// class's peak, FLOPs of the other operators at the plain peak, and every operator's bytes
    /// at the `bandwidth` (zero without one). Their sum bounds the roofline from above and is
    /// at most twice it (max(a, b) ≤ a + b ≤ 2·max(a, b)), and each part grows with the
    /// operators' FLOPs and bytes: what ``MonotoneTimeHead`` gives separate efficiencies to (the
    /// additive latency model; Williams et al.'s roofline takes the larger).
    public static func work(_ profile: CostProfile, mode: RunMode, peaks: Peaks, bandwidth: Double?) -> (matrix: Double, other: Double, memory: Double) {
        var matrix = 0.0, other = 0.0, bytes = 0.0
        forEachOperator(profile, mode: mode) { f, b, math in
            if math == .none { other += Double(f) / peaks.none } else { matrix += Double(f) / peaks[math] }
            bytes += Double(b)
        }
        let memory = bandwidth.map { $0 > 0 ? bytes / $0 : 0 } ?? 0
        return (matrix, other, memory)
    }

    /// The roofline estimate of one graph on one device.
    public static func estimate(graph: ModelGraph, mode: RunMode, precision: Precision, device: DeviceSpec) -> PerformanceEstimate? {
        estimate(profile: graph.costProfile(), mode: mode, precision: precision, device: device)
    }

    /// The roofline estimate of a graph known by its ``CostProfile``.
    public static func estimate(profile: CostProfile, mode: RunMode, precision: Precision, device: DeviceSpec) -> PerformanceEstimate? {
        guard let peaks = Self.peaks(precision: precision, device: device), let bandwidth = device.memoryBandwidth, bandwidth > 0 else { return nil }
        let (seconds, flops) = iteration(profile, mode: mode, peaks: peaks, bandwidth: bandwidth)
        guard seconds > 0 else { return nil }
        return PerformanceEstimate(timePerIteration: seconds, peakMemoryBytes: Int64(GraphMemoryAccount.bytes(profile, mode: mode, precision: precision)),
                                   smUtilization: min(1, flops / seconds / peaks.none))
    }
}
