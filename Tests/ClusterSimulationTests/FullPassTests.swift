import ClusterKit
import Testing
@testable import ClusterSimulation

/// A full pass preempts a running job only for a higher-priority job that then starts on the
/// room it frees (`Simulator.fullPass`).
@Suite struct FullPassTests {
    static let oracle = Fixture.oracle([("m", 1.0, nil, nil)])

    /// A seeded trace: arrivals `0..<gap` s apart, GPU counts drawn from `sizes`, work in
    /// `work` iterations, and with `halves` a third of the 1-GPU jobs on half a device.
    static func generated(seed: UInt64, count: Int, gap: UInt64, sizes: [Int], work: Range<UInt64>, halves: Bool) -> [Job] {
        var rng = SeededGenerator(seed: seed)
        var jobs: [Job] = []
        var t = 0.0
        for i in 0..<count {
            t += Double(rng.next() % gap)
            let gpus = sizes[Int(rng.next() % UInt64(sizes.count))]
            let milli = halves && gpus == 1 && rng.next() % 3 == 0 ? 500 : 1000
            let iterations = Double(work.lowerBound + rng.next() % UInt64(work.count))
            jobs.append(Fixture.job("j\(i)", at: t, iterations: iterations, gpus: gpus, milli: milli))
        }
        return jobs
    }

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
    @Test(arguments: ["srtf", "las", "max-min-fairness", "ftf", "gavel-max-min", "gavel-max-min-agnostic"])
    func preemptionsAreBoundedByRounds(_ policy: String) throws {
        let jobs = Self.generated(seed: 7, count: 150, gap: 120, sizes: [1, 1, 1, 2, 4], work: 200..<20_200, halves: false)
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

    /// Shares of devices, co-locating placement and node failures through the full pass: every
    /// job ends, the engine's invariants hold after every event (`checkInvariants`), and no
    /// placement is invalid.
    @Test(arguments: ["srtf", "las", "ftf", "max-min-fairness", "gavel-max-min"])
    func fractionalJobsPackingAndFailures(_ policy: String) throws {
        let jobs = Self.generated(seed: 11, count: 120, gap: 90, sizes: [1, 1, 2, 4], work: 100..<5100, halves: true)
        let oracle = Fixture.oracle([("m", 1.0, 2 * Fixture.gb, 0.4)])
        let scheduler = try #require(SchedulerKind(rawValue: policy)).make()
        for placement in [MemoryAwarePackingPlacement(), HeterogeneityAwarePlacement()] as [any PlacementPolicy] {
            let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(fastNodes: 2, fastPerNode: 4, slowNodes: 1, slowPerNode: 4),
                                                 oracle: oracle, scheduler: scheduler, placement: placement) {
                $0.roundSeconds = 120
                $0.checkpointRestoreSeconds = 10
                $0.nodeEvents = [NodeEvent(time: SimTime(seconds: 900), node: 0, up: false), NodeEvent(time: SimTime(seconds: 2400), node: 0, up: true)]
            }
            #expect(summary.completed == jobs.count, "\(policy)+\(placement.name)")
            #expect(sim.invalidPlacements == 0)
        }
    }

    /// Issue 16's sanity property: a restore cost never lowers a job's completion when it runs
    /// alone (here preempted by node failures), under every policy.
    @Test(arguments: SchedulerKind.allCases)
    func aRestoreCostNeverLowersASingleJobsCompletion(_ kind: SchedulerKind) throws {
        let events = [NodeEvent(time: SimTime(seconds: 100), node: 0, up: false), NodeEvent(time: SimTime(seconds: 150), node: 0, up: true),
                      NodeEvent(time: SimTime(seconds: 700), node: 0, up: false), NodeEvent(time: SimTime(seconds: 720), node: 0, up: true)]
        var ends: [Double] = []
        for restore in [0.0, 1, 30, 400] {
            let (sim, _) = try Fixture.run([Fixture.job("a", at: 0, iterations: 1000, gpus: 2)],
                                           cluster: Fixture.cluster(fastNodes: 2, fastPerNode: 2), oracle: Self.oracle, scheduler: kind.make()) {
                $0.roundSeconds = 60
                $0.checkpointRestoreSeconds = restore
                $0.nodeEvents = events
            }
            ends.append(try #require(Fixture.end(sim, "a")))
        }
        #expect(ends == ends.sorted(), "\(kind.rawValue): \(ends)")
    }
}
