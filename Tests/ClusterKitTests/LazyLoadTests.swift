import Foundation
import Testing
@testable import ClusterKit

/// Issue 17.5: the oracle reads only what a run needs, and answers every query the run can make
/// exactly as the oracle with everything read; CSV split on bytes gives the same lines.
@Suite struct LazyLoadTests {
    @Test func modelNamesMapToTheDatasetThatNamesThem() {
        #expect(MeasuredOracle.dataset(ofModel: "resnet50-imagenet") == .gavel)
        #expect(MeasuredOracle.dataset(ofModel: "nb201-7500") == .nb201(7500))
        #expect(MeasuredOracle.dataset(ofModel: "bert_large-s512") == .neusight)
        #expect(MeasuredOracle.dataset(ofModel: "augur-resnet18-r32") == .augur)
        // Names no loader gives, or that Gavel's reference prefixes also match: everything is read.
        for name in ["nb201-x", "resnet101-s5", "transformer-s8", "mystery", "a-b-s3", "gpt-sx"] {
            #expect(MeasuredOracle.dataset(ofModel: name) == nil, "\(name)")
        }
        let gavel = OracleNeeds.configs([ModelConfig(model: "a3c-pong", batchSize: 1, mode: .train)])
        #expect(gavel == .gavelOnly)
        let mixed = OracleNeeds.configs([ModelConfig(model: "nb201-7", batchSize: 1, mode: .infer),
                                         ModelConfig(model: "gpt2_large-s1024", batchSize: 4, mode: .infer)])
        #expect(mixed == OracleNeeds(nb201: .only([7]), neusight: true, augur: false))
        #expect(OracleNeeds.configs([ModelConfig(model: "mystery", batchSize: 1, mode: .infer)]) == .everything)
        #expect(OracleNeeds.workloads(families: ["nb201"]) == OracleNeeds(nb201: .every(125), neusight: false, augur: false))
        #expect(OracleNeeds.Rows.every(125).union(.only([])) == .every(125))
        #expect(OracleNeeds.Rows.every(125).union(.only([3])) == .all)
    }

    /// The oracle a production trace reads (every 125th NB201 architecture, all families) gives
    /// the same workload catalog, the same answers on its configurations and the same scaling
    /// and reference devices as the oracle with everything read.
    @Test func partialOracleAnswersAsTheFullOne() throws {
        let catalog = try Fixtures.catalog(), root = Fixtures.root
        let full = try MeasuredOracle.loadPublic(root: root, catalog: catalog)
        let lazy = try MeasuredOracle.loadPublic(root: root, catalog: catalog, needs: .workloads(families: nil))
        #expect(lazy.table.count < full.table.count)
        for (query, entry) in lazy.table { #expect(full.entry(query) == entry) }
        #expect(lazy.scaling.defaultMedians == full.scaling.defaultMedians)
        // The full oracle also read the GPU benchmarks (an opt-in family): their scaling entries
        // are keyed by their own models; every other entry is the same.
        #expect(lazy.scaling.measured == full.scaling.measured.filter { !GPUThroughputTable.isBenchmarkModel(String($0.key.model.split(separator: "/").first ?? "")) })
        for name in ["default", "hetero-2048", "gavel", "edge-mixed"] {
            let cluster = try ClusterSpec.load(path: "clusters/\(name).yaml", catalog: catalog)
            let a = WorkloadCatalog(oracle: full, cluster: cluster), b = WorkloadCatalog(oracle: lazy, cluster: cluster)
            #expect(a.entries == b.entries, "\(name)")
            for e in b.entries {
                #expect(lazy.referenceDevice(for: e.config) == full.referenceDevice(for: e.config))
                for device in cluster.deviceTypes.map(\.name) {
                    let q = PerformanceQuery(config: e.config, device: device)
                    #expect(lazy.entry(q) == full.entry(q))
                }
            }
            for seed: UInt64 in [1, 7] {
                for gpus in [1, 2, 8] {
                    #expect(a.assign(jobID: "j\(gpus)", gpus: gpus, seed: seed) == b.assign(jobID: "j\(gpus)", gpus: gpus, seed: seed))
                }
            }
        }
        // A trace's own configurations: only their NB201 rows.
        let few = try MeasuredOracle.loadPublic(root: root, catalog: catalog,
                                                needs: .configs([ModelConfig(model: "nb201-7", batchSize: 1, mode: .infer)]))
        #expect(Set(few.table.keys.map(\.config.model).filter { $0.hasPrefix("nb201-") }) == ["nb201-7"])
        for (query, entry) in few.table { #expect(full.entry(query) == entry) }
    }

    @Test func asciiLinesSplitAsCharactersDo() throws {
        let texts = ["a,b\nc,d\n", "a,b\r\nc,d\r\n", "a,b\r\r\nc,d", "a\rb,c\nd,e\n\n", "x,\"y\nz\",w\r\n1,2,3", "é,b\r\nc,ü\n",
                     "", "\n", "\r\n", "a\n\r\n\n"]
        for text in texts {
            let reference = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
            #expect(CSVTable.lines(of: text).map(String.init) == reference, "\(text.debugDescription)")
            for line in reference {
                for separator: Character in [",", "\t"] {
                    guard !line.contains("\"") else { continue }
                    let fast = try CSVTable.split(Substring(line), separator: separator, path: "t", line: 1).map(String.init)
                    #expect(fast == line.split(separator: separator, omittingEmptySubsequences: false).map(String.init))
                }
            }
        }
        let table = try CSVTable(text: "h1,h2\r\n1,\"a\r\nb\"\r\n 2 ,x\r\r\n", path: "t")
        #expect(table.rows.map(\.line) == [2, 4])
        #expect(table.rows[0].fields == ["1", "a\nb"])
        #expect(table.rows[1].fields == [" 2 ", "x"])
    }
}
