import ClusterKit
import Foundation
@testable import PerfModels
import Tensors
import Testing

/// Unseen devices answered from a similar device's measurement of the same workload
/// (``UnseenDeviceRule``, ``MeasuredEfficiencies``), and the ``NearestDeviceTransfer`` baseline
/// that measured the idea.
@Suite struct NearestDeviceTests {
    /// Fixture: two trained GPUs (times a per-device multiple of the prior), and the same
    /// workloads on an A100 PCIe 80 GB, which the model never saw.
    static func fixture() throws -> (PerfModel, PerfDataset, trained: [Int], unseen: [Int]) {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset(devices: ["a100-sxm4-40gb", "v100-sxm2-16gb"])
        for i in data.samples.indices {
            data.samples[i].time = (data.samples[i].device == "a100-sxm4-40gb" ? 3 : 5) * data.samples[i].priorTime! * (1 + 0.1 * Double(data.samples[i].graph))
        }
        let model = try PerfFixtures.model(.seernet, data: data, targets: [.time, .memory])
        model.timeIntervals = TimeIntervals(level: 0.9, halfWidths: ["a100-sxm4-40gb": 0.05], counts: ["a100-sxm4-40gb": 20], pooled: 0.2, pooledCount: 40)
        let trained = Array(data.samples.indices)
        model.measured = MeasuredEfficiencies(data, samples: trained, catalog: catalog)
        for i in trained where data.samples[i].device == "a100-sxm4-40gb" {
            var s = data.samples[i]
            s.device = "a100-pcie-80gb"
            s.time = nil
            (s.priorTime, s.priorMemory) = PerfDataset.priors(profile: data.graphs[s.graph].profile, mode: s.mode, spec: catalog["a100-pcie-80gb"])
            data.samples.append(s)
        }
        return (model, data, trained, Array(trained.count..<data.samples.count))
    }

    /// An unseen GPU takes the nearest measuring GPU's efficiency (the A100 SXM4's, not the
    /// V100's) over its own roofline, with its own interval around it; memory is the network's;
    /// trained devices answer the same under either rule.
    @Test func unseenTimeIsTheNearestMeasuredEfficiency() throws {
        let catalog = try PerfFixtures.catalog.get()
        let (model, data, trained, unseen) = try Self.fixture()
        let answered = try model.predict(data, samples: unseen, catalog: catalog)
        let known = try model.predict(data, samples: trained, catalog: catalog)
        model.unseenDevices = .specs
        let direct = try model.predict(data, samples: unseen, catalog: catalog)
        #expect(try model.predict(data, samples: trained, catalog: catalog) == known)
        model.unseenDevices = .measured
        for (k, i) in unseen.enumerated() {
            let s = data.samples[i]
            #expect(answered[k].measuredOn == "a100-sxm4-40gb")
            let t = try #require(answered[k].time), bound = try #require(answered[k].timeBound)
            let expected = 3 * s.priorTime! * (1 + 0.1 * Double(s.graph))
            #expect(abs(t / expected - 1) < 1e-7 || t == bound.lowerBound || t == bound.upperBound)
            #expect(answered[k].memory == direct[k].memory && answered[k].time != direct[k].time)
            let upper = try #require(answered[k].timeUpper)
            #expect(abs(Foundation.log(upper / t) - 0.2 * (1 + answered[k].novelty!)) < 1e-9 || upper == bound.upperBound)
        }
    }

    /// A workload no similar device measured, a model without measurements and a device of
    /// another kind all get the network's answer from specs.
    @Test func withoutAMeasurementTheNetworkAnswers() throws {
        let catalog = try PerfFixtures.catalog.get()
        let (model, data, _, unseen) = try Self.fixture()
        model.unseenDevices = .specs
        let direct = try model.predict(data, samples: unseen, catalog: catalog)
        model.unseenDevices = .measured
        var other = data
        for i in unseen { other.samples[i].batchSize = 7 }
        #expect(try model.predict(other, samples: unseen, catalog: catalog).map(\.time) == direct.map(\.time))
        model.measured = nil
        let network = try model.predict(data, samples: unseen, catalog: catalog)
        #expect(network == direct)
        #expect(network[0].measuredOn == nil)
    }

    /// A measurement travels at most ``MeasuredEfficiencies/transferDistanceLimit``: with only
    /// the V100's measurements kept, farther than that from the A100 PCIe 80 GB, the network
    /// answers from specs, though the unlimited baseline would take the V100's.
    @Test func aFarMeasurementDoesNotTravel() throws {
        let catalog = try PerfFixtures.catalog.get()
        let (model, data, trained, unseen) = try Self.fixture()
        let distance = try #require(NearestDeviceTransfer.distance(catalog["a100-pcie-80gb"]!, catalog["v100-sxm2-16gb"]!))
        #expect(distance > MeasuredEfficiencies.transferDistanceLimit)
        model.unseenDevices = .specs
        let direct = try model.predict(data, samples: unseen, catalog: catalog)
        model.unseenDevices = .measured
        let v100 = trained.filter { data.samples[$0].device == "v100-sxm2-16gb" }
        model.measured = MeasuredEfficiencies(data, samples: v100, catalog: catalog)
        let answered = try model.predict(data, samples: unseen, catalog: catalog)
        #expect(answered == direct && answered.allSatisfy { $0.measuredOn == nil })
        let baseline = NearestDeviceTransfer(data, train: v100, catalog: catalog)
        #expect(baseline.answer(data.samples[unseen[0]])?.source == "v100-sxm2-16gb")
    }

    /// The table survives its CSV form byte for byte; a damaged file names the line and field.
    @Test func csvRoundTripsAndRejectsDamage() throws {
        let (model, _, _, _) = try Self.fixture()
        let table = try #require(model.measured)
        #expect(table.count == 2 * PerfFixtures.architectures.count)
        let csv = table.csv()
        let again = try MeasuredEfficiencies(csv: csv, file: "e.csv")
        #expect(again == table && again.csv() == csv)
        var lines = csv.split(separator: "\n").map(String.init)
        let good = lines[1]
        for (bad, field) in [(good.replacingOccurrences(of: ",infer,", with: ",sideways,"), "mode"),
                             (good.split(separator: ",").dropLast().joined(separator: ",") + ",nan", "ln_time_over_prior"),
                             (good.split(separator: ",").dropLast().joined(separator: ","), "fields"),
                             ("-1" + good.drop { $0 != "," }, "operators")] {
            lines[1] = bad
            let error = try #require(throws: CheckpointError.self) { try MeasuredEfficiencies(csv: lines.joined(separator: "\n"), file: "e.csv") }
            #expect(error.field?.hasPrefix("line 2") == true && error.description.contains(field), "\(error)")
        }
        lines[1] = good
        lines.append(good)
        #expect(throws: CheckpointError.self) { try MeasuredEfficiencies(csv: lines.joined(separator: "\n"), file: "e.csv") }
    }

    /// A saved model keeps its measurements; saving one without them removes a stale file.
    @Test func checkpointKeepsTheMeasurements() throws {
        let (model, _, _, _) = try Self.fixture()
        let dir = PerfFixtures.temporaryDirectory("measured")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Checkpoint.save(model, to: dir, training: nil)
        #expect(try Checkpoint.load(dir).model.measured == model.measured)
        model.measured = nil
        try Checkpoint.save(model, to: dir, training: nil)
        #expect(!FileManager.default.fileExists(atPath: dir + "/" + Checkpoint.efficienciesFile))
        #expect(try Checkpoint.load(dir).model.measured == nil)
    }

    /// The baseline: an unseen device takes the nearest measured device's efficiency on the same
    /// workload, else the nearest device's median efficiency.
    @Test func transferBaselineUsesTheNearestMeasuredWorkload() throws {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset(devices: ["a100-sxm4-40gb", "v100-sxm2-16gb", "a100-pcie-80gb"])
        for i in data.samples.indices {
            let factor = data.samples[i].device == "a100-sxm4-40gb" ? 3.0 : 5.0
            data.samples[i].time = factor * data.samples[i].priorTime! * (1 + 0.1 * Double(data.samples[i].graph))
        }
        let test = data.samples.indices.filter { data.samples[$0].device == "a100-pcie-80gb" }
        // Graph 0 was measured only on the V100: its efficiency comes from there.
        let train = data.samples.indices.filter { data.samples[$0].device != "a100-pcie-80gb" && !(data.samples[$0].graph == 0 && data.samples[$0].device == "a100-sxm4-40gb") }
        let baseline = NearestDeviceTransfer(data, train: Array(train), catalog: catalog)
        for (i, t) in zip(test, try baseline.times(data, samples: Array(test))) {
            let s = data.samples[i]
            let factor = s.graph == 0 ? 5.0 : 3.0
            #expect(abs(try #require(t) / (factor * s.priorTime! * (1 + 0.1 * Double(s.graph))) - 1) < 1e-9)
        }
        #expect(NearestDeviceTransfer.distance(catalog["a100-sxm4-40gb"]!, catalog["xeon-silver-4114"]!) == nil)
    }

    /// The transfer study's breakdown: an answer names the GPU whose measurement gave it and that
    /// GPU's spec distance; a workload nobody measured names none.
    @Test func transferAnswerNamesItsSource() throws {
        let catalog = try PerfFixtures.catalog.get()
        let (_, data, trained, unseen) = try Self.fixture()
        let transfer = NearestDeviceTransfer(data, train: trained, catalog: catalog)
        let a = try #require(transfer.answer(data.samples[unseen[0]]))
        #expect(a.source == "a100-sxm4-40gb")
        let d = try #require(a.distance)
        #expect(d == NearestDeviceTransfer.distance(catalog["a100-pcie-80gb"]!, catalog["a100-sxm4-40gb"]!))
        var other = data.samples[unseen[0]]
        other.batchSize = 999
        let fallback = try #require(transfer.answer(other))
        #expect(fallback.source == nil && fallback.distance == nil)
        #expect(try transfer.times(data, samples: unseen).map { $0 } == unseen.map { transfer.answer(data.samples[$0])?.time })
    }
}
