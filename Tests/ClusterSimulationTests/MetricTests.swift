import ClusterKit
import Foundation
import Testing
@testable import ClusterSimulation

/// Issue 17: metrics are one enum that every file and table reads.
@Suite struct MetricTests {
    @Test func keysAreUnique() {
        #expect(Set(Metric.allCases.map(\.key)).count == Metric.allCases.count)
        #expect(Set(Metric.allCases.map(\.summaryKey)).count == Metric.allCases.count)
        #expect(Set(Metric.allCases.map(\.label)).count == Metric.allCases.count)
    }

    @Test func summaryRunResultAndTableAgree() throws {
        let oracle = Fixture.oracle([("m", 1.0, nil, nil)])
        let jobs = [Fixture.job("a", at: 0, iterations: 7200), Fixture.job("b", at: 0, iterations: 3600)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle)
        // Hand-computed: a runs 0–2 h, b waits 2 h and runs 2–3 h.
        #expect(Metric.avgJCTHours.value(of: summary) == 2.5)
        #expect(Metric.makespanHours.value(of: summary) == 3)
        #expect(Metric.avgWaitHours.value(of: summary) == 1)
        let json = summary.json.render()
        for m in Metric.allCases { #expect(json.contains("\"\(m.summaryKey)\""), "\(m) missing from summary.json") }
        let result = RunResult(key: RunKey(policy: "fifo+first-fit", predictor: "measured", seed: 1), fingerprint: "f", simulator: sim,
                               summary: summary, metrics: MetricsCollector())
        for m in Metric.allCases { #expect(result.metric(m) == m.value(of: summary) || (result.metric(m).isNaN && m.value(of: summary).isNaN)) }
        #expect(Set(result.metrics.keys) == Set(Metric.allCases.map(\.key)))
    }
}
