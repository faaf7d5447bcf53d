import ClusterKit

/// The rules the engine enforces on every placement a decision names.
extension ClusterState {
    /// Checks a placement against the rules the engine enforces.
    public func validate(_ p: Placement, for job: Int) -> PlacementViolation? {
        guard p.devices.count == jobs[job].job.gpus else { return .wrongDeviceCount }
        let milli = jobs[job].job.gpuMilli
        guard !Self.hasDuplicate(p.devices) else { return .duplicateDevice }
        guard p.devices.allSatisfy({ $0 >= 0 && $0 < deviceCount }) else { return .unknownDevice }
        guard p.devices.allSatisfy({ isUp(device: $0) }) else { return .deviceDown }
        let type = deviceTypeOfDevice[p.devices[0]]
        guard p.devices.allSatisfy({ deviceTypeOfDevice[$0] == type }) else { return .mixedDeviceTypes }
        guard feasible[job].contains(type) else { return .infeasibleDeviceType }
        guard predictedToFit(job: job, type: type) else { return .predictedNotToFit }
        if !p.colocate {
            guard p.devices.allSatisfy({ milliUsed[$0] + milli <= 1000 }) else { return .noRoom }
        }
        return nil
    }

    /// Whether a device is listed twice: placements list their devices ascending, which one
    /// scan confirms; any other order is checked with a set.
    static func hasDuplicate(_ devices: [Int]) -> Bool {
        guard devices.count > 1 else { return false }
        var ascending = true
        for i in 1..<devices.count where devices[i - 1] >= devices[i] { ascending = false; break }
        return !ascending && Set(devices).count != devices.count
    }
}
