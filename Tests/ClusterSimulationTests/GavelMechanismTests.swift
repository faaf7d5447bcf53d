import ClusterKit
import Foundation
import Testing
@testable import ClusterSimulation

/// Gavel's round-based mechanism: a hand-computed run, and Gavel's own results on its
/// reference traces (`datasets/gavel-reference`).
@Suite struct GavelMechanismTests {
    /// One device; A (720 steps at 1 step/s) and B (360 steps at 2 steps/s) arrive at 0. FIFO
    /// gives A the device: rounds 0–360 and 360–720. A's completion changes the job set; the
    /// last reset was at time 0, so the allocation is recomputed at once and B runs 360 steps in
    /// 180 s: JCTs 720 and 900 s.
    @Test(arguments: [GavelPolicyName.fifo, .fifoPerf])
    func handComputedFIFO(_ policy: GavelPolicyName) throws {
        let jobs = [GavelMechanism.Job(arrival: 0, steps: 720, scale: 1, weight: 1, measured: [1], predicted: [1]),
                    GavelMechanism.Job(arrival: 0, steps: 360, scale: 1, weight: 1, measured: [2], predicted: [2])]
        let result = try GavelMechanism(policy: policy, typeNames: ["v100"], counts: [1]).run(jobs)
        #expect(result.outcomes.map(\.completion) == [720, 900])
        #expect(result.avgJCT == 810 && result.makespan == 900)
        #expect(result.outcomes.map(\.rounds) == [[2], [1]])
    }

    /// A job admitted mid-round waits for the round's end, and a job outside the allocation waits
    /// for the next recomputation (here: the reset interval), while its JCT counts from arrival.
    @Test func admissionAtRoundEndsAndResetInterval() throws {
        let jobs = [GavelMechanism.Job(arrival: 0, steps: 36_000, scale: 1, weight: 1, measured: [10], predicted: [10]),
                    GavelMechanism.Job(arrival: 100, steps: 10, scale: 1, weight: 1, measured: [10], predicted: [10])]
        // Two devices: B could start at once, but it is admitted at 360 (A's first round ends),
        // and the allocation, reset at 0 and again at 360 (the last reset was at time 0), then
        // includes it: B runs 10 steps in 1 s of the round starting at 360.
        let result = try GavelMechanism(policy: .fifoPerf, typeNames: ["v100"], counts: [2]).run(jobs)
        #expect(result.outcomes[1].completion == 361)
        #expect(result.outcomes[0].completion == 3600)
    }

    @Test func jobThatCanRunNowhereIsAnError() {
        let jobs = [GavelMechanism.Job(arrival: 0, steps: 10, scale: 2, weight: 1, measured: [1], predicted: [1])]
        #expect(throws: InputError.self) { try GavelMechanism(policy: .fifoPerf, typeNames: ["v100"], counts: [1]).run(jobs) }
    }

    /// Gavel's own simulator on its 100-job trace: FIFO's results reproduce job for job (its
    /// random type choices replayed with CPython's generator), max-min fairness within 1%.
    @Test func gavelReferenceTrace() throws {
        let root = DataRoot.resolve()
        let folder = GavelReference.folder(root)
        guard FileManager.default.fileExists(atPath: folder) else { return }
        let rows = try GavelReference.compare(root: root, devicesPath: "clusters/devices.yaml", clusterPath: "clusters/gavel.yaml")
        #expect(rows.count == 8)
        for r in rows {
            #expect(abs(r.jctGap) < 0.01 && abs(r.makespanGap) < 0.01, "\(r.workload) \(r.policy.rawValue): \(r.jctGap)")
            #expect(r.correlation >= 0.99, "\(r.workload) \(r.policy.rawValue): \(r.correlation)")
            if r.policy.isFIFO { #expect(r.identical == r.jobs) }
        }
    }
}
