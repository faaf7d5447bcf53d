import ClusterKit

/// A policy's planner: at each scheduling pass it turns what the policy wants into decisions
/// (`Decision`) that the engine validates and applies (`DecisionSink`). It sees the cluster
/// only through a `PolicyView`. The engine calls it; it never decides in its place.
///
/// Each simulation makes its own planner (`SchedulingPolicy.makePlanner`), so a planner may
/// keep state across passes (a queue ordered by the policy's keys, scratch marks).
public protocol Planner: AnyObject {
    /// A job entered the queue: it arrived, was preempted, or lost its node.
    func jobQueued(_ job: Int, in view: PolicyView)
    /// A job left the queue: it started or ended.
    func jobLeftQueue(_ job: Int, in view: PolicyView)
    /// Decides at a pass. `full`: a round of a preemptive policy, where running jobs may give
    /// way or move; otherwise queued jobs start on free capacity only.
    func plan(full: Bool, in view: PolicyView, sink: any DecisionSink)
    /// Whether devices released since the last round make a round due even with nothing
    /// queued (so running jobs can move onto them).
    var wantsRoundsForReleasedDevices: Bool { get }
    /// Traps when the planner's own state disagrees with the view (tests and `--check-invariants`
    /// only); by default it checks nothing.
    func checkInvariants(in view: PolicyView)
}

extension Planner {
    public func checkInvariants(in view: PolicyView) {}
}
