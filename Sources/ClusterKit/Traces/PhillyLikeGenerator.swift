import Foundation

/// A seeded generator of Philly-like traces: Poisson arrivals, and the job-size and duration
/// mix of Microsoft's Philly cluster (Jeon et al., ATC 2019) as measured on the public trace
/// (`../shared/traces/philly/philly.csv`, 82,247 jobs; a test recomputes these shares from the
/// trace and checks them).
///
/// Durations are drawn per size class from seven bins (<1 min, 1–10 min, 10 min–1 h, 1–6 h,
/// 6–24 h, 1–7 days, >7 days) with the trace's shares, log-uniform within a bin. Jobs are then
/// given model configurations from a `WorkloadCatalog` as for production traces.
public struct PhillyLikeGenerator: Sendable {
    /// GPU counts and their shares in the Philly trace.
    public static let sizeMix: [(gpus: Int, share: Double)] = [
        (1, 0.93166), (2, 0.02211), (4, 0.02274), (8, 0.01998), (16, 0.00242), (32, 0.00081), (64, 0.00007), (128, 0.00004),
    ]
    /// Duration bin edges, seconds.
    public static let binEdges: [Double] = [1, 60, 600, 3600, 21_600, 86_400, 604_800, 4_000_000]
    /// Duration-bin shares per size class: 1 GPU, 2–4, 5–8, more than 8.
    public static let durationMix: [[Double]] = [
        [0.0807, 0.3191, 0.3947, 0.1593, 0.0302, 0.0144, 0.0016],
        [0.3842, 0.1329, 0.0605, 0.1082, 0.1307, 0.1708, 0.0127],
        [0.0183, 0.1637, 0.1102, 0.1856, 0.1436, 0.3421, 0.0365],
        [0.0934, 0.1626, 0.1488, 0.0969, 0.2145, 0.2595, 0.0242],
    ]

    public var jobs: Int
    /// Mean arrivals per hour.
    public var arrivalsPerHour: Double
    /// Scale every duration by this factor (to fit a small cluster).
    public var durationScale: Double
    public var maxGPUs: Int
    public var seed: UInt64

    public init(jobs: Int, arrivalsPerHour: Double, durationScale: Double = 1, maxGPUs: Int = 128, seed: UInt64) {
        self.jobs = jobs
        self.arrivalsPerHour = arrivalsPerHour
        self.durationScale = durationScale
        self.maxGPUs = maxGPUs
        self.seed = seed
    }

    public func generate(catalog: WorkloadCatalog, name: String) throws -> Trace {
        var arrivals = SeededGenerator(seed: seed, stream: "philly-like/arrivals")
        var sizes = SeededGenerator(seed: seed, stream: "philly-like/sizes")
        var durations = SeededGenerator(seed: seed, stream: "philly-like/durations")
        let options = ProductionImport(catalog: catalog, seed: seed)
        // Sizes no measured configuration of this cluster can run are not drawn.
        let mix = Self.sizeMix.filter { $0.gpus <= maxGPUs && catalog.canAssign(gpus: $0.gpus) }
        guard !mix.isEmpty else {
            throw InputError(file: name, reason: "no measured configuration of this cluster can run a job of at most \(maxGPUs) GPU(s)")
        }
        let total = mix.reduce(0) { $0 + $1.share }
        var t = 0.0
        var out: [Job] = []
        for i in 0..<jobs {
            t += arrivals.nextExponential(mean: 3600 / arrivalsPerHour)
            var u = sizes.nextUnit() * total
            var gpus = mix.last!.gpus
            for m in mix { if u < m.share { gpus = m.gpus; break }; u -= m.share }
            let cls = gpus == 1 ? 0 : gpus <= 4 ? 1 : gpus <= 8 ? 2 : 3
            var v = durations.nextUnit()
            var bin = Self.durationMix[cls].count - 1
            for (b, share) in Self.durationMix[cls].enumerated() { if v < share { bin = b; break }; v -= share }
            let lo = Foundation.log(Self.binEdges[bin]), hi = Foundation.log(Self.binEdges[bin + 1])
            let seconds = _exp(lo + durations.nextUnit() * (hi - lo)) * durationScale
            if let job = try options.job(id: "\(name)-\(i)", submit: (t * 1000).rounded() / 1000, duration: max(1, seconds.rounded()),
                                         gpus: gpus, file: name, line: i + 1) { out.append(job) }
        }
        return Trace(name: name, source: "generated: \(name) seed \(seed)", jobs: out)
    }
}
