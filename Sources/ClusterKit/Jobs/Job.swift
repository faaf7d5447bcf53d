/// Whether a job trains (forward, backward, optimizer step) or serves inference.
public enum RunMode: String, Sendable, Hashable, CaseIterable, Codable {
    case train, infer
}

/// Numeric precision a model runs in.
///
/// - `fp32`: FP32 tensors as upstream PyTorch runs them: convolutions and recurrent cells
///   (cuDNN) in TF32 on devices with TF32 tensor cores (`torch.backends.cudnn.allow_tf32`, on by
///   default), matrix products in FP32 (`torch.backends.cuda.matmul.allow_tf32`, off by
///   default since PyTorch 1.12).
/// - `tf32`: FP32 tensors with convolutions, recurrent cells *and* matrix products in TF32, as
///   NVIDIA's NGC containers and PyTorch 1.7–1.11 ran "FP32" on Ampere and later GPUs; on a
///   device without TF32 tensor cores it is FP32.
/// - `fp16`, `bf16`: half precision or mixed precision (AMP) with FP32 master weights.
public enum Precision: String, Sendable, Hashable, CaseIterable, Codable {
    case fp32, tf32, fp16, bf16

    /// The choices, for messages: "fp32, tf32, fp16 or bf16".
    public static var choices: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// Mixed precision in half-width floats (`fp16`, `bf16`).
    public var isHalf: Bool { self == .fp16 || self == .bf16 }
}

/// A model configuration as the simulator and predictors see it: which model, at which batch
/// size, in which mode and precision.
public struct ModelConfig: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var model: String
    public var batchSize: Int
    public var mode: RunMode
    public var precision: Precision

    public init(model: String, batchSize: Int, mode: RunMode, precision: Precision = .fp32) {
        self.model = model
        self.batchSize = batchSize
        self.mode = mode
        self.precision = precision
    }

    public static func < (a: ModelConfig, b: ModelConfig) -> Bool {
        (a.model, a.batchSize, a.mode.rawValue, a.precision.rawValue) < (b.model, b.batchSize, b.mode.rawValue, b.precision.rawValue)
    }

    public var description: String { "\(model)/b\(batchSize)/\(mode.rawValue)/\(precision.rawValue)" }
}

/// How much work a job has.
public enum JobWork: Hashable, Sendable {
    /// A number of iterations (training steps or inference batches) of the whole job.
    case iterations(Double)
    /// A wall-clock duration that the job takes on `device` with its requested GPUs,
    /// converted into iterations when the trace is bound to a measured oracle.
    case duration(seconds: Double, referenceDevice: String)
}

/// One job of a trace.
public struct Job: Sendable, Hashable {
    public var id: String
    public var submit: SimTime
    public var config: ModelConfig
    public var work: JobWork
    /// Devices requested (GPUs, or one CPU/edge device).
    public var gpus: Int
    /// Share of one GPU in thousandths (1000 = a whole GPU); only for `gpus == 1`.
    public var gpuMilli: Int
    public var priority: Int
    public var deadline: SimTime?
    /// Device types the job may run on; empty means any.
    public var deviceConstraint: [String]
    /// The user's own estimate of the job's run time (e.g. the requested time limit), if known.
    public var userEstimate: SimTime?

    public init(id: String, submit: SimTime, config: ModelConfig, work: JobWork, gpus: Int = 1,
                gpuMilli: Int = 1000, priority: Int = 0, deadline: SimTime? = nil,
                deviceConstraint: [String] = [], userEstimate: SimTime? = nil) {
        self.id = id
        self.submit = submit
        self.config = config
        self.work = work
        self.gpus = gpus
        self.gpuMilli = gpuMilli
        self.priority = priority
        self.deadline = deadline
        self.deviceConstraint = deviceConstraint
        self.userEstimate = userEstimate
    }

    /// Iterations, once the work is expressed in iterations.
    public var iterations: Double? {
        if case .iterations(let n) = work { return n }
        return nil
    }
}

/// A job trace: jobs sorted by submit time (ties keep file order), and where they came from.
public struct Trace: Sendable {
    public var name: String
    public var source: String
    public var jobs: [Job]
    /// Jobs of the source left out on import because no measured configuration could run them
    /// on the cluster (only with `skipUnassignable`).
    public var dropped: Int

    public init(name: String, source: String, jobs: [Job], dropped: Int = 0) {
        self.name = name
        self.source = source
        self.dropped = dropped
        self.jobs = jobs.enumerated().sorted { ($0.element.submit, $0.offset) < ($1.element.submit, $1.offset) }.map(\.element)
    }
}
