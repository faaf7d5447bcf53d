import ClusterKit

/// Memory-aware packing: co-locates a job on devices already in use when its predicted memory
/// fits beside the residents' predicted memory and the predicted SM utilization stays at or
/// under `utilizationBound`; otherwise uses idle devices. Types are tried fastest first (by the
/// predictor). With `useUpperInterval`, the predictor's upper memory bound is used where given,
/// for the job and for the residents, and types whose memory holds the job's bound come first.
public struct MemoryAwarePackingPlacement: PlacementPolicy {
    public var utilizationBound: Double
    public var useUpperInterval: Bool

    public init(utilizationBound: Double = 1.0, useUpperInterval: Bool = false) {
        self.utilizationBound = utilizationBound
        self.useUpperInterval = useUpperInterval
    }

    public var name: String { useUpperInterval ? "pack-upper" : "pack" }
    public var colocates: Bool { true }

    public func place(job: Int, in view: PolicyView) -> Placement? {
        // With the upper bound, first only types whose memory holds the job's bound, then any.
        if useUpperInterval, let p = place(job: job, in: view, requireBoundFits: true) { return p }
        return place(job: job, in: view, requireBoundFits: false)
    }

    private func place(job: Int, in view: PolicyView, requireBoundFits: Bool) -> Placement? {
        let j = view.job(job)
        let n = j.gpus
        let wholeDevice = j.gpuMilli == 1000
        for t in view.typesByPredictedSpeed(job: job) where view.predictedToFit(job: job, type: t) {
            guard let capacity = view.memory(ofType: t) else { continue }
            let memory = view.predictedMemory(job: job, type: t, upper: useUpperInterval)
            if requireBoundFits && memory > capacity { continue }
            let util = (view.prediction(job: job, type: t)?.smUtilization ?? 1) * j.share
            var shared: [(Int64, Int)] = []
            var idle: [Int] = []
            for d in view.devices(ofType: t) where view.isUp(device: d) {
                let residents = view.residents(ofDevice: d)
                if residents.isEmpty { idle.append(d); continue }
                guard residents.allSatisfy({ view.job($0).gpuMilli == 1000 || !wholeDevice }) else { continue }
                let used = view.predictedMemoryUsed(ofDevice: d, upper: useUpperInterval)
                if used + memory <= capacity && view.predictedUtilization(ofDevice: d) + util <= utilizationBound {
                    shared.append((used, d))
                }
            }
            guard shared.count + idle.count >= n else { continue }
            let packed = shared.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.map(\.1)
            let devices = Array((packed + idle).prefix(n))
            return Placement(devices: devices, colocate: true)
        }
        return nil
    }
}
