import AugurCore
import ClusterKit
import Testing
@testable import ClusterSimulation

/// Issue 16's sanity properties, on seeded generated scenarios: what no policy may do, whatever
/// its ranking.
@Suite struct SanityPropertyTests {
    static let oracle = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.5), ("n", 0.5, 4 * Fixture.gb, 0.5)])

    /// A single job on a two-node cluster whose nodes fail and recover (seeded): a longer
    /// restore never makes it complete earlier, under every scheduler and placement.
    @Test(arguments: SchedulerKind.allCases)
    func restoreCostNeverLowersASingleJobsCompletion(_ scheduler: SchedulerKind) throws {
        var delayed = 0
        for seed in UInt64(1)...8 {
            let events = NodeEvent.random(nodes: 2, mtbfHours: 0.2, mttrHours: 0.05, horizon: SimTime(seconds: 40_000), seed: seed)
            var previous = 0.0, first = 0.0
            for restore in [0.0, 30, 300, 3000] {
                let job = Fixture.job("a", at: Double(seed * 7), iterations: Double(2_000 + 500 * Int(seed)))
                let (sim, summary) = try Fixture.run([job], cluster: Fixture.cluster(fastNodes: 1, slowNodes: 1), oracle: Self.oracle,
                                                     scheduler: scheduler.make(), placement: HeterogeneityAwarePlacement()) {
                    $0.nodeEvents = events
                    $0.checkpointRestoreSeconds = restore
                    $0.roundSeconds = 60
                }
                #expect(summary.completed == 1)
                let end = try #require(Fixture.end(sim, "a"))
                #expect(end >= previous, "seed \(seed), \(scheduler.rawValue): restore \(restore) s ends at \(end), before \(previous)")
                if restore == 0 { first = end }
                previous = end
            }
            if previous > first { delayed += 1 }
        }
        // Not vacuous: failures did interrupt the job, and restores cost time.
        #expect(delayed > 0)
    }

    /// 60 jobs of two models on a fast and a slow node, arriving in bursts: under every
    /// preemptive policy no job is preempted more often than the rounds it lives through.
    @Test(arguments: SchedulerKind.allCases.filter { $0.make().isPreemptive })
    func preemptionsAreBoundedByRounds(_ scheduler: SchedulerKind) throws {
        var g = SeededGenerator(seed: 16, stream: "sanity")
        let jobs = (0..<60).map { i in
            Fixture.job("j\(i)", at: Double(i / 6) * 200, model: i % 3 == 0 ? "n" : "m", iterations: g.nextUniform(50, 3_050))
        }
        let round = 60.0
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(fastNodes: 2, fastPerNode: 2, slowNodes: 2, slowPerNode: 2),
                                             oracle: Self.oracle, scheduler: scheduler.make(), placement: HeterogeneityAwarePlacement()) {
            $0.checkpointRestoreSeconds = 10
            $0.roundSeconds = round
        }
        #expect(summary.completed == 60)
        for j in sim.state.jobs {
            let lived = (j.end ?? .zero).seconds - j.job.submit.seconds
            #expect(Double(j.preemptions) <= (lived / round).rounded(.up) + 1, "\(j.job.id): \(j.preemptions) preemptions in \(lived) s")
        }
    }
}
