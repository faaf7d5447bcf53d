/// Something that updates parameters in place from their accumulated gradients.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates.
    var parameters: [Parameter] { get }
    /// The step size; schedulers such as `ReduceLROnPlateau` change it.
    var learningRate: Float { get set }
    /// One update from the parameters' current `grad` (parameters without one are skipped).
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}
