/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
/// Regularization"). Each step first shrinks θ by `learningRate · weightDecay · θ`, then
/// applies the Adam update of the raw gradient, as PyTorch's `AdamW` does.
public final class AdamW: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Decoupled decay coefficient.
    public var weightDecay: Float
    var moments: AdamMoments

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

    public func step() {
        moments.update(
            parameters, lr: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            l2: 0, decoupled: weightDecay)
    }
}
