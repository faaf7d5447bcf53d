import ClusterKit
import ModelGraph

/// The analytic memory account of a configuration's graph, the same one the roofline answers
/// with (``RooflinePredictor``): in training the weights, gradients, Adam's two states and the
/// activations saved for the backward pass (`ModelGraph.savedActivationBytes`); in inference
/// the weights and the largest operator working set. The measured oracle fills the memory of the
/// GPU benchmarks' entries with it, anchored to what each device ran
/// (`MeasuredOracle.fillMemory(from:catalog:)`). Nil when the zoo has no graph.
public struct GraphMemoryAccount: MemoryAccount {
    public let zoo: ModelZoo

    public init(zoo: ModelZoo) { self.zoo = zoo }

    public func peakMemoryBytes(_ config: ModelConfig) -> Int64? {
        // The zoo's graphs do not depend on precision: one graph (and cache entry) for both.
        var fp32 = config
        fp32.precision = .fp32
        guard let graph = try? zoo.graph(for: fp32) else { return nil }
        return Int64(Self.bytes(graph.costProfile(), mode: config.mode, precision: config.precision))
    }

    /// The account of a graph known by its ``CostProfile``. In training with mixed precision
    /// (`fp16`, `bf16`: PyTorch's autocast) the saved activations are half-precision tensors, so
    /// they count half their FP32 bytes; weights, gradients and Adam's states stay FP32.
    public static func bytes(_ profile: CostProfile, mode: RunMode, precision: Precision = .fp32) -> Int {
        guard mode == .train else { return profile.parameterBytes + profile.largestWorkingSet }
        guard precision.isHalf else { return profile.trainingMemoryBytes }
        return profile.trainingMemoryBytes - profile.savedActivationBytes / 2
    }
}
