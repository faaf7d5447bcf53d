#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// How jobs sharing one GPU slow each other.
///
/// Each job on a GPU has a solo SM utilization `uᵢ` (measured). A job sharing its GPU runs at
/// `s₀ · max(1, U)^(−α)` of its solo speed, where `U = Σ uᵢ` over the GPU's residents; a job
/// alone runs at full speed. Two fitted presets (least mean absolute relative error, grid
/// search; `augur calibrate interference --fit` reproduces them and prints both errors on both
/// datasets):
///
/// - `spatial` (s₀ = 0.98, α = 0.6): fitted on Lucid's 1,388 measured single-GPU pairs
///   (`colocate_info.csv`), where kernels of both jobs overlap and sharing is nearly free
///   until the SMs saturate.
/// - `timeSliced` (s₀ = 0.58, α = 0.3): fitted on Gavel's 976 measured pairs on K80, P100 and
///   V100, where the two processes take turns on the GPU and each loses about 40% even when
///   the SMs are not saturated.
public struct InterferenceModel: Sendable, Hashable {
    public var sharedSpeed: Double
    public var alpha: Double

    public init(sharedSpeed: Double = 0.98, alpha: Double = 0.6) {
        self.sharedSpeed = sharedSpeed
        self.alpha = alpha
    }

    public static let spatial = InterferenceModel(sharedSpeed: 0.98, alpha: 0.6)
    public static let timeSliced = InterferenceModel(sharedSpeed: 0.58, alpha: 0.3)
    /// No slowdown at all (for comparison).
    public static let none = InterferenceModel(sharedSpeed: 1, alpha: 0)

    /// Speed relative to running alone, given the GPU's residents and their total utilization.
    @inlinable public func speed(totalUtilization u: Double, residents: Int) -> Double {
        residents <= 1 ? 1 : sharedSpeed * (u <= 1 ? 1 : pow(u, -alpha))
    }
}
