import ClusterKit

/// Consolidated best fit: the fewest nodes, and among single-node fits the node left fullest,
/// so large jobs keep finding whole nodes (avoids the cross-node slowdown).
public struct BestFitPlacement: PlacementPolicy {
    public init() {}
    public var name: String { "best-fit" }
    public var colocates: Bool { false }
    public func place(job: Int, in view: PolicyView) -> Placement? {
        var spanning: [Int]?
        for t in view.feasibleTypes(job: job) {
            guard let devices = view.consolidated(type: t, job: job) else { continue }
            if Set(devices.map { view.node(ofDevice: $0) }).count == 1 { return Placement(devices: devices) }
            if spanning == nil { spanning = devices }
        }
        return spanning.map { Placement(devices: $0) }
    }
}
