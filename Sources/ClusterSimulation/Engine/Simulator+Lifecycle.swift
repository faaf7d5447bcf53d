import ClusterKit

/// Progress, rates, and jobs starting, stopping, failing and queueing: the only code that
/// changes a job's devices and the cluster's occupancy.
extension Simulator {
    // MARK: - Progress and rates

    /// Accounts the job's progress up to now.
    func advance(_ j: Int) { state.accountProgress(j) }

    /// Recomputes a running job's rate from measured speed, scaling and interference, and
    /// queues its completion under a new epoch.
    func reschedule(_ j: Int, forceNewEpoch: Bool = false) {
        // Fields read one by one: copying the whole `JobRuntime` retains its job's strings.
        let type = state.jobs[j].deviceType
        guard let real = state.measured[state.jobs[j].configIndex][type] else { return }
        let n = state.jobs[j].devices.count
        var speed = 1.0
        for d in state.jobs[j].devices { speed = min(speed, config.interference.speed(totalUtilization: state.realUtilization[d], residents: state.residents[d].count)) }
        let old = (rate: state.jobs[j].rate, epoch: state.jobs[j].epoch, running: state.jobs[j].status == .running)
        let rate = Double(n) * state.jobs[j].scalingEfficiency * state.jobs[j].share / real.timePerIteration * speed
        // Same rate as before: the queued completion is still right (and may be due now).
        if rate == old.rate && old.epoch > 0 && old.running && old.rate > 0 && !forceNewEpoch { return }
        state.jobs[j].rate = rate
        state.jobs[j].epoch += 1
        let start = max(state.now, state.jobs[j].progressSince)
        let left = state.jobs[j].remainingIterations
        let remaining = left <= state.jobs[j].totalIterations * 1e-12 ? 0 : left
        let seconds = remaining / rate
        let finish = start + SimTime(secondsRoundingUp: seconds)
        queue.push(.completion(job: j, epoch: state.jobs[j].epoch), at: finish)
    }

    /// The measured scaling efficiency of a configuration on `gpus` devices of a type, looked
    /// up once per (configuration, type, devices, consolidated).
    func scalingEfficiency(configIndex: Int, type: Int, gpus: Int, consolidated: Bool) -> Double {
        let key = ScalingKey(config: configIndex, type: type, gpus: gpus, consolidated: consolidated)
        if let e = scalingCache[key] { return e }
        let e = scaling.efficiency(config: state.configs[configIndex], device: state.deviceTypes[type].name, gpus: gpus, consolidated: consolidated)
        scalingCache[key] = e
        return e
    }

    func realUtilization(_ j: Int) -> Double {
        (state.measured[state.jobs[j].configIndex][state.jobs[j].deviceType]?.smUtilization ?? 1) * state.jobs[j].share
    }

    // MARK: - Starting and stopping

    /// Starts a job on validated devices, or fails it with OOM. Returns false on OOM.
    func start(_ j: Int, _ p: Placement) -> Bool {
        let type = state.deviceTypeOfDevice[p.devices[0]]
        let configIndex = state.jobs[j].configIndex
        let milli = state.jobs[j].job.gpuMilli
        let share = state.jobs[j].share
        let real = state.measured[configIndex][type]
        let realMemory = real?.peakMemoryBytes ?? 0
        let capacity = state.memory(ofType: type) ?? Int64.max
        removeQueued(j)
        if let bad = p.devices.first(where: { state.realMemoryUsed[$0] + realMemory > capacity }) {
            state.jobs[j].deviceType = type
            finish(j, status: .failedOOM, oomDevice: bad)
            return false
        }
        let restoring = state.jobs[j].preemptions > 0
        state.jobs[j].status = .running
        state.jobs[j].devices = p.devices
        state.jobs[j].deviceType = type
        let restore = restoring ? SimTime(seconds: config.checkpointRestoreSeconds) : .zero
        // Saturating: restores are bounded (`Limits.maxRestoreSeconds`), and time never wraps.
        state.jobs[j].progressSince = state.now + restore
        state.jobs[j].runStart = state.now
        // Scaling depends only on the allocation: fixed for this run, not per rate change.
        let firstNode = state.topology.nodeOfDevice[p.devices[0]]
        let consolidated = p.devices.allSatisfy { state.topology.nodeOfDevice[$0] == firstNode }
        state.jobs[j].scalingEfficiency = scalingEfficiency(configIndex: configIndex, type: type, gpus: p.devices.count, consolidated: consolidated)
        if state.jobs[j].firstStart == nil { state.jobs[j].firstStart = state.now }
        let predictedMemory = state.predictedMemory(job: j, type: type, upper: false)
        let predictedUpper = state.predictedMemory(job: j, type: type, upper: true)
        let predictedUtil = (state.predicted[configIndex][type]?.smUtilization ?? 1) * share
        let util = realUtilization(j)
        var neighbours: [Int] = []
        for d in p.devices {
            if state.residents[d].isEmpty { state.idleCount[type] -= 1; busyByType[type] += 1 }
            for other in state.residents[d] where !neighbours.contains(other) { neighbours.append(other) }
            smByType[type] -= min(1, state.realUtilization[d])
            state.residents[d].append(j)
            if state.milliUsed[d] == 0 && milli != 0 { state.unreservedOnNode[state.topology.nodeOfDevice[d]] -= 1 }
            state.reserve(d, milli: milli)
            state.realMemoryUsed[d] += realMemory
            state.predictedMemoryUsed[d] += predictedMemory
            state.predictedMemoryUpperUsed[d] += predictedUpper
            state.predictedUtilization[d] += predictedUtil
            state.realUtilization[d] += util
            smByType[type] += min(1, state.realUtilization[d])
        }
        occupancyDirty = true
        state.runningSet.insert(j)
        if !neighbours.isEmpty { state.jobs[j].colocated = true }
        emit(.started(job: j, at: state.now, devices: p.devices, type: type, restoring: restoring))
        for other in neighbours {
            state.jobs[other].colocated = true
            advance(other)
            reschedule(other)
        }
        reschedule(j, forceNewEpoch: true)
        return true
    }

    /// Releases a running job's devices (accounting its service) and updates its neighbours.
    func release(_ j: Int) {
        let type = state.jobs[j].deviceType
        let configIndex = state.jobs[j].configIndex
        let milli = state.jobs[j].job.gpuMilli
        let share = state.jobs[j].share
        let devices = state.jobs[j].devices
        let ran = max(0, (state.now - state.jobs[j].runStart).seconds)
        let gpuSeconds = ran * Double(devices.count) * share
        state.jobs[j].attainedService += gpuSeconds
        state.jobs[j].runSeconds += ran
        state.jobs[j].serviceByType[type] += gpuSeconds
        let predictedMemory = state.predictedMemory(job: j, type: type, upper: false)
        let predictedUpper = state.predictedMemory(job: j, type: type, upper: true)
        let predictedUtil = (state.predicted[configIndex][type]?.smUtilization ?? 1) * share
        let realMemory = state.measured[configIndex][type]?.peakMemoryBytes ?? 0
        let util = realUtilization(j)
        var neighbours: [Int] = []
        for d in devices {
            smByType[type] -= min(1, state.realUtilization[d])
            state.residents[d].removeAll { $0 == j }
            state.reserve(d, milli: -milli)
            if state.milliUsed[d] == 0 && milli != 0 { state.unreservedOnNode[state.topology.nodeOfDevice[d]] += 1 }
            state.realMemoryUsed[d] -= realMemory
            state.predictedMemoryUsed[d] -= predictedMemory
            state.predictedMemoryUpperUsed[d] -= predictedUpper
            state.predictedUtilization[d] -= predictedUtil
            state.realUtilization[d] -= util
            if state.residents[d].isEmpty {
                state.realUtilization[d] = 0
                state.predictedUtilization[d] = 0
                busyByType[type] -= 1
                if state.isUp(device: d) { state.idleCount[type] += 1 }
            }
            smByType[type] += min(1, state.realUtilization[d])
            for other in state.residents[d] where !neighbours.contains(other) { neighbours.append(other) }
        }
        occupancyDirty = true
        if planner.wantsRoundsForReleasedDevices { migrationRoundWanted = true }
        state.jobs[j].devices = []
        state.jobs[j].rate = 0
        state.jobs[j].epoch += 1
        _ = state.runningSet.remove(j)
        for other in neighbours.sorted() {
            advance(other)
            reschedule(other)
        }
    }

    func finish(_ j: Int, status: JobStatus, oomDevice: Int? = nil) {
        if state.jobs[j].status == .running { release(j) }
        state.jobs[j].status = status
        state.jobs[j].end = state.now
        if status == .failedOOM {
            emit(.failedOOM(job: j, at: state.now, device: oomDevice ?? -1))
        } else {
            emit(.completed(job: j, at: state.now))
        }
    }

    func preempt(_ j: Int) {
        advance(j)
        release(j)
        state.jobs[j].status = .queued
        state.jobs[j].preemptions += 1
        state.jobs[j].lastQueued = state.now
        insertQueued(j)
        emit(.preempted(job: j, at: state.now))
    }

    func failNode(_ node: Int) {
        var victims: [Int] = []
        for d in state.devices(ofNode: node) {
            if state.residents[d].isEmpty { state.idleCount[state.deviceTypeOfDevice[d]] -= 1 }
            for j in state.residents[d] where !victims.contains(j) { victims.append(j) }
        }
        state.nodeUp[node] = false
        for j in victims.sorted() { preempt(j) }
        emit(.nodeDown(node: node, at: state.now))
    }

    func removeQueued(_ j: Int) {
        if state.queuedSet.remove(j) { planner.jobLeftQueue(j, in: view) }
    }

    /// Keeps `queued` in submit order (job index order) and tells the planner.
    func insertQueued(_ j: Int) {
        state.queuedSet.insert(j)
        planner.jobQueued(j, in: view)
    }

    func flushOccupancy() {
        guard occupancyDirty else { return }
        occupancyDirty = false
        emit(.occupancy(at: state.now, busyByType: busyByType, smByType: smByType))
    }
}
