import ClusterSimulation
import Testing

/// The contract every `SchedulingPolicy` and `PlacementPolicy` keeps, as checkers their tests
/// call on cluster states of every shape (empty, full, fragmented, heterogeneous, edge-only):
///
/// - a scheduler orders exactly the queued jobs (and, if preemptive, the running ones too), each
///   once, the same way on every call;
/// - a placement answers the same on every call, and what it answers passes
///   `ClusterState.validate`, keeps an exclusive placement's devices within 1000 milli-GPUs and a
///   packed placement's devices within their memory by predicted peak memory;
/// - every scheduler and placement pair runs a trace to the end with the engine's invariants
///   checked: no placement or other decision the engine rejects, every job ends exactly once (completed or out of memory),
///   and with exclusive placements the GPU time jobs received equals the time devices gave.
public enum PolicyContract {
    /// The violations by `scheduler` on `state`; `label` names the state in the details.
    public static func check(scheduler s: any SchedulingPolicy, on state: ClusterState, label: String = "") -> [ContractViolation] {
        var out: [ContractViolation] = []
        func fail(_ rule: String, _ detail: String) { out.append(ContractViolation(rule: rule, detail: "\(s.name) on \(label): \(detail)")) }
        let view = PolicyView(state)
        let order = s.prioritize(view)
        if order != s.prioritize(view) { fail("orders are deterministic", "two calls, two orders") }
        if Set(order).count != order.count { fail("each job ordered once", "a job repeats in \(order)") }
        let expected = Set(state.queued + (s.isPreemptive ? state.running : []))
        if Set(order) != expected {
            fail(s.isPreemptive ? "orders exactly the queued and running jobs" : "orders exactly the queued jobs",
                 "ordered \(order.sorted()), expected \(expected.sorted())")
        }
        return out
    }

    /// The violations by `placement` on `state`, over every queued job.
    public static func check(placement p: any PlacementPolicy, on state: ClusterState, label: String = "") -> [ContractViolation] {
        var out: [ContractViolation] = []
        func fail(_ rule: String, _ detail: String) { out.append(ContractViolation(rule: rule, detail: "\(p.name) on \(label): \(detail)")) }
        let view = PolicyView(state)
        for j in state.queued {
            let a = p.place(job: j, in: view)
            if a != p.place(job: j, in: view) { fail("placements are deterministic", "job \(j): two calls, two answers") }
            guard let a else { continue }
            if let why = state.validate(a, for: j) {
                fail("placements are valid", "job \(j) on \(a.devices): \(why)")
                continue
            }
            if !a.colocate {
                if !a.devices.allSatisfy({ state.milliUsed[$0] + state.jobs[j].job.gpuMilli <= 1000 }) {
                    fail("exclusive placements respect capacity", "job \(j) on \(a.devices) exceeds 1000 milli-GPUs")
                }
            } else {
                let type = state.deviceTypeOfDevice[a.devices[0]]
                let need = state.prediction(job: j, type: type)?.peakMemoryBytes ?? 0
                let memory = state.memory(ofType: type)
                if !a.devices.allSatisfy({ d in memory.map { m in state.predictedMemoryUsed[d] + need <= m } ?? false }) {
                    fail("packed placements respect predicted memory", "job \(j) needing \(need) bytes on \(a.devices)")
                }
            }
        }
        return out
    }

    /// The violations by a scheduler and placement pair on each labelled state.
    public static func check(scheduler: any SchedulingPolicy, placement: any PlacementPolicy,
                             states: [(label: String, state: ClusterState)]) -> [ContractViolation] {
        states.flatMap { check(scheduler: scheduler, on: $0.state, label: $0.label) + check(placement: placement, on: $0.state, label: $0.label) }
    }

    /// Runs `trace` on `cluster` with the pair, the engine's invariants checked, and returns the
    /// violations of the run's contract. `configure` adjusts the simulation (checkpoint cost,
    /// round length); invariant checking stays on.
    public static func checkRun(scheduler: any SchedulingPolicy, placement: any PlacementPolicy, trace: Trace, cluster: ClusterSpec,
                                oracle: MeasuredOracle, predictor: (any PerformancePredictor)? = nil,
                                configure: (inout SimulationConfig) -> Void = { _ in }) throws -> [ContractViolation] {
        var config = SimulationConfig()
        config.checkpointRestoreSeconds = 0
        configure(&config)
        config.checkInvariants = true
        let sim = try Simulator(trace: trace, cluster: cluster, oracle: oracle, predictor: predictor ?? oracle,
                                scheduler: scheduler, placement: placement, config: config)
        let metrics = MetricsCollector()
        sim.addObserver(metrics)
        sim.run()
        let summary = RunSummary(simulator: sim, metrics: metrics)

        var out: [ContractViolation] = []
        let pair = "\(scheduler.name)+\(placement.name)"
        func fail(_ rule: String, _ detail: String) { out.append(ContractViolation(rule: rule, detail: "\(pair): \(detail)")) }
        if sim.invalidPlacements != 0 { fail("no invalid placement", "\(sim.invalidPlacements) refused by the engine") }
        if sim.rejectedDecisions != 0 { fail("no invalid decision", "\(sim.rejectedDecisions) refused by the engine") }
        if summary.completed + summary.oomFailures != trace.jobs.count {
            fail("every job ends exactly once", "\(summary.completed) completed + \(summary.oomFailures) out of memory of \(trace.jobs.count)")
        }
        if sim.state.jobs.count != trace.jobs.count { fail("every job ends exactly once", "\(sim.state.jobs.count) jobs in the state of \(trace.jobs.count)") }
        for j in sim.state.jobs where !(j.end != nil && (j.status == .completed || j.status == .failedOOM)) {
            fail("every job ends exactly once", "\(j.job.id) is \(j.status) at the end")
        }
        // GPU time is conserved: what jobs received equals what devices gave (exclusive placements).
        if !placement.colocates {
            let received = sim.state.jobs.reduce(0) { $0 + $1.attainedService }
            let given = summary.byType.reduce(0) { $0 + $1.busyHours * 3600 }
            if abs(received - given) > 1e-6 * max(given, 1) { fail("GPU time is conserved", "jobs received \(received) s, devices gave \(given) s") }
        }
        return out
    }
}
