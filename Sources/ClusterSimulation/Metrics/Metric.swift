import ClusterKit

/// A metric of a run: its key in run files and `comparison.csv`, its label in tables, its unit,
/// its key in `summary.json`, and how to read it from a ``RunSummary``. Every table, file and
/// report takes its metrics from here, so a new metric is one case here (and its computation
/// in `RunSummary`), and a misspelled metric does not compile.
public enum Metric: String, CaseIterable, Codable, Sendable {
    case jobs
    case completed
    case oomFailures = "oom_failures"
    case unschedulable
    case refused
    case avgJCTHours = "avg_jct_h"
    case p50JCTHours = "p50_jct_h"
    case p95JCTHours = "p95_jct_h"
    case p99JCTHours = "p99_jct_h"
    case avgWaitHours = "avg_queueing_delay_h"
    case makespanHours = "makespan_h"
    case gpuUtilization = "gpu_utilization"
    case smUtilization = "mean_sm_utilization"
    case preemptions
    case colocatedJobs = "colocated_jobs"
    case meanFTF = "mean_ftf"
    case maxFTF = "max_ftf"
    case events
    case fallbackJobs = "fallback_jobs"

    /// The key in run files and `comparison.csv`.
    public var key: String { rawValue }

    /// How tables label it.
    public var label: String {
        switch self {
        case .jobs: "jobs"
        case .completed: "completed"
        case .oomFailures: "OOM failures"
        case .unschedulable: "unschedulable"
        case .refused: "refused"
        case .avgJCTHours: "avg JCT h"
        case .p50JCTHours: "p50 JCT h"
        case .p95JCTHours: "p95 JCT h"
        case .p99JCTHours: "p99 JCT h"
        case .avgWaitHours: "avg wait h"
        case .makespanHours: "makespan h"
        case .gpuUtilization: "GPU util"
        case .smUtilization: "SM util"
        case .preemptions: "preemptions"
        case .colocatedJobs: "co-located jobs"
        case .meanFTF: "mean FTF ρ"
        case .maxFTF: "max FTF ρ"
        case .events: "events"
        case .fallbackJobs: "fallback jobs"
        }
    }

    /// The unit of `value(of:)`.
    public var unit: String {
        switch self {
        case .jobs, .completed, .oomFailures, .unschedulable, .refused, .colocatedJobs, .fallbackJobs: "jobs"
        case .avgJCTHours, .p50JCTHours, .p95JCTHours, .p99JCTHours, .avgWaitHours, .makespanHours: "h"
        case .gpuUtilization, .smUtilization: "share of capacity (0–1)"
        case .preemptions, .events: "count"
        case .meanFTF, .maxFTF: "ratio"
        }
    }

    /// Whether it counts things (an integer in `summary.json`).
    public var isCount: Bool {
        switch self {
        case .jobs, .completed, .oomFailures, .unschedulable, .refused, .preemptions, .colocatedJobs, .events, .fallbackJobs: true
        default: false
        }
    }

    /// The key in `summary.json`, where times are in seconds.
    public var summaryKey: String {
        switch self {
        case .avgJCTHours: "avg_jct_s"
        case .p50JCTHours: "p50_jct_s"
        case .p95JCTHours: "p95_jct_s"
        case .p99JCTHours: "p99_jct_s"
        case .avgWaitHours: "avg_queueing_delay_s"
        case .makespanHours: "makespan_s"
        case .meanFTF: "mean_finish_time_fairness"
        case .maxFTF: "max_finish_time_fairness"
        default: rawValue
        }
    }

    /// The value as `summary.json` holds it (seconds for times).
    public func summaryValue(of s: RunSummary) -> Double {
        switch self {
        case .jobs: Double(s.jobs)
        case .completed: Double(s.completed)
        case .oomFailures: Double(s.oomFailures)
        case .unschedulable: Double(s.unschedulable)
        case .refused: Double(s.refused)
        case .avgJCTHours: s.avgJCT
        case .p50JCTHours: s.p50JCT
        case .p95JCTHours: s.p95JCT
        case .p99JCTHours: s.p99JCT
        case .avgWaitHours: s.avgQueueingDelay
        case .makespanHours: s.makespan
        case .gpuUtilization: s.gpuUtilization
        case .smUtilization: s.meanSMUtilization
        case .preemptions: Double(s.preemptions)
        case .colocatedJobs: Double(s.colocatedJobs)
        case .meanFTF: s.meanFTF
        case .maxFTF: s.maxFTF
        case .events: Double(s.events)
        case .fallbackJobs: Double(s.fallbackJobs)
        }
    }

    /// The value in this metric's `unit` (hours for times).
    public func value(of s: RunSummary) -> Double {
        unit == "h" ? summaryValue(of: s) / 3600 : summaryValue(of: s)
    }

    /// The `summary.json` entry.
    public func summaryJSON(of s: RunSummary) -> (String, JSONText) {
        let v = summaryValue(of: s)
        return (summaryKey, isCount ? .integer(Int(v)) : .number(v))
    }
}
