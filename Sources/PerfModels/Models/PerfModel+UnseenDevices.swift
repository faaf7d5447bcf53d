import ClusterKit
import Foundation

/// How a model answers for a device it has no embedding for: never trained on and not adapted
/// by reference (``DeviceReference``), known only by its catalog specs.
public enum UnseenDeviceRule: String, Sendable, CaseIterable {
    /// Where a device of the same kind measured the same workload (``PerfModel/measured``), the
    /// measured efficiency of the one nearest in specs (within
    /// ``MeasuredEfficiencies/transferDistanceLimit``), carried over by the unseen device's own
    /// roofline (`t = R · t_near / R_near`, as NeuSight, Lee et al. 2024, carries per-kernel
    /// utilization across GPUs); elsewhere the heads read the device's specs. The default: on
    /// the leave-one-GPU-out study the transfer beat every model that read the specs (README,
    /// "One server GPU held out at a time").
    case measured
    /// The heads read the unseen device's specs, with no embedding (what device dropout trains).
    case specs
}

extension PerfModel {
    /// Whether `device` is answered under ``unseenDevices``: the rule is `measured`, the catalog
    /// has the device, and the model neither trained on it nor adapted it by reference.
    func isUnseen(_ device: String, catalog: DeviceCatalog?) -> Bool {
        unseenDevices == .measured && catalog?[device] != nil && references[device] == nil && !devices.contains(device)
    }

    /// `raw` (the answers with each sample's own device) with the time of every sample on an
    /// unseen device whose workload a similar device measured replaced by that measurement's
    /// efficiency over the sample's own roofline (`measuredOn` names that device). Memory, utilization and the novelty stay the
    /// network's answers; the interval is the unseen device's (the pooled width times
    /// `1 + novelty`) around the new time, within the same bound.
    func answeringUnseenDevices(_ data: PerfDataset, samples: [Int], raw: [SamplePrediction], catalog: DeviceCatalog?) -> [SamplePrediction] {
        guard let catalog, let measured, unseenDevices == .measured else { return raw }
        var out = raw, unseen: [String: Bool] = [:]
        for (k, i) in samples.enumerated() {
            let s = data.samples[i]
            guard let prior = s.priorTime, prior > 0 else { continue }
            if unseen[s.device] == nil { unseen[s.device] = isUnseen(s.device, catalog: catalog) }
            guard unseen[s.device]!, let m = measured.nearest(data.graphs[s.graph], s, catalog: catalog) else { continue }
            var q = raw[k]
            let time = prior * Foundation.exp(m.efficiency)
            q.time = q.timeBound.map { min(max(time, $0.lowerBound), $0.upperBound) } ?? time
            q.timeLower = nil
            q.timeUpper = nil
            q.measuredOn = m.device
            out[k] = withInterval(q, device: s.device)
        }
        return out
    }
}
