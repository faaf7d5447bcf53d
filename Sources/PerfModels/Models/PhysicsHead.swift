import Foundation
import Tensors

/// NeuSight's form of a time prediction (Lee et al., "Forecasting GPU Performance for Deep
/// Learning Training and Inference", 2024: a kernel's time is its roofline bound over a
/// bounded utilization, plus launch overheads): the head's two outputs become two bounded
/// log-efficiencies, `a` on the launch overheads `O` and `b` on the roofline `R` of the query,
/// and `t = O·e^a + R·e^b`. A large graph cannot be charged a small graph's inefficiency on its
/// whole roofline (the inefficiency of launch-bound networks goes to `a`, which scales with the
/// operator count, not the work), and `b ≥ −ln 2` keeps every answer within a factor of two of
/// the roofline from below. Queries without a prior (no peak figure) fall back to the first
/// output as a standardized `ln` time.
enum PhysicsHead {
    /// Range of `a`: the launch overhead per operator 0.1× to 100× its nominal figure.
    static let overheadRange: (low: Float, high: Float) = (-Float(Foundation.log(10.0)), Float(Foundation.log(100.0)))
    /// Range of `b`: from twice the roofline's speed (peak figures are not exact) to 1/200 of it.
    static let rooflineRange: (low: Float, high: Float) = (-Float(Foundation.log(2.0)), Float(Foundation.log(200.0)))

    /// `[samples, 1]` standardized `ln` time residual (the space of the residual head), from
    /// the head's `[samples, 2]` outputs.
    static func time(_ z: Variable, _ b: PreparedBatch, stats: TargetStats) -> Variable {
        let n = b.sampleCount
        let a = bounded(z.columns(0..<1), overheadRange, n), r = bounded(z.columns(1..<2), rooflineRange, n)
        let known = (0..<n).map { b.lnOverhead.indices.contains($0) && b.lnOverhead[$0].isFinite && b.lnRoofline[$0].isFinite }
        let lnO = Variable(Tensor(shape: [n, 1], data: known.indices.map { known[$0] ? b.lnOverhead[$0] : 0 }))
        let lnR = Variable(Tensor(shape: [n, 1], data: known.indices.map { known[$0] ? b.lnRoofline[$0] : 0 }))
        let lnT = ((lnO + a).exp() + (lnR + r).exp()).log()
        let prior = Variable(Tensor(shape: [n, 1], data: b.priorTime))
        let physics = (lnT - prior - stats.timeMean) * (1 / stats.timeStd)
        guard known.contains(false) else { return physics }
        let mask = Variable(Tensor(shape: [n, 1], data: known.map { $0 ? 1 : 0 }))
        let rest = Variable(Tensor(shape: [n, 1], data: known.map { $0 ? 0 : 1 }))
        return physics * mask + z.columns(0..<1) * rest
    }

    /// `c + h·tanh((z − c)/h)` onto a fixed range (wide enough that training never needs its ends).
    static func bounded(_ z: Variable, _ range: (low: Float, high: Float), _ n: Int) -> Variable {
        let c = (range.low + range.high) / 2, h = (range.high - range.low) / 2
        return ((z - c) * (1 / h)).tanh() * h + c
    }
}
