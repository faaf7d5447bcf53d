import ClusterKit
/// What a performance model predicts.
public enum PerfTarget: String, Sendable, Codable, CaseIterable, Comparable {
    /// Time per iteration (log space).
    case time
    /// Peak memory (log space).
    case memory
    /// SM utilization (0...1).
    case utilization

    public static func < (a: PerfTarget, b: PerfTarget) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The architecture of a performance model: stored in its checkpoint, so a loaded model is
/// rebuilt exactly.
public struct ModelHyper: Sendable, Codable, Hashable {
    public var kind: EncoderKind
    public var hidden: Int
    public var layers: Int
    /// Attention heads (EAGAT).
    public var heads: Int
    /// Width of the learned per-device embedding (0: none).
    public var deviceLatent: Int
    /// Targets the model has heads for and was trained on.
    public var targets: [PerfTarget]
    /// Whether the model has an operator-level time head (trained where operator labels exist).
    public var operatorHead: Bool
    /// Whether whole-model time is the sum of the predicted operator times (else the readout
    /// head's prediction).
    public var timeFromOperators: Bool
    public var seed: UInt64
    /// NeuSight's form for time (``PhysicsHead``): two bounded efficiencies, one on the launch
    /// overheads and one on the roofline, `t = O·e^a + R·e^b`, instead of one residual over
    /// their sum.
    public var physicsHead: Bool
    /// Fit with the pseudo-Huber loss (quadratic within one standard deviation of the target,
    /// linear beyond) instead of the squared error, so damaged labels weigh less.
    public var robustLoss: Bool
    /// Time from ``MonotoneTimeHead``: efficiencies read from scale-free inputs only, so the
    /// answer cannot fall as the batch or the resolution grows.
    public var monotoneTime: Bool
    /// With ``monotoneTime``: three efficiencies instead of one roofline efficiency, on the
    /// work's matrix FLOPs, other FLOPs and bytes (``RooflinePredictor/work(_:mode:peaks:bandwidth:)``),
    /// so a family's mix of compute- and memory-bound operators is physics, not a guess from
    /// its structure.
    public var workClasses: Bool

    /// Outputs of the time head's MLP: the form's learned terms, or one residual.
    var timeOutputs: Int { monotoneTime ? (workClasses ? MonotoneTimeHead.classOutputs : MonotoneTimeHead.outputs) : physicsHead ? 2 : 1 }

    public init(kind: EncoderKind, hidden: Int = 64, layers: Int = 3, heads: Int = 4, deviceLatent: Int = 8,
                targets: [PerfTarget] = [.time], operatorHead: Bool = false, timeFromOperators: Bool = false, seed: UInt64 = 1,
                robustLoss: Bool = true, physicsHead: Bool = false, monotoneTime: Bool = false, workClasses: Bool = false) {
        self.monotoneTime = monotoneTime
        self.workClasses = workClasses
        self.robustLoss = robustLoss
        self.physicsHead = physicsHead
        self.kind = kind
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.deviceLatent = deviceLatent
        self.targets = targets
        self.operatorHead = operatorHead
        self.timeFromOperators = timeFromOperators
        self.seed = seed
    }

    private enum CodingKeys: String, CodingKey {
        case kind, hidden, layers, heads, deviceLatent, targets, operatorHead, timeFromOperators, seed, robustLoss, physicsHead, monotoneTime, workClasses
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(EncoderKind.self, forKey: .kind)
        hidden = try c.decode(Int.self, forKey: .hidden)
        layers = try c.decode(Int.self, forKey: .layers)
        heads = try c.decode(Int.self, forKey: .heads)
        deviceLatent = try c.decode(Int.self, forKey: .deviceLatent)
        targets = try c.decode([PerfTarget].self, forKey: .targets)
        operatorHead = try c.decode(Bool.self, forKey: .operatorHead)
        timeFromOperators = try c.decode(Bool.self, forKey: .timeFromOperators)
        seed = try c.decode(UInt64.self, forKey: .seed)
        robustLoss = try c.decodeIfPresent(Bool.self, forKey: .robustLoss) ?? false
        physicsHead = try c.decodeIfPresent(Bool.self, forKey: .physicsHead) ?? false
        monotoneTime = try c.decodeIfPresent(Bool.self, forKey: .monotoneTime) ?? false
        workClasses = try c.decodeIfPresent(Bool.self, forKey: .workClasses) ?? false
    }
}

/// Location and scale of the log-space targets, from the training data: a model's heads
/// predict `(ln y − prior − mean) / std`.
public struct TargetStats: Sendable, Codable, Hashable {
    public var timeMean: Float = 0, timeStd: Float = 1
    public var memoryMean: Float = 0, memoryStd: Float = 1
    public var operatorMean: Float = 0, operatorStd: Float = 1
    /// Where the time and memory heads' `ln` residuals are bounded (``ResidualBounds``); nil in
    /// models saved before bounds existed (their heads are unbounded).
    public var timeBounds: ResidualBounds?
    public var memoryBounds: ResidualBounds?
    /// The device kinds (`gpu`, `cpu`, …) with training labels, per target (`time`, `memory`,
    /// `utilization`): a model answers a target only for kinds it has seen measured, and says
    /// so otherwise. Nil in models saved before this existed (they answer every kind).
    public var labelledKinds: [String: [String]]?
    public init() {}

    /// Whether the model was trained on `target` for devices of `kind` (true for models saved
    /// before this was recorded).
    public func hasLabels(_ target: PerfTarget, kind: DeviceKind?) -> Bool {
        guard let kinds = labelledKinds else { return true }
        return kinds[target.rawValue]?.contains(kind?.rawValue ?? "unknown") ?? false
    }
}
