import ClusterKit
import Foundation

/// Writes a run's results to `sim-results/<run>/`: `run.json` (inputs with sha256, seed,
/// policies, predictor, Augur version), `summary.json` and `jobs.csv`. All three are first
/// written to a temporary directory beside the target, which then replaces it, so a run
/// directory is either complete or absent.
public enum ResultWriter {
    public struct Input: Sendable {
        public var role: String
        public var path: String
        public init(role: String, path: String) {
            self.role = role
            self.path = path
        }
    }

    public static func runJSON(inputs: [Input], seed: UInt64, scheduler: String, placement: String,
                               predictor: String, version: String, extra: [(String, JSONText)] = []) -> JSONText {
        let files: [JSONText] = inputs.map { input in
            let data = FileManager.default.contents(atPath: input.path) ?? Data()
            return .object([("role", .string(input.role)), ("path", .string(input.path)), ("sha256", .string(SHA256.hex(data)))])
        }
        return .object([("augur_version", .string(version)), ("inputs", .array(files)), ("seed", .integer(Int(seed))),
                        ("scheduler", .string(scheduler)), ("placement", .string(placement)), ("predictor", .string(predictor))] + extra)
    }

    public static func jobsCSV(_ state: ClusterState) -> String {
        var out = "job_id,model,batch_size,mode,gpus,gpu_fraction,submit_s,start_s,end_s,status,device,jct_s,queueing_delay_s,preemptions,colocated\n"
        for j in state.jobs {
            let start = j.firstStart.map { JSONText.format($0.seconds) } ?? ""
            let end = j.end.map { JSONText.format($0.seconds) } ?? ""
            let jct = j.end.map { JSONText.format(($0 - j.job.submit).seconds) } ?? ""
            let wait = j.firstStart.map { JSONText.format(($0 - j.job.submit).seconds) } ?? ""
            let device = j.deviceType >= 0 ? state.deviceTypes[j.deviceType].name : ""
            out += "\(j.job.id),\(j.job.config.model),\(j.job.config.batchSize),\(j.job.config.mode.rawValue),\(j.job.gpus),"
            out += "\(JSONText.format(j.share)),\(JSONText.format(j.job.submit.seconds)),\(start),\(end),\(j.status.rawValue),"
            out += "\(device),\(jct),\(wait),\(j.preemptions),\(j.colocated ? 1 : 0)\n"
        }
        return out
    }

    /// Writes the three files atomically into `directory`.
    public static func write(directory: String, run: JSONText, summary: JSONText, jobsCSV: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory)
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let temp = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        try? fm.removeItem(at: temp)
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        try Data((run.render() + "\n").utf8).write(to: temp.appendingPathComponent("run.json"))
        try Data((summary.render() + "\n").utf8).write(to: temp.appendingPathComponent("summary.json"))
        try Data(jobsCSV.utf8).write(to: temp.appendingPathComponent("jobs.csv"))
        if fm.fileExists(atPath: target.path) {
            // Keep other files a user put there (e.g. a report): replace only ours.
            for name in ["run.json", "summary.json", "jobs.csv"] {
                let dest = target.appendingPathComponent(name)
                if rename(temp.appendingPathComponent(name).path, dest.path) != 0 {
                    throw InputError(file: dest.path, reason: "cannot write (errno \(errno))")
                }
            }
            try? fm.removeItem(at: temp)
        } else {
            try fm.moveItem(at: temp, to: target)
        }
    }
}
