import ClusterKit

/// The first devices with room, in device order, trying feasible types in cluster order.
public struct FirstFitPlacement: PlacementPolicy {
    public init() {}
    public var name: String { "first-fit" }
    public var colocates: Bool { false }
    public func place(job: Int, in view: PolicyView) -> Placement? {
        let n = view.job(job).gpus
        for t in view.feasibleTypes(job: job) where view.mayFit(type: t, job: job) {
            let room = view.devicesWithRoom(type: t, for: job, first: n)
            if room.count >= n { return Placement(devices: room) }
        }
        return nil
    }
}
