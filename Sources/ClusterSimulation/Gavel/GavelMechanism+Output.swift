import ClusterKit
import AugurCore

extension GavelMechanism.Result {
    /// `summary.json` of a Gavel-mechanism run: Gavel's own metrics under its names (`avg_jct_s`,
    /// `makespan_s`, `utilization`) and the rounds run.
    public func summaryJSON(policy: GavelPolicyName, predictor: String) -> JSONText {
        .object([("mechanism", .string("gavel")), ("policy", .string(policy.rawValue)), ("predictor", .string(predictor)),
                 ("jobs", .integer(outcomes.count)), ("avg_jct_s", .number(avgJCT)), ("makespan_s", .number(makespan)),
                 ("utilization", .number(utilization)), ("rounds", .integer(rounds))])
    }

    /// `jobs.csv`: each job's arrival, completion, JCT, rounds per device type (Gavel's names) and
    /// rounds shared with another job.
    public func jobsCSV(jobs: [GavelMechanism.Job], ids: [String], typeNames: [String]) -> String {
        var out = CSVTable.line(["job_id", "arrival_s", "completion_s", "jct_s"] + typeNames.map { "rounds_\($0)" } + ["rounds_colocated"]) + "\n"
        for (i, o) in outcomes.enumerated() {
            out += CSVTable.line([ids[i], JSONText.format(jobs[i].arrival), JSONText.format(o.completion),
                                  JSONText.format(o.completion - jobs[i].arrival)] + o.rounds.map(String.init) + [String(o.colocatedRounds)]) + "\n"
        }
        return out
    }
}
