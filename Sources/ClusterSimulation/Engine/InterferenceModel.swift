#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// How jobs sharing one GPU slow each other.
///
/// Each job on a GPU has a solo SM utilization `uᵢ` (measured). While the residents' total
/// `U = Σ uᵢ` stays at or below 1 they run at full speed; beyond that each runs at
/// `U^(−α)` of its solo speed. One parameter, α = 0.65, fitted (least mean absolute relative
/// error, grid search) on the 1,388 measured single-GPU pairs of Lucid's `colocate_info.csv`;
/// checked on Gavel's measured pairs, which it was not fitted on. `augur calibrate
/// interference` prints both errors (README, "Interference model").
public struct InterferenceModel: Sendable, Hashable {
    public var alpha: Double

    public init(alpha: Double = 0.65) { self.alpha = alpha }

    /// Speed relative to running alone, given the total SM utilization of the GPU's residents.
    @inlinable public func speed(totalUtilization u: Double) -> Double {
        u <= 1 ? 1 : pow(u, -alpha)
    }
}
