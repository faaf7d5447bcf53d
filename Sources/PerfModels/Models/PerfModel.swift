import ClusterKit
import Foundation
import Tensors

/// A graph-neural-network performance model: an encoder (``EncoderKind``) over the
/// computation graph, a learned embedding per device it was trained on, and one head per
/// target (time, memory, SM utilization) reading the graph readout, the global features, the
/// sample context (mode, precision, batch, device specs, priors) and the device embedding.
/// With an operator head (SLAPP's operator-level prediction), a second head predicts each
/// operator's time from its node embedding and its operator-level roofline context.
///
/// Heads predict log-space residuals over analytic priors (the roofline time from the
/// device's specs, the graph's analytic memory), standardized by ``TargetStats``.
public final class PerfModel {
    public let hyper: ModelHyper
    public let store: ParameterStore
    public let encoder: any GraphEncoder
    /// Devices with a learned embedding, in table order.
    public private(set) var devices: [String]
    /// The device vector (``DeviceFeatures``) each known device was trained with.
    public private(set) var deviceVectors: [String: [Float]]
    /// Devices adapted by reference, by name (``DeviceReference``).
    public var references: [String: DeviceReference] = [:]
    /// Calibrated time intervals, where the model was calibrated (``TimeIntervals``).
    public var timeIntervals: TimeIntervals?
    /// How the model answers for a device it has no embedding for (``UnseenDeviceRule``).
    public var unseenDevices: UnseenDeviceRule = .measured
    /// What was measured of the workloads the model was given (``MeasuredEfficiencies``), which
    /// answers unseen devices under ``UnseenDeviceRule/measured`` where a similar device measured
    /// the same workload.
    public var measured: MeasuredEfficiencies?
    public let norms: FeatureNorms
    public let stats: TargetStats
    let timeHead: MLP?, memoryHead: MLP?, utilizationHead: MLP?, operatorHead: MLP?
    let deviceTable: Parameter?
    /// `[1, 2]` log-variances weighting the model-level and operator-level time losses
    /// (Kendall, Gal and Cipolla 2018's uncertainty weighting: the weights adapt in training).
    let lossLogVariance: Parameter

    /// A freshly initialized model.
    public init(hyper: ModelHyper, devices: [String], deviceVectors: [String: [Float]], norms: FeatureNorms, stats: TargetStats) {
        self.hyper = hyper
        self.store = ParameterStore(seed: hyper.seed)
        self.devices = devices
        self.deviceVectors = deviceVectors
        self.norms = norms
        self.stats = stats
        encoder = hyper.kind.make(store, hidden: hyper.hidden, layers: hyper.layers, heads: hyper.heads)
        let headInput = encoder.readoutWidth + GraphFeaturizer.globalWidth + SampleContext.width + hyper.deviceLatent
        let store = self.store
        func head(_ t: PerfTarget) -> MLP? {
            let outputs = t == .time ? hyper.timeOutputs : 1
            return hyper.targets.contains(t) ? MLP(store, "head.\(t.rawValue)", [headInput, hyper.hidden, hyper.hidden / 2, outputs]) : nil
        }
        timeHead = head(.time)
        memoryHead = head(.memory)
        utilizationHead = head(.utilization)
        operatorHead = hyper.operatorHead
            ? MLP(store, "head.operator", [encoder.nodeWidth + SampleContext.width + hyper.deviceLatent + 2, hyper.hidden, hyper.hidden / 2, 1])
            : nil
        deviceTable = hyper.deviceLatent > 0
            ? store.make("device_embedding", Initializer.normal([max(devices.count, 1), hyper.deviceLatent], std: 0.1, generator: &store.generator))
            : nil
        lossLogVariance = store.make("loss.log_variance", Tensor.zeros([1, 2]))
    }

    /// Adds a device with a fresh (zero) embedding and returns its table row; an existing
    /// device keeps its row.
    @discardableResult
    public func addDevice(_ name: String, vector: [Float]) -> Int {
        if let i = devices.firstIndex(of: name) { return i }
        devices.append(name)
        deviceVectors[name] = vector
        if let table = deviceTable {
            table.value = Tensor.concat([table.value, Tensor.zeros([1, hyper.deviceLatent])], axis: 0)
        }
        return devices.count - 1
    }

    /// What one forward pass predicts, in the heads' standardized spaces.
    public struct Outputs {
        /// `[samples, 1]`: standardized `ln` time residual.
        public var time: Variable?
        public var memory: Variable?
        /// `[samples, 1]`, 0...1.
        public var utilization: Variable?
        /// `[operatorRows, 1]`: standardized `ln` operator time.
        public var operators: Variable?
    }

    /// The forward pass. `deviceKeep` (0/1 per sample) drops device embeddings (training-time
    /// dropout, so the heads also learn to predict from specs alone). `bounded` soft-clamps the
    /// time and memory outputs onto their ``ResidualBounds`` (default: when not recording, i.e.
    /// for answers, not for training).
    public func forward(_ b: PreparedBatch, tape: Tape, deviceKeep: [Float]? = nil, bounded: Bool? = nil) -> Outputs {
        // A monotone time head reads the graph's structure only (``ScaleFreeInputs``); the other
        // heads then see the scaled globals and context beside that encoding.
        let graph = b.scaleFreeGraph ?? b.graph
        let encoding = encoder.encode(graph, tape: tape)
        let s = b.sampleCount
        var parts: [Variable] = []
        if encoder.readoutWidth > 0 { parts.append(encoding.graphs.gather(b.sampleGraph)) }
        let globalsAt = parts.count
        parts.append(Variable(b.graph.globals.gatherRows(b.sampleGraph)))
        let context = Variable(b.context)
        parts.append(context)
        var latent: Variable?
        if let table = deviceTable {
            let rows = b.deviceRow.map { max($0, 0) }
            var keep = [Float](repeating: 0, count: s)
            for i in 0..<s where b.deviceRow[i] >= 0 { keep[i] = deviceKeep?[i] ?? 1 }
            let l = tape.variable(table).gather(rows) * Variable(Tensor(shape: [s, 1], data: keep))
            latent = l
            parts.append(l)
        }
        let input = Variable.concat(parts, axis: 1)
        var out = Outputs()
        out.memory = memoryHead?(input, tape)
        out.utilization = utilizationHead?(input, tape).sigmoid()
        if let head = operatorHead, !b.operatorNode.isEmpty {
            var opParts = [encoding.nodes.gather(b.operatorNode), context.gather(b.operatorSample)]
            if let latent { opParts.append(latent.gather(b.operatorSample)) }
            opParts.append(Variable(b.operatorContext))
            out.operators = head(Variable.concat(opParts, axis: 1), tape)
        }
        if hyper.timeFromOperators, let ops = out.operators {
            // ln Σ exp(ln operator time), back in the time residual's standardized space.
            let lnOps = ops * stats.operatorStd + stats.operatorMean
            let total = lnOps.exp().segmentSum(b.operatorSample, count: s).log()
            let prior = Variable(Tensor(shape: [s, 1], data: b.priorTime))
            out.time = (total - prior - stats.timeMean) * (1 / stats.timeStd)
        } else if hyper.monotoneTime, let head = timeHead, let freeContext = b.scaleFreeContext {
            var scaleFree = parts
            scaleFree[globalsAt] = Variable(graph.globals.gatherRows(b.sampleGraph))
            scaleFree[globalsAt + 1] = Variable(freeContext)
            out.time = MonotoneTimeHead.time(head(Variable.concat(scaleFree, axis: 1), tape), b, stats: stats)
        } else if hyper.physicsHead, let head = timeHead {
            out.time = PhysicsHead.time(head(input, tape), b, stats: stats)
        } else {
            out.time = timeHead?(input, tape)
        }
        // Answers are clamped; training fits the unclamped outputs, since the clamp's vanishing
        // gradient would leave a sample that strays beyond its bound stuck there.
        if bounded ?? !tape.isRecording {
            out.time = out.time.map { Self.softClamp($0, low: b.timeLow, high: b.timeHigh) }
            out.memory = out.memory.map { Self.softClamp($0, low: b.memoryLow, high: b.memoryHigh) }
        }
        return out
    }

    /// `c + h·tanh((z − c)/h)` row by row, `c` and `h` the centre and half-width of each row's
    /// `[low, high]` (``ResidualBounds``): the identity near the centre, never outside the range.
    /// Rows pass unchanged when the model has no bounds (`low` empty).
    static func softClamp(_ z: Variable, low: [Float], high: [Float]) -> Variable {
        let n = z.value.shape[0]
        guard low.count == n, high.count == n, n > 0 else { return z }
        let c = zip(low, high).map { ($0 + $1) / 2 }, h = zip(low, high).map { max(($1 - $0) / 2, 1e-3) }
        let centre = Variable(Tensor(shape: [n, 1], data: c))
        let scaled = (z - centre) * Variable(Tensor(shape: [n, 1], data: h.map { 1 / $0 }))
        return scaled.tanh() * Variable(Tensor(shape: [n, 1], data: h)) + centre
    }
}

extension PerfModel {
    /// An independent copy (same architecture, devices and weights).
    public func clone() -> PerfModel {
        let copy = PerfModel(hyper: hyper, devices: devices, deviceVectors: deviceVectors, norms: norms, stats: stats)
        copy.store.restore(store.snapshot())
        copy.references = references
        copy.timeIntervals = timeIntervals
        copy.unseenDevices = unseenDevices
        copy.measured = measured
        return copy
    }
}
