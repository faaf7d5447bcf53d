import ClusterKit
import Foundation
import Tensors

/// A ``GraphBatch`` plus the samples on its graphs: the inputs of one forward pass.
public struct PreparedBatch {
    public var graph: GraphBatch
    /// Batch graph of each sample.
    public var sampleGraph: [Int]
    /// `[samples, SampleContext.width]`, standardized.
    public var context: Tensor
    /// Row of each sample's device in the model's device table (-1: none).
    public var deviceRow: [Int]
    /// `ln` roofline time (0 where unknown) and `ln` analytic memory per sample.
    public var priorTime: [Float]
    public var priorMemory: [Float]
    /// Targets in `ln` space (time, memory) or raw (utilization); NaN where not measured.
    public var lnTime: [Float]
    public var lnMemory: [Float]
    public var utilization: [Float]
    /// Operator rows (only for samples whose graph has operator labels, or every sample when
    /// the model sums operator times): batch node, sample, and `ln` operator time (NaN: none).
    public var operatorNode: [Int] = []
    public var operatorSample: [Int] = []
    public var operatorTarget: [Float] = []
    /// `[operatorRows, 2]`: the operator's `ln` FLOPs over the device's peak and `ln` bytes over
    /// its bandwidth (operator-level roofline context), standardized by fixed scales.
    public var operatorContext: Tensor = Tensor.zeros([0, 2])
    /// Each sample's time and memory residual bounds in the heads' standardized spaces
    /// (``ResidualBounds``; empty when the model has none).
    public var timeLow: [Float] = [], timeHigh: [Float] = []
    public var memoryLow: [Float] = [], memoryHigh: [Float] = []
    /// Each sample's `ln` launch-overhead and `ln` roofline parts of its time prior (NaN where
    /// the device has no peak figure), for ``PhysicsHead``.
    public var lnOverhead: [Float] = [], lnRoofline: [Float] = []
    /// With work classes: each sample's `ln` total work (seconds, matrix + other + bytes) and,
    /// row-major `[samples, 3]`, each part's `ln` share of it (``RooflinePredictor/work(_:mode:peaks:bandwidth:)``).
    public var lnWork: [Float] = [], lnWorkShares: [Float] = []
    /// What ``MonotoneTimeHead`` reads (``ScaleFreeInputs``): the graphs and the standardized
    /// context with every column that grows with batch or resolution zeroed; nil for other heads.
    public var scaleFreeGraph: GraphBatch?
    public var scaleFreeContext: Tensor?
    /// Each sample's ``Novelty`` distance.
    public var novelty: [Float] = []

    public var sampleCount: Int { sampleGraph.count }
}
