import ClusterKit

/// What the engine reports as it runs; metrics are observers of these records.
public enum SimulationRecord: Sendable {
    case submitted(job: Int, at: SimTime)
    case started(job: Int, at: SimTime, devices: [Int], type: Int, restoring: Bool)
    case preempted(job: Int, at: SimTime)
    case completed(job: Int, at: SimTime)
    case failedOOM(job: Int, at: SimTime, device: Int)
    /// The policy would never place the job (see `JobStatus.refused`).
    case refused(job: Int, at: SimTime)
    case nodeDown(node: Int, at: SimTime)
    case nodeUp(node: Int, at: SimTime)
    /// Cluster-wide occupancy changed at `at`: busy devices and summed SM utilization (each
    /// device's residents' utilization capped at 1) from now on, per device type.
    case occupancy(at: SimTime, busyByType: [Int], smByType: [Double])
}

/// Receives the engine's records.
public protocol SimulationObserver: AnyObject {
    func record(_ r: SimulationRecord, state: ClusterState)
}
