/// Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization"), with optional
/// coupled L2 weight decay (added to the gradient, as in PyTorch's `Adam(weight_decay:)`).
public final class Adam: Optimizer {
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
    /// L2 penalty coefficient added to the gradient (0: none).
    public var weightDecay: Float
    var moments: AdamMoments

    /// An optimizer over `parameters` with PyTorch's default hyperparameters.
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

    /// One update of every parameter that has a gradient.
    public func step() {
        moments.update(
            parameters, lr: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            l2: weightDecay, decoupled: 0)
    }
}
