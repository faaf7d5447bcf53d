/// Cuts the learning rate by `factor` when a monitored metric (lower is better, such as the
/// validation loss) has not improved for more than `patience` evaluations, with the semantics
/// of PyTorch's `ReduceLROnPlateau` (mode "min", relative threshold).
public struct ReduceLROnPlateau: Sendable {
    /// Multiplier applied to the learning rate on a plateau.
    public var factor: Float
    /// Evaluations without improvement tolerated before a cut.
    public var patience: Int
    /// Relative improvement that counts: `metric < best · (1 − threshold)`.
    public var threshold: Double
    /// Evaluations to wait after a cut before counting again.
    public var cooldown: Int
    /// The learning rate never goes below this.
    public var minimumLearningRate: Float

    /// The best metric seen so far.
    public private(set) var best = Double.infinity
    /// Evaluations since the last improvement.
    public private(set) var badEvaluations = 0
    private var cooldownLeft = 0

    public init(
        factor: Float = 0.1, patience: Int = 10, threshold: Double = 1e-4, cooldown: Int = 0,
        minimumLearningRate: Float = 0
    ) {
        precondition(factor > 0 && factor < 1, "ReduceLROnPlateau: factor must be in (0, 1)")
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.cooldown = cooldown
        self.minimumLearningRate = minimumLearningRate
    }

    /// Records one evaluation of the metric and lowers `optimizer.learningRate` on a plateau.
    /// Returns true when it lowered the rate.
    @discardableResult
    public mutating func step(metric: Double, optimizer: any Optimizer) -> Bool {
        var lr = optimizer.learningRate
        let cut = step(metric: metric, learningRate: &lr)
        optimizer.learningRate = lr
        return cut
    }

    /// Records one evaluation and lowers `learningRate` in place on a plateau.
    @discardableResult
    public mutating func step(metric: Double, learningRate: inout Float) -> Bool {
        if metric < best * (1 - threshold) {
            best = metric
            badEvaluations = 0
        } else {
            badEvaluations += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badEvaluations = 0
        }
        guard badEvaluations > patience else { return false }
        let lowered = max(learningRate * factor, minimumLearningRate)
        badEvaluations = 0
        cooldownLeft = cooldown
        guard lowered < learningRate else { return false }
        learningRate = lowered
        return true
    }
}
