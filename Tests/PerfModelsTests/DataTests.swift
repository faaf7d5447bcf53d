import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Testing

/// Loading measurements for training and evaluation, and splitting them.
@Suite struct DataTests {
    static let arch = PerfFixtures.architectures

    func write(_ text: String) -> String {
        let path = PerfFixtures.temporaryDirectory("data") + "/latency.csv"
        try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func latencyTableWithAnyDeviceColumns() throws {
        let path = write("arch,1080ti_32,pixel3,my_board\n\"\(Self.arch[0])\",5.5,20,31\n\"\(Self.arch[1])\",4.0,,28\n")
        let data = try PerfDataset.nb201(path: path, catalog: try PerfFixtures.catalog.get())
        #expect(data.samples.count == 5, "the empty cell is skipped")
        let byDevice = Dictionary(grouping: data.samples, by: \.device)
        #expect(byDevice["gtx-1080ti"]?.allSatisfy { $0.batchSize == 32 && $0.priorTime != nil } == true)
        #expect(byDevice["my_board"]?.allSatisfy { $0.batchSize == 1 && $0.priorTime == nil } == true, "unknown device: no specs, no roofline")
        #expect(data.graphs.count == 4, "one graph per architecture and batch size")
    }

    @Test func damagedLatencyCellNamesLineAndColumn() throws {
        let path = write("arch,pixel3\n\"\(Self.arch[0])\",20\n\"\(Self.arch[1])\",-3\n")
        let error = try #require(throws: InputError.self) { try PerfDataset.nb201(path: path, catalog: try PerfFixtures.catalog.get()) }
        #expect(error.line == 3)
        #expect(error.field == "pixel3")
    }

    @Test func badArchitectureStringIsAnError() throws {
        let path = write("arch,pixel3\n|conv~0|,20\n")
        let error = try #require(throws: InputError.self) { try PerfDataset.nb201(path: path, catalog: try PerfFixtures.catalog.get()) }
        #expect(error.line == 2 && error.field == "arch")
    }

    @Test func sourceDetectionRejectsUnknownHeaders() throws {
        let path = write("model,latency\nx,1\n")
        let options = PerfDataSource.Options(root: DataRoot(path: "/nonexistent"), catalog: try PerfFixtures.catalog.get())
        #expect(throws: InputError.self) { try PerfDataSource.load(path, options: options) }
        #expect(throws: InputError.self) { try PerfDataSource.load("/no/such/file.csv", options: options) }
    }

    @Test func splitsAreDisjointByModelAndReproducible() throws {
        let data = try PerfFixtures.dataset()
        let a = DatasetSplit(data, kind: .random, seed: 5), b = DatasetSplit(data, kind: .random, seed: 5)
        #expect(a == b)
        #expect(Set(a.train + a.validation + a.test) == Set(data.samples.indices))
        let models = { (ids: [Int]) in Set(ids.map { data.info[data.samples[$0].graph].model }) }
        #expect(models(a.train).isDisjoint(with: models(a.test)))
        #expect(models(a.train).isDisjoint(with: models(a.validation)))
        let family = DatasetSplit(data, kind: .family(test: ["odd"]), seed: 1)
        #expect(family.test.allSatisfy { data.info[data.samples[$0].graph].family == "odd" })
        #expect((family.train + family.validation).allSatisfy { data.info[data.samples[$0].graph].family == "even" })
        let device = DatasetSplit(data, kind: .device(test: ["pixel3"]), seed: 1)
        #expect(device.test.allSatisfy { data.samples[$0].device == "pixel3" })
        #expect(!device.train.isEmpty && device.train.allSatisfy { data.samples[$0].device != "pixel3" })
    }

    @Test func featuresHaveTheDocumentedWidthsAndAreFinite() throws {
        let g = try NB201.graph(arch: Self.arch[0], batchSize: 8)
        let f = GraphFeaturizer.features(of: g, batchSize: 8)
        #expect(f.nodes.count == f.nodeCount * GraphFeaturizer.nodeWidth)
        #expect(f.edges.count == f.edgeCount * GraphFeaturizer.edgeWidth)
        #expect(f.edgeCount == 2 * g.edges.count, "edges in both directions")
        #expect(f.globals.count == GraphFeaturizer.globalWidth)
        #expect((f.nodes + f.edges + f.globals).allSatisfy { $0.isFinite })
        // One-hot: every node has exactly one operator slot set.
        for n in 0..<f.nodeCount {
            let slots = f.nodes[(n * GraphFeaturizer.nodeWidth)..<(n * GraphFeaturizer.nodeWidth + OperatorVocabulary.width)]
            #expect(slots.reduce(0, +) == 1)
        }
        #expect(GraphFeaturizer.features(of: g, batchSize: 8) == f, "deterministic")
    }

    @Test func flopsRegressionRecoversAPowerLaw() throws {
        let data = try PerfFixtures.dataset()
        let r = FLOPsRegression(data, train: Array(data.samples.indices))
        let p = try r.times(data, samples: Array(data.samples.indices))
        #expect(p.allSatisfy { ($0 ?? 0) > 0 })
    }

    @Test func damagedTimesAreDroppedPerDeviceSetting() throws {
        var data = try PerfFixtures.dataset()
        let victim = data.samples.firstIndex { $0.device == "pixel3" }!
        data.samples[victim].time = 3e-9
        let (clean, dropped) = data.withoutDamagedTimes()
        #expect(dropped == ["pixel3 b1": 1])
        #expect(clean.samples.count == data.samples.count - 1)
        #expect(!clean.samples.contains { $0.time == 3e-9 })
        #expect(try PerfFixtures.dataset().withoutDamagedTimes().dropped.isEmpty, "clean data loses nothing")
    }
}
