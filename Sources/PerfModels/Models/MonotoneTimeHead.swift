import Foundation
import Tensors

/// A time head whose answer cannot fall as a network's batch or input resolution grows
/// (issue 14, item 1), in NeuSight's spirit (Lee et al., "Forecasting GPU Performance for Deep
/// Learning Training and Inference", 2024: utilization rises with the work per kernel and
/// saturates) and with the classic affine throughput curve of batch scaling:
///
///     t = O·e^a + e^c · (R^γ + F^γ)^(1/γ),   F = O·e^h
///
/// `O` is the prior's launch overhead (a count of operators, the same at every batch and
/// resolution), `R` the roofline of the query, the only input that grows with its size. The
/// four learned terms, `a` (overhead efficiency), `c` (roofline efficiency once saturated), `h`
/// (the size below which the device is not saturated) and `γ` (how sharp that knee is), are
/// read from **scale-free** inputs only: the graph's structure (operator types, parameters,
/// kernels, strides, channels as parameters, depth), the device, mode and precision, never a
/// FLOP count, tensor size, batch or prior (``ScaleFreeInputs``). So for one architecture on
/// one device the answer is a smooth maximum of a floor and a saturated roofline, which rises
/// with `R`: monotone by construction, not by training. Efficiency still differs between
/// architectures and devices as much as the data say.
///
/// Queries on a device without a peak figure use a nominal 10 TFLOP/s roofline and the GPU's
/// launch cost in place of the prior (their residual space is `ln` seconds), so they scale
/// with the graph's work too instead of answering from nothing.
enum MonotoneTimeHead {
    /// Outputs of the time head's MLP.
    static let outputs = 4
    /// With work classes (``ModelHyper/workClasses``): `a`, `c` for matrix FLOPs, `h`, `ln γ`,
    /// then `c` for the other FLOPs and for bytes.
    static let classOutputs = 6
    static let overheadRange = PhysicsHead.overheadRange
    /// `c`: from twice the roofline's speed down to 1/200 of it.
    static let rooflineRange = PhysicsHead.rooflineRange
    /// `h`: the floor 1/100 to 100 times the launch overhead.
    static let floorRange: (low: Float, high: Float) = (-Float(Foundation.log(100.0)), Float(Foundation.log(100.0)))
    /// `ln γ`: knees from the sum (γ = 1, the affine curve) to near a maximum (γ = 8), and
    /// softer (γ = 1/2).
    static let sharpnessRange: (low: Float, high: Float) = (-Float(Foundation.log(2.0)), Float(Foundation.log(8.0)))

    /// Nominal peak for devices without a peak figure (their launches cost a GPU's).
    static let nominalPeak = 1e13

    /// `[samples, 1]` standardized `ln` time residual from the head's `[samples, 4]` outputs.
    static func time(_ z: Variable, _ b: PreparedBatch, stats: TargetStats) -> Variable {
        let n = b.sampleCount
        let a = PhysicsHead.bounded(z.columns(0..<1), overheadRange, n)
        let c = PhysicsHead.bounded(z.columns(1..<2), rooflineRange, n)
        let h = PhysicsHead.bounded(z.columns(2..<3), floorRange, n)
        let lnGamma = PhysicsHead.bounded(z.columns(3..<4), sharpnessRange, n)
        let gamma = lnGamma.exp(), inverse = (lnGamma * -1).exp()
        let lnO = Variable(Tensor(shape: [n, 1], data: b.lnOverhead))
        let lnF = lnO + h
        let lnT: Variable
        if z.value.shape[1] >= classOutputs, b.lnWorkShares.count == 3 * n {
            // S = W·Σ_k e^(c_k)·share_k: each part of the work at its own efficiency; then the
            // smooth maximum of S and the floor F, without a further factor.
            let shares = Tensor(shape: [n, 3], data: b.lnWorkShares)
            let lnW = Variable(Tensor(shape: [n, 1], data: b.lnWork))
            var sum = (c + Variable(shares.columns(0..<1))).exp()
            for k in 1..<3 {
                let ck = PhysicsHead.bounded(z.columns((3 + k)..<(4 + k)), rooflineRange, n)
                sum = sum + (ck + Variable(shares.columns(k..<(k + 1)))).exp()
            }
            let lnS = sum.log() + lnW
            let knee = (((lnS - lnF) * gamma).exp() + 1).log() * inverse + lnF
            lnT = ((lnO + a).exp() + knee.exp()).log()
        } else {
            let lnR = Variable(Tensor(shape: [n, 1], data: b.lnRoofline))
            // ln (R^γ + F^γ)^(1/γ), shifted by ln F so that the exponents stay small.
            let knee = (((lnR - lnF) * gamma).exp() + 1).log() * inverse + lnF
            lnT = ((lnO + a).exp() + (knee + c).exp()).log()
        }
        let prior = Variable(Tensor(shape: [n, 1], data: b.priorTime))
        return (lnT - prior - stats.timeMean) * (1 / stats.timeStd)
    }
}

/// Which input columns do not change when a network's batch or resolution does, for
/// ``MonotoneTimeHead``: everything else is set to its training mean (0 once standardized).
enum ScaleFreeInputs {
    /// Node columns after the operator one-hot that grow with batch or resolution: forward
    /// FLOPs, bytes, arithmetic intensity, FLOP and byte shares, output and input elements,
    /// the output's second and last dimensions (``GraphFeaturizer``).
    static let nodeScaled = [0, 1, 3, 4, 5, 7, 8, 14, 15].map { $0 + OperatorVocabulary.width }
    /// Edge columns: elements, bytes, first and last dimension.
    static let edgeScaled = [0, 1, 2, 3]
    /// Global columns: FLOPs, bytes, intensity, the per-node log-FLOP statistics, training FLOPs,
    /// saved activations, training memory, convolution and matrix-product FLOP shares, batch.
    static let globalScaled = [3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
    /// Context columns: `ln` batch, `ln` prior time, `ln` prior memory (``SampleContext``).
    static let contextScaled = [2, 3 + DeviceFeatures.width, 5 + DeviceFeatures.width]

    /// `t` with `columns` zeroed in every row.
    static func masked(_ t: Tensor, _ columns: [Int]) -> Tensor {
        var out = t
        let width = t.shape.count == 2 ? t.shape[1] : 0
        guard width > 0 else { return out }
        out.data.withUnsafeMutableBufferPointer { p in
            var row = 0
            while row < p.count {
                for c in columns where c < width { p[row + c] = 0 }
                row += width
            }
        }
        return out
    }

    /// The batch's graphs with every scaled node and edge column zeroed.
    static func graph(_ g: GraphBatch) -> GraphBatch {
        var out = g
        out.nodes = masked(g.nodes, nodeScaled)
        out.edges = masked(g.edges, edgeScaled)
        out.globals = masked(g.globals, globalScaled)
        return out
    }
}
