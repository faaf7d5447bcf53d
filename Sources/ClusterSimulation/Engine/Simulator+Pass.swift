import ClusterKit

/// Around the planner's passes: restore protection and ending jobs no policy will place.
extension Simulator {
    /// Whether a running job is protected from preemption now (`SimulationConfig.protectsRestoredRuns`).
    func isProtected(_ j: Int) -> Bool { state.now < state.preemptibleFrom(j) }

    /// The earliest time a round could preempt a running job: the next round waits for it
    /// when every running job is protected (no event then, however long restores take).
    func nextPreemptible() -> SimTime {
        guard config.protectsRestoredRuns, !state.runningSet.isEmpty else { return .zero }
        return state.running.map(state.preemptibleFrom).min()!
    }

    /// Ends the queued jobs the policy will never place: nothing runs, nothing is left to
    /// arrive, every node is up, and a pass just declined them on the idle cluster, so no later
    /// event can change its decision. This happens when a predictor says a job fits on no
    /// device (e.g. predicted memory above every device's) although the measured job would run;
    /// without it, a preemptive policy's rounds would go on forever.
    func refuseIfStuck() {
        guard state.runningSet.isEmpty, pendingArrivals == 0, !state.queued.isEmpty, !state.nodeUp.contains(false) else { return }
        // A full pass considers only the jobs it admitted: first offer every queued job the idle cluster.
        planner.plan(full: false, in: view, sink: self)
        guard state.runningSet.isEmpty else { return }
        let stuck = state.queued
        for j in stuck {
            removeQueued(j)
            state.jobs[j].status = .refused
            emit(.refused(job: j, at: state.now))
        }
        ended += stuck.count
    }
}
