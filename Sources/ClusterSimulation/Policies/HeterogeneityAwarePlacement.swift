import ClusterKit

/// Heterogeneity-aware: the fastest device type (by the predictor) that has room now,
/// consolidated within it.
public struct HeterogeneityAwarePlacement: PlacementPolicy {
    public init() {}
    public var name: String { "hetero" }
    public var colocates: Bool { false }
    /// A job on a slower type moves when a faster one has room (at rounds of preemptive policies).
    public var migrates: Bool { true }
    public func place(job: Int, in view: PolicyView) -> Placement? {
        for t in view.typesByPredictedSpeed(job: job) {
            if let devices = view.consolidated(type: t, job: job) { return Placement(devices: devices) }
        }
        return nil
    }
}
