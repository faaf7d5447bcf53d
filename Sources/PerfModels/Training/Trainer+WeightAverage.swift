import Foundation
import Tensors

/// An exponential moving average of a model's weights over training steps (Polyak and
/// Juditsky, "Acceleration of Stochastic Approximation by Averaging", SIAM J. Control Optim.
/// 1992; in its exponential form as in Izmailov et al., "Averaging Weights Leads to Wider Optima
/// and Better Generalization", UAI 2018). The weights a short run ends on depend on the last
/// mini-batches it happened to see; their average does less, which matters most far from the
/// training data, where one seed's answer can differ from another's by a factor.
///
/// The decay per step is set from a half-life in epochs, so the same option means the same
/// window on a dataset of any size; early steps use the debiased decay
/// `min(decay, (1 + n) / (10 + n))` so the first average is not mostly the initial weights.
struct WeightAverage {
    private(set) var values: [Tensor]
    let decay: Double
    private var steps = 0

    /// Starts from `parameters`' current values; `halfLife` epochs of `stepsPerEpoch` steps.
    init(_ parameters: [Parameter], halfLife: Double, stepsPerEpoch: Int) {
        values = parameters.map(\.value)
        decay = Foundation.pow(0.5, 1 / max(halfLife * Double(max(stepsPerEpoch, 1)), 1))
    }

    /// Folds the parameters' values after one optimizer step into the average.
    mutating func update(_ parameters: [Parameter]) {
        steps += 1
        let d = Float(min(decay, Double(1 + steps) / Double(10 + steps)))
        for (k, p) in parameters.enumerated() {
            let v = p.value.data
            values[k].data.withUnsafeMutableBufferPointer { avg in
                for i in avg.indices { avg[i] = d * avg[i] + (1 - d) * v[i] }
            }
        }
    }
}
