import ClusterKit

/// Knobs of one simulation run. Defaults are documented in `Sources/ClusterSimulation/README.md`.
public struct SimulationConfig: Sendable {
    public var seed: UInt64 = 1
    /// Seconds a preempted job spends restoring its checkpoint when it starts again.
    public var checkpointRestoreSeconds: Double = 30
    /// Length of a scheduling round for preemptive policies (Gavel uses 6 minutes).
    public var roundSeconds: Double = 360
    public var interference = InterferenceModel()
    /// Check invariants after every event (slow; for tests).
    public var checkInvariants = false
    /// Drop jobs no node could ever hold (counted as unschedulable) instead of rejecting the trace.
    public var skipInfeasible = false
    /// Injected node failures and recoveries.
    public var nodeEvents: [NodeEvent] = []

    public init() {}

    /// Whether restoring takes at least a round: then a restored run is protected from
    /// preemption until it has restored and run one round (`PolicyView.preemptibleFrom`), so
    /// every preemption follows progress.
    public var protectsRestoredRuns: Bool {
        checkpointRestoreSeconds > 0 && checkpointRestoreSeconds >= roundSeconds
    }
}

/// A node going down or coming back at a given time.
public struct NodeEvent: Sendable, Hashable {
    public var time: SimTime
    public var node: Int
    public var up: Bool

    public init(time: SimTime, node: Int, up: Bool) {
        self.time = time
        self.node = node
        self.up = up
    }

    /// Failures with exponentially distributed times between failures per node (mean
    /// `mtbfHours`) and repair times (mean `mttrHours`), until `horizon`, from a seeded stream.
    public static func random(nodes: Int, mtbfHours: Double, mttrHours: Double, horizon: SimTime, seed: UInt64) -> [NodeEvent] {
        var g = SeededGenerator(seed: seed, stream: "node-failures")
        var out: [NodeEvent] = []
        for node in 0..<nodes {
            var t = 0.0
            while true {
                t += g.nextExponential(mean: mtbfHours * 3600)
                guard t < horizon.seconds else { break }
                out.append(NodeEvent(time: SimTime(seconds: t), node: node, up: false))
                t += g.nextExponential(mean: mttrHours * 3600)
                out.append(NodeEvent(time: SimTime(seconds: t), node: node, up: true))
            }
        }
        return out.sorted { ($0.time, $0.node) < ($1.time, $1.node) }
    }
}
