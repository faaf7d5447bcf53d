import ClusterKit
import ModelGraph

/// A roofline model from device specs (Williams, Waterman and Patterson, "Roofline: An
/// Insightful Visual Performance Model for Multicore Architectures", CACM 2009): each operator
/// takes `max(FLOPs / peak FLOP/s, bytes / memory bandwidth)`; an iteration is the sum over
/// operators (forward, plus backward and the optimizer update in training).
///
/// Peak is the device's FP32 figure for FP32 and its FP16/BF16 figure otherwise; in FP32,
/// convolutions on a device with TF32 tensor cores reach its TF32 figure, as PyTorch runs them. Memory is the
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

    /// The peak a convolution reaches when it differs from the precision's: in FP32 on a device
    /// with TF32 tensor cores, the TF32 figure (PyTorch's default, ``CostProfile/convolution``).
    public static func convolutionPeak(precision: Precision, device: DeviceSpec) -> Double? {
        guard precision == .fp32, let tf32 = device.tf32FLOPS, tf32 > 0 else { return nil }
        return max(tf32, device.fp32FLOPS ?? 0)
    }

    /// The roofline estimate of one graph on one device.
    public static func estimate(graph: ModelGraph, mode: RunMode, precision: Precision, device: DeviceSpec) -> PerformanceEstimate? {
        estimate(profile: graph.costProfile(), mode: mode, precision: precision, device: device)
    }

    /// The roofline estimate of a graph known by its ``CostProfile``.
    public static func estimate(profile: CostProfile, mode: RunMode, precision: Precision, device: DeviceSpec) -> PerformanceEstimate? {
        let peak = precision == .fp32 ? device.fp32FLOPS : (device.fp16FLOPS ?? device.fp32FLOPS)
        guard let peak, let bandwidth = device.memoryBandwidth, peak > 0, bandwidth > 0 else { return nil }
        let convolutionPeak = Self.convolutionPeak(precision: precision, device: device) ?? peak
        let graphMode: Mode = mode == .train ? .train : .infer
        var seconds = 0.0
        var flops = 0.0
        for i in 0..<profile.count {
            let c = profile.cost(i, mode: graphMode)
            let p = profile.convolution.indices.contains(i) && profile.convolution[i] ? convolutionPeak : peak
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
