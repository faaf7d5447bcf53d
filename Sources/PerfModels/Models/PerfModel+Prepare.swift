import ClusterKit
import Foundation
import Tensors
import ModelGraph

/// Why a model cannot answer for a device.
public struct UnknownDeviceError: Error, CustomStringConvertible {
    public var device: String
    public init(device: String) { self.device = device }
    public var description: String {
        "device '\(device)' is neither in the device catalog nor one the model was trained or adapted on "
            + "(add it with its specs to a copy of clusters/devices.yaml and pass --catalog, or adapt the model to it: augur adapt)"
    }
}

extension PerfModel {
    /// The device vector of `name`: the one the model was trained with, else the catalog's specs.
    public func deviceVector(_ name: String, catalog: DeviceCatalog?) -> [Float]? {
        if let v = deviceVectors[name] { return v }
        if let spec = catalog?[name] { return DeviceFeatures.vector(spec) }
        return nil
    }

    /// The inputs of one forward pass over `samples` (indices into `data.samples`); their graphs
    /// form the batch, in order of first appearance.
    /// `novelty` computes each sample's ``Novelty`` distance (answers need it; training does not).
    public func prepare(_ data: PerfDataset, samples: [Int], catalog: DeviceCatalog?, novelty: Bool = true) throws -> PreparedBatch {
        var graphOf: [Int: Int] = [:]
        var graphs: [Int] = []
        for i in samples where graphOf[data.samples[i].graph] == nil {
            graphOf[data.samples[i].graph] = graphs.count
            graphs.append(data.samples[i].graph)
        }
        let graph = GraphBatch(graphs.map { data.graphs[$0] }, norms: norms)
        var contexts: [Float] = []
        contexts.reserveCapacity(samples.count * SampleContext.width)
        var b = PreparedBatch(graph: graph, sampleGraph: [], context: Tensor.zeros([0, 0]), deviceRow: [], priorTime: [], priorMemory: [],
                              lnTime: [], lnMemory: [], utilization: [])
        var opContext: [Float] = []
        let excess = novelty ? graphs.map { graphExcess(data.graphs[$0]) } : []
        for (k, i) in samples.enumerated() {
            let s = data.samples[i]
            guard let vector = deviceVector(s.device, catalog: catalog) else { throw UnknownDeviceError(device: s.device) }
            let g = graphOf[s.graph]!
            b.sampleGraph.append(g)
            let context = SampleContext.vector(s, device: vector)
            contexts += context
            let row = devices.firstIndex(of: s.device) ?? -1
            b.deviceRow.append(row)
            if novelty { b.novelty.append(noveltyDistance(graphExcess: excess[g], context: context[...], trainedDevice: isTrained(device: s.device))) }
            let kind = DeviceFeatures.kind(of: vector)
            appendBounds(&b, kind: kind, hasPrior: s.priorTime != nil)
            if hyper.monotoneTime {
                let (lnO, lnR) = scaleParts(data.graphs[s.graph].profile, sample: s, kind: kind)
                b.lnOverhead.append(lnO)
                b.lnRoofline.append(lnR)
                if hyper.workClasses {
                    let (lnW, shares) = workParts(data.graphs[s.graph].profile, sample: s, kind: kind, catalog: catalog)
                    b.lnWork.append(lnW)
                    b.lnWorkShares += shares
                }
            } else if hyper.physicsHead {
                // The prior is roofline + launch overhead; its parts follow from the overhead alone.
                let overhead = kind.map { PerfDataset.launchOverhead(launches: data.graphs[s.graph].profile.launches, mode: s.mode, kind: $0) }
                if let o = overhead, let p = s.priorTime, o > 0, p > o {
                    b.lnOverhead.append(Float(Foundation.log(o)))
                    b.lnRoofline.append(Float(Foundation.log(p - o)))
                } else {
                    b.lnOverhead.append(.nan)
                    b.lnRoofline.append(.nan)
                }
            }
            b.priorTime.append(s.priorTime.map { Float(Foundation.log($0)) } ?? 0)
            b.priorMemory.append(s.priorMemory.map { Float(Foundation.log($0)) } ?? 0)
            b.lnTime.append(s.time.map { Float(Foundation.log($0)) } ?? .nan)
            b.lnMemory.append(s.memory.map { Float(Foundation.log($0)) } ?? .nan)
            b.utilization.append(s.utilization.map { Float($0) } ?? .nan)
            guard hyper.operatorHead, hyper.timeFromOperators || data.info[s.graph].hasOperatorLabels else { continue }
            let features = data.graphs[s.graph]
            let offset = graph.nodeOffsets[g]
            let knownPeak = vector[1] > 0, knownBandwidth = vector[5] > 0
            for node in 0..<features.nodeCount {
                b.operatorNode.append(offset + node)
                b.operatorSample.append(k)
                let t = s.operatorTimes?[node] ?? .nan
                b.operatorTarget.append(t > 0 ? (Foundation.log(t) - stats.operatorMean) / stats.operatorStd : .nan)
                opContext.append(knownPeak ? (features.nodeLogFLOPs[node] - vector[0] + 15) / 5 : 0)
                opContext.append(knownBandwidth ? (features.nodeLogBytes[node] - vector[4] + 15) / 5 : 0)
            }
        }
        norms.context.apply(&contexts)
        b.context = Tensor(shape: [samples.count, SampleContext.width], data: contexts)
        if hyper.monotoneTime {
            b.scaleFreeGraph = ScaleFreeInputs.graph(graph)
            b.scaleFreeContext = ScaleFreeInputs.masked(b.context, ScaleFreeInputs.contextScaled)
        }
        b.operatorContext = Tensor(shape: [b.operatorNode.count, 2], data: opContext)
        return b
    }

    /// `ln` launch overhead and `ln` roofline of a sample for ``MonotoneTimeHead``: the prior's
    /// parts, or for a device without a peak figure the work at a nominal peak and the GPU's
    /// launch cost.
    func scaleParts(_ profile: CostProfile, sample s: PerfSample, kind: DeviceKind?) -> (Float, Float) {
        let overhead = PerfDataset.launchOverhead(launches: max(profile.launches, 1), mode: s.mode, kind: kind ?? .gpu)
        if let p = s.priorTime, p > overhead * 1.000001, kind != nil {
            return (Float(Foundation.log(overhead)), Float(Foundation.log(p - overhead)))
        }
        let nominal = RooflinePredictor.iteration(profile, mode: s.mode, peaks: .init(uniform: MonotoneTimeHead.nominalPeak), bandwidth: nil)
        let gpu = PerfDataset.launchOverhead(launches: max(profile.launches, 1), mode: s.mode, kind: .gpu)
        return (Float(Foundation.log(gpu)), Float(Foundation.log(max(nominal.seconds, 1 / MonotoneTimeHead.nominalPeak))))
    }

    /// `ln` total work and the `ln` shares of its three parts (matrix FLOPs, other FLOPs, bytes;
    /// ``RooflinePredictor/work(_:mode:peaks:bandwidth:)``) for ``MonotoneTimeHead``'s work
    /// classes: at the device's figures where ``scaleParts(_:sample:kind:)`` uses the prior,
    /// else at the nominal peak (FLOPs only). An empty part's share is 10⁻¹², which no
    /// efficiency can make count.
    func workParts(_ profile: CostProfile, sample s: PerfSample, kind: DeviceKind?, catalog: DeviceCatalog?) -> (Float, [Float]) {
        let parts: (matrix: Double, other: Double, memory: Double)
        if s.priorTime != nil, kind != nil, let spec = catalog?[s.device], let peaks = RooflinePredictor.peaks(precision: s.precision, device: spec) {
            parts = RooflinePredictor.work(profile, mode: s.mode, peaks: peaks, bandwidth: spec.memoryBandwidth)
        } else {
            parts = RooflinePredictor.work(profile, mode: s.mode, peaks: .init(uniform: MonotoneTimeHead.nominalPeak), bandwidth: nil)
        }
        let total = parts.matrix + parts.other + parts.memory
        guard total > 0, total.isFinite else {
            return (Float(Foundation.log(1 / MonotoneTimeHead.nominalPeak)), [Float](repeating: Float(Foundation.log(1.0 / 3)), count: 3))
        }
        let shares = [parts.matrix, parts.other, parts.memory].map { Float(Foundation.log(max($0 / total, 1e-12))) }
        return (Float(Foundation.log(total)), shares)
    }

    /// Time residuals of queries without a prior (`ln` seconds) when training had none like
    /// them: one microsecond to one day.
    static let fallbackTimeRange: (low: Float, high: Float) = (Float(Foundation.log(1e-6)), Float(Foundation.log(86_400.0)))
    /// Residuals over a prior when training had none with a prior: a factor of 1,000 either way.
    static let fallbackRatioRange: (low: Float, high: Float) = (-Float(Foundation.log(1000.0)), Float(Foundation.log(1000.0)))

    /// Appends one sample's standardized residual bounds (nothing for a model without bounds).
    private func appendBounds(_ b: inout PreparedBatch, kind: DeviceKind?, hasPrior: Bool) {
        if let bounds = stats.timeBounds {
            let r = bounds.range(ResidualBounds.key(kind: kind, hasPrior: hasPrior), hasPrior: hasPrior)
                ?? (hasPrior ? Self.fallbackRatioRange : Self.fallbackTimeRange)
            b.timeLow.append((r.low - stats.timeMean) / stats.timeStd)
            b.timeHigh.append((r.high - stats.timeMean) / stats.timeStd)
        }
        if let bounds = stats.memoryBounds {
            let r = bounds.range(ResidualBounds.key(kind: kind, hasPrior: true), hasPrior: true) ?? Self.fallbackRatioRange
            b.memoryLow.append((r.low - stats.memoryMean) / stats.memoryStd)
            b.memoryHigh.append((r.high - stats.memoryMean) / stats.memoryStd)
        }
    }
}
