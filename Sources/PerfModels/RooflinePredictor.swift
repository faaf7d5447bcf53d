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

    /// The peak FLOP/s of operators of each ``TensorMath`` class in `precision` (nil without a
    /// peak figure): FP16 and BF16 at the half-precision figure; FP32 at the FP32 figure, but
    /// cuDNN's operators at the TF32 figure where the device has one (PyTorch's default); TF32
    /// with cuBLAS's operators at the TF32 figure too.
    public static func peaks(precision: Precision, device: DeviceSpec) -> (none: Double, cudnn: Double, cublas: Double)? {
        switch precision {
        case .fp16, .bf16:
            guard let p = device.fp16FLOPS ?? device.fp32FLOPS, p > 0 else { return nil }
            return (p, p, p)
        case .fp32, .tf32:
            guard let p = device.fp32FLOPS, p > 0 else { return nil }
            let tf32 = max(device.tf32FLOPS ?? p, p)
            return (p, tf32, precision == .tf32 ? tf32 : p)
        }
    }

    /// The peak of one operator class among ``peaks(precision:device:)``.
    @inline(__always) static func peak(_ math: TensorMath, _ p: (none: Double, cudnn: Double, cublas: Double)) -> Double {
        switch math {
        case .none: return p.none
        case .cudnn: return p.cudnn
        case .cublas: return p.cublas
        }
    }

    /// The roofline estimate of one graph on one device.
    public static func estimate(graph: ModelGraph, mode: RunMode, precision: Precision, device: DeviceSpec) -> PerformanceEstimate? {
        estimate(profile: graph.costProfile(), mode: mode, precision: precision, device: device)
    }

    /// The roofline estimate of a graph known by its ``CostProfile``.
    public static func estimate(profile: CostProfile, mode: RunMode, precision: Precision, device: DeviceSpec) -> PerformanceEstimate? {
        guard let peaks = Self.peaks(precision: precision, device: device), let bandwidth = device.memoryBandwidth, bandwidth > 0 else { return nil }
        let peak = peaks.none
        let graphMode: Mode = mode == .train ? .train : .infer
        var seconds = 0.0
        var flops = 0.0
        for i in 0..<profile.count {
            let c = profile.cost(i, mode: graphMode)
            let p = Self.peak(profile.tensorMath.indices.contains(i) ? profile.tensorMath[i] : .none, peaks)
            seconds += max(Double(c.flops) / p, Double(c.bytes) / bandwidth)
            flops += Double(c.flops)
        }
        if mode == .train {
            seconds += max(Double(profile.optimizerFLOPs) / peak, Double(profile.optimizerBytes) / bandwidth)
            flops += Double(profile.optimizerFLOPs)
        }
        guard seconds > 0 else { return nil }
        return PerformanceEstimate(timePerIteration: seconds, peakMemoryBytes: Int64(GraphMemoryAccount.bytes(profile, mode: mode)),
                                   smUtilization: min(1, flops / seconds / peak))
    }
}
