/// The optimizer whose per-parameter update is added to a training step's cost.
///
/// Per-parameter costs follow the update rules as PyTorch implements them
/// (https://pytorch.org/docs/stable/optim.html): Adam (Kingma & Ba, 2015) reads the
/// parameter, its gradient and the two moments and writes the parameter and the moments;
/// its update is about 12 FLOPs (2 moment EMAs: 3 + 4, bias corrections, sqrt, add ε,
/// divide, scale, subtract: 5). Plain SGD reads parameter and gradient and writes the parameter (2 FLOPs).
public enum Optimizer: String, Codable, Sendable, CaseIterable {
    case adam
    case sgd

    /// FLOPs per parameter of one update.
    public var flopsPerParameter: Int {
        switch self {
        case .adam: 12
        case .sgd: 2
        }
    }

    /// Tensors of parameter size read plus written per update (Adam: 4 read + 3 written).
    public var tensorsTouchedPerParameter: Int {
        switch self {
        case .adam: 7
        case .sgd: 3
        }
    }

    /// Optimizer-state tensors of parameter size kept between steps (Adam: m and v).
    public var stateTensorsPerParameter: Int {
        switch self {
        case .adam: 2
        case .sgd: 0
        }
    }
}
