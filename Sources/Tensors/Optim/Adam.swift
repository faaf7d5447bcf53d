/// Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization"), with optional
/// coupled L2 weight decay (added to the gradient, as in PyTorch's `Adam(weight_decay:)`).
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// L2 penalty coefficient added to the gradient (0: none).
    public var weightDecay: Float
    var moments: AdamMoments

    public init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
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
            l2: weightDecay, decoupled: 0)
    }
}
