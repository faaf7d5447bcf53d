import ClusterKit

extension Simulator {
    // MARK: - Invariants

    /// Checks, after an event: no device over its memory or share, residents and jobs agree,
    /// every ended job ended once, idle counts match. Traps on violation (tests only).
    public func checkInvariants() {
        var idle = Array(repeating: 0, count: state.deviceTypes.count)
        for d in 0..<state.deviceCount {
            let type = state.deviceTypeOfDevice[d]
            if let cap = state.memory(ofType: type) { precondition(state.realMemoryUsed[d] <= cap, "device \(d) over memory") }
            precondition(state.realMemoryUsed[d] >= 0 && state.milliUsed[d] >= 0, "negative use on device \(d)")
            let k = state.placeInType[d]
            precondition((state.withRoomByType[type][k / 64] >> UInt64(k % 64)) & 1 == (state.milliUsed[d] < 1000 ? 1 : 0), "room bit of device \(d) drifted")
            for j in state.residents[d] {
                precondition(state.jobs[j].status == .running && state.jobs[j].devices.contains(d), "resident \(j) of device \(d) not running there")
            }
            if state.residents[d].isEmpty && state.isUp(device: d) { idle[type] += 1 }
            let shared = state.residents[d].count > 1 && state.residents[d].contains { !state.jobs[$0].colocated }
            precondition(!shared || state.milliUsed[d] <= 1000, "device \(d) over-reserved without co-location")
        }
        precondition(idle == state.idleCount, "idle counts drifted")
        for node in state.topology.nodes.indices {
            precondition(state.devices(ofNode: node).filter { state.milliUsed[$0] == 0 }.count == state.unreservedOnNode[node], "unreserved count of node \(node) drifted")
        }
        let running = state.running
        for j in running { precondition(state.jobs[j].status == .running && !state.jobs[j].devices.isEmpty, "running list") }
        for j in state.queued { precondition(state.jobs[j].status == .queued, "queued list") }
        for (i, job) in state.jobs.enumerated() {
            switch job.status {
            case .completed, .failedOOM: precondition(job.end != nil && job.devices.isEmpty, "ended job \(i) holds devices")
            case .running: precondition(running.contains(i), "running job \(i) not listed")
            default: precondition(job.end == nil, "job \(i) ended but \(job.status)")
            }
            precondition(job.remainingIterations >= 0, "negative remaining work")
        }
        planner.checkInvariants(in: view)
    }
}


extension JobRuntime {
    var isFractional: Bool { job.gpuMilli < 1000 }
}
