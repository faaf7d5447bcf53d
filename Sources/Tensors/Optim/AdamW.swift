/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
/// Regularization"). Each step first shrinks θ by `learningRate · weightDecay · θ`, then
/// applies the Adam update of the raw gradient, as PyTorch's `AdamW` does.
public final class AdamW: Optimizer {
    /// The parameters updated, in a fixed order (moment state is kept per position).
    public let parameters: [Parameter]
    /// The step size α.
    public var learningRate: Float
    /// Decay rate of the first-moment (mean) estimate.
    public var beta1: Float
    /// Decay rate of the second-moment (uncentered variance) estimate.
    public var beta2: Float
    /// Added to √v̂ to avoid division by zero.
    public var epsilon: Float
    /// Decoupled decay coefficient.
    public var weightDecay: Float
    var moments: AdamMoments

    /// An optimizer over `parameters` with PyTorch's default hyperparameters.
    public init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 1e-2
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        moments = AdamMoments(parameters)
    }

    /// The number of steps taken.
    public var stepCount: Int { moments.step }

    /// One update of every parameter that has a gradient.
    public func step() {
        moments.update(
            parameters, lr: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            l2: 0, decoupled: weightDecay)
    }
}
