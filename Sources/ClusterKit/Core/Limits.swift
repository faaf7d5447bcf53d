/// The documented bounds on every count, size, rate and duration Augur reads from a file or a
/// flag. Each is checked where the value is parsed, before anything is allocated for it, so no
/// input can make the process abort on allocation, overflow integer time or run without end.
///
/// The bounds leave room: integer time (`SimTime`, µs in an `Int64`) holds 9.2·10¹² s, and the
/// largest trace in `../shared` has 82,247 jobs on 2,490 GPUs. `README.md` ("Limits") lists them.
public enum Limits {
    /// Devices in one cluster (all groups together).
    public static let maxDevices = 1 << 20
    /// Devices in one node.
    public static let maxDevicesPerNode = 1024
    /// Jobs in one trace.
    public static let maxJobs = 10_000_000
    /// Any time or duration in a trace or a flag, seconds (about 317 years).
    public static let maxSeconds = 1e10
    /// A checkpoint restore, seconds (about 11.6 days).
    public static let maxRestoreSeconds = 1e6
    /// Node failure and recovery events drawn for one run.
    public static let maxNodeEvents = 10_000_000
    /// σ of the noisy oracle's log-normal error (e^5 ≈ 148× either way at one σ).
    public static let maxNoiseSigma = 5.0
    /// Smallest share of a GPU a job may ask for (one milli-GPU).
    public static let minGPUFraction = 0.001

    /// A time or duration read from `file` (a path or a flag name) checked against `maxSeconds`.
    public static func seconds(_ value: Double, file: String, line: Int? = nil, field: String, allowZero: Bool = true) throws -> Double {
        guard value.isFinite, allowZero ? value >= 0 : value > 0 else {
            throw InputError(file: file, line: line, field: field,
                             reason: "must be a finite \(allowZero ? "non-negative" : "positive") number of seconds, got \(value)")
        }
        guard value <= maxSeconds else {
            throw InputError(file: file, line: line, field: field, reason: "\(value) s is beyond the limit of 1e10 s (about 317 years)")
        }
        return value
    }

    /// A count read from `file` checked to lie in `1...maximum`.
    public static func count(_ value: Int, maximum: Int, file: String, line: Int? = nil, field: String) throws -> Int {
        guard value >= 1 else { throw InputError(file: file, line: line, field: field, reason: "must be a positive integer, got \(value)") }
        guard value <= maximum else {
            throw InputError(file: file, line: line, field: field, reason: "\(value) is beyond the limit of \(maximum)")
        }
        return value
    }
}
