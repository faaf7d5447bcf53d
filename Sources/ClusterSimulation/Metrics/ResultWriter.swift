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
            out += CSVTable.line([j.job.id, j.job.config.model, "\(j.job.config.batchSize)", j.job.config.mode.rawValue, "\(j.job.gpus)",
                                  JSONText.format(j.share), JSONText.format(j.job.submit.seconds), start, end, j.status.rawValue,
                                  device, jct, wait, "\(j.preemptions)", j.colocated ? "1" : "0"]) + "\n"
        }
        return out
    }

    /// Writes the three files into `directory`, all or nothing: they are written to a private
    /// temporary folder beside it, then moved in while holding a lock on the parent folder, so
    /// concurrent runs to one folder end with one complete result. The temporary folder is
    /// removed on every path. `directory` must be a folder path (existing or not), never a file.
    public static func write(directory: String, run: JSONText, summary: JSONText, jobsCSV: String) throws {
        try OutputFolder.replaceFiles(in: directory, with: [
            ("run.json", Data((run.render() + "\n").utf8)),
            ("summary.json", Data((summary.render() + "\n").utf8)),
            ("jobs.csv", Data(jobsCSV.utf8)),
        ])
    }
}
