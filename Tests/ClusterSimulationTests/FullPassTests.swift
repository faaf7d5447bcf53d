import ClusterKit
import Testing
@testable import ClusterSimulation

/// A full pass preempts a running job only for a higher-priority job that then starts on the
/// room it frees (`Simulator.fullPass`).
@Suite struct FullPassTests {
    static let oracle = Fixture.oracle([("m", 1.0, nil, nil)])

    static func constrained(_ job: Job, to device: DeviceSpec) -> Job {
        var j = job
        j.deviceConstraint = [device.name]
        return j
    }

    /// SRTF with four short jobs on the four fast GPUs, four long ones on the four slow GPUs,
    /// and a 4-GPU job of middle length that can run only on the fast GPUs. Admission by
    /// capacity alone would count the slow GPUs for it and preempt the slow jobs every round
    /// while it cannot start; it must wait for the fast GPUs instead, and the slow jobs run on.
    @Test func runningJobsDoNotGiveWayToAJobThatCannotUseTheirDevices() throws {
        var jobs: [Job] = (0..<4).map { Self.constrained(Fixture.job("a\($0)", at: 0, iterations: 2000), to: Fixture.fast) }
        jobs += (0..<4).map { Self.constrained(Fixture.job("b\($0)", at: 0, iterations: 10_000), to: Fixture.slow) }
        jobs.append(Self.constrained(Fixture.job("q", at: 10, iterations: 12_000, gpus: 4), to: Fixture.fast))
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(fastNodes: 1, fastPerNode: 4, slowNodes: 1, slowPerNode: 4),
                                             oracle: Self.oracle, scheduler: SRTFScheduler()) {
            $0.roundSeconds = 360
            $0.checkpointRestoreSeconds = 30
        }
        #expect(summary.preemptions == 0)
        for job in sim.state.jobs { #expect(job.status == .completed) }
        let q = try #require(sim.state.jobs.first { $0.job.id == "q" })
        // It starts when the short jobs end (2,000 s), not before.
        #expect(q.firstStart?.seconds == 2000)
    }

    /// The same cluster, but the 4-GPU job is shorter than the fast jobs' remaining work: it
    /// preempts exactly the four fast jobs at the first round (370 s: 360 s after the pass that queued it), and nothing on the slow GPUs.
    @Test func aHigherPriorityJobPreemptsOnlyWhatItNeeds() throws {
        var jobs: [Job] = (0..<4).map { Self.constrained(Fixture.job("a\($0)", at: 0, iterations: 5000), to: Fixture.fast) }
        jobs += (0..<4).map { Fixture.job("b\($0)", at: 0, iterations: 10_000) }
        jobs.append(Self.constrained(Fixture.job("q", at: 10, iterations: 500, gpus: 4), to: Fixture.fast))
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(fastNodes: 1, fastPerNode: 4, slowNodes: 1, slowPerNode: 4),
                                             oracle: Self.oracle, scheduler: SRTFScheduler()) {
            $0.roundSeconds = 360
        }
        #expect(summary.preemptions == 4)
        for job in sim.state.jobs where job.job.id.hasPrefix("a") { #expect(job.preemptions == 1) }
        for job in sim.state.jobs where job.job.id.hasPrefix("b") { #expect(job.preemptions == 0) }
        let q = try #require(sim.state.jobs.first { $0.job.id == "q" })
        #expect(q.firstStart?.seconds == 370)
    }

    /// Under overload every preemption is at a round and gives the room to a job that starts
    /// there, so no job is preempted more often than the rounds it lived through (issue 16,
    /// item 5), for every preemptive policy on a generated multi-GPU trace.
    @Test(arguments: ["srtf", "las", "max-min-fairness", "ftf"])
    func preemptionsAreBoundedByRounds(_ policy: String) throws {
        var rng = SeededGenerator(seed: 7)
        var jobs: [Job] = []
        var t = 0.0
        for i in 0..<150 {
            t += Double(rng.next() % 120)
            let gpus = [1, 1, 1, 2, 4][Int(rng.next() % 5)]
            jobs.append(Fixture.job("j\(i)", at: t, iterations: Double(200 + rng.next() % 20_000), gpus: gpus))
        }
        let scheduler = try #require(SchedulerKind(rawValue: policy)).make()
        let round = 300.0
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(fastNodes: 2, fastPerNode: 4, slowNodes: 1, slowPerNode: 4),
                                             oracle: Self.oracle, scheduler: scheduler) {
            $0.roundSeconds = round
            $0.checkpointRestoreSeconds = 30
        }
        #expect(summary.preemptions > 0)
        for job in sim.state.jobs {
            #expect(job.status == .completed)
            let lived = ((job.end ?? .zero) - job.job.submit).seconds
            #expect(Double(job.preemptions) <= lived / round + 1, "\(job.job.id): \(job.preemptions) preemptions in \(lived) s")
        }
    }
}
