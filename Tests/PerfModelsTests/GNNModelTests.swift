import ClusterKit
import Foundation
import ModelGraph
@testable import PerfModels
import Tensors
import Testing

/// The GNN encoders and the model around them.
@Suite struct GNNModelTests {
    static let kinds: [EncoderKind] = [.seernet, .eagat, .sage, .mlp]

    @Test(arguments: kinds)
    func batchedEqualsOneByOne(kind: EncoderKind) throws {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(kind, data: data, targets: [.time, .memory])
        let catalog = try PerfFixtures.catalog.get()
        let all = Array(data.samples.indices)
        let batched = try model.predict(data, samples: all, catalog: catalog)
        for i in all {
            let single = try model.predict(data, samples: [i], catalog: catalog)[0]
            #expect(abs(single.time! / batched[i].time! - 1) < 1e-5)
            #expect(abs(single.memory! / batched[i].memory! - 1) < 1e-5)
        }
    }

    /// Batches run on several threads: one batch per graph gives the same answers, bit for
    /// bit, as running the same batches again, and the same as one graph at a time.
    @Test(arguments: kinds)
    func parallelBatchesAreDeterministic(kind: EncoderKind) throws {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(kind, data: data, targets: [.time, .memory])
        let catalog = try PerfFixtures.catalog.get()
        let all = Array(data.samples.indices)
        let first = try model.predict(data, samples: all, catalog: catalog, graphsPerBatch: 1)
        let again = try model.predict(data, samples: all, catalog: catalog, graphsPerBatch: 1)
        #expect(first == again)
        for i in all { #expect(try model.predict(data, samples: [i], catalog: catalog)[0] == first[i]) }
    }

    /// Featurizing many graphs at once (on all cores) equals featurizing them one by one.
    @Test func batchedFeaturizingEqualsOneByOne() throws {
        let graphs = try PerfFixtures.architectures.prefix(3).map { try NB201.graph(arch: $0, batchSize: 1) }
        let items = graphs.enumerated().flatMap { k, g in (1...4).map { (graph: g, batchSize: $0 * (k + 1)) } }
        let batched = GraphFeaturizer.features(of: items)
        #expect(batched == items.map { GraphFeaturizer.features(of: $0.graph, batchSize: $0.batchSize) })
    }

    /// Permuting a graph's nodes (and remapping its edges) changes no prediction.
    @Test(arguments: kinds)
    func predictionsAreInvariantToNodeOrder(kind: EncoderKind) throws {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(kind, data: data)
        let catalog = try PerfFixtures.catalog.get()
        var permuted = data
        var generator = SeededGenerator(seed: 3)
        for g in permuted.graphs.indices {
            let f = data.graphs[g]
            var order = Array(0..<f.nodeCount)
            for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, Int(generator.next() % UInt64(k + 1))) }
            var position = [Int](repeating: 0, count: f.nodeCount)
            for (newIndex, old) in order.enumerated() { position[old] = newIndex }
            let w = GraphFeaturizer.nodeWidth
            var p = f
            for (newIndex, old) in order.enumerated() {
                p.nodes.replaceSubrange(newIndex * w..<(newIndex + 1) * w, with: f.nodes[old * w..<(old + 1) * w])
                p.nodeLogFLOPs[newIndex] = f.nodeLogFLOPs[old]
                p.nodeLogBytes[newIndex] = f.nodeLogBytes[old]
            }
            p.senders = f.senders.map { position[$0] }
            p.receivers = f.receivers.map { position[$0] }
            permuted.graphs[g] = p
        }
        let a = try model.predict(data, samples: Array(data.samples.indices), catalog: catalog)
        let b = try model.predict(permuted, samples: Array(data.samples.indices), catalog: catalog)
        for (x, y) in zip(a, b) { #expect(abs(x.time! / y.time! - 1) < 1e-4) }
    }

    /// A small model drives its loss on one batch close to zero.
    @Test(arguments: [EncoderKind.seernet, .eagat, .sage])
    func overfitsOneBatch(kind: EncoderKind) throws {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(kind, data: data, targets: [.time, .memory], hidden: 32)
        let batch = try model.prepare(data, samples: Array(data.samples.indices), catalog: try PerfFixtures.catalog.get())
        let optimizer = Adam(parameters: model.store.parameters, learningRate: 3e-3)
        func loss() -> Float {
            let out = model.forward(batch, tape: Tape(recording: false))
            let y = batch.lnTime.indices.map { (batch.lnTime[$0] - batch.priorTime[$0] - model.stats.timeMean) / model.stats.timeStd }
            return zip(out.time!.value.data, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Float(y.count)
        }
        let initial = loss()
        for _ in 0..<300 {
            let tape = Tape()
            let out = model.forward(batch, tape: tape)
            let y = batch.lnTime.indices.map { (batch.lnTime[$0] - batch.priorTime[$0] - model.stats.timeMean) / model.stats.timeStd }
            let l = (out.time! - Variable(Tensor(shape: [y.count, 1], data: y))).squared().mean()
            optimizer.zeroGrad()
            tape.backward(l)
            optimizer.step()
        }
        #expect(loss() < 0.02 * max(initial, 0.05), "\(kind): loss \(initial) → \(loss())")
    }

    /// The whole model's gradient (encoder, heads, device table) matches finite differences.
    @Test(arguments: [EncoderKind.seernet, .eagat, .sage])
    func modelGradientMatchesFiniteDifferences(kind: EncoderKind) throws {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(kind, data: data, targets: [.time], hidden: 8)
        let batch = try model.prepare(data, samples: [0, 1, 2, 3], catalog: try PerfFixtures.catalog.get())
        // The unbounded outputs, which training differentiates (answers are soft-clamped).
        func lossValue(_ tape: Tape) -> Variable { model.forward(batch, tape: tape, bounded: false).time!.squared().mean() }
        let tape = Tape()
        tape.backward(lossValue(tape))
        for p in model.store.parameters.prefix(6) {
            guard let g = p.grad else { continue }
            for k in [0, p.value.count / 2, p.value.count - 1] {
                let original = p.value.data[k]
                let h: Float = 1e-2
                p.value.data[k] = original + h
                let up = lossValue(Tape(recording: false)).value.data[0]
                p.value.data[k] = original - h
                let down = lossValue(Tape(recording: false)).value.data[0]
                p.value.data[k] = original
                let numeric = (up - down) / (2 * h)
                #expect(abs(numeric - g.data[k]) <= 2e-2 * max(1, abs(numeric)), "\(p.name)[\(k)]: tape \(g.data[k]), finite difference \(numeric)")
            }
            p.zeroGrad()
        }
    }

    @Test func trainingIsDeterministicAndImproves() throws {
        let data = try PerfFixtures.dataset()
        let split = DatasetSplit(train: Array(0..<8), validation: Array(8..<12), test: [])
        var options = TrainingOptions()
        options.epochs = 15
        options.graphsPerBatch = 2
        func run() throws -> ([EpochReport], [Float]) {
            let model = try PerfFixtures.model(.seernet, data: data, targets: [.time, .memory])
            let r = try Trainer.train(model, data: data, split: split, catalog: try PerfFixtures.catalog.get(), options: options)
            return (r, model.store.parameters.flatMap(\.value.data))
        }
        let (a, wa) = try run()
        let (b, wb) = try run()
        #expect(wa == wb, "same seed, same weights")
        #expect(a.map(\.validationTimeMAPE) == b.map(\.validationTimeMAPE))
        #expect(a.last!.trainLoss < a.first!.trainLoss)
    }

    @Test func operatorHeadTrainsOnOperatorLabelsAndSumsToModelTime() throws {
        var data = try PerfFixtures.dataset(devices: ["gtx-1080ti"])
        for i in data.samples.indices {
            let n = data.graphs[data.samples[i].graph].nodeCount
            data.samples[i].operatorTimes = (0..<n).map { Float(data.samples[i].time!) / Float(n) * (1 + Float($0 % 3)) / 2 }
            data.info[data.samples[i].graph].hasOperatorLabels = true
        }
        let hyper = ModelHyper(kind: .eagat, hidden: 16, layers: 2, heads: 2, deviceLatent: 4, targets: [.time], operatorHead: true, timeFromOperators: true, seed: 3)
        let catalog = try PerfFixtures.catalog.get()
        let model = Trainer.makeModel(hyper: hyper, data: data, train: Array(data.samples.indices), catalog: catalog)
        let b = try model.prepare(data, samples: Array(data.samples.indices), catalog: catalog)
        let out = model.forward(b, tape: Tape(recording: false), bounded: false)
        let ops = try #require(out.operators)
        #expect(ops.rows == b.operatorNode.count)
        // Whole-model time is the sum of the operators' predicted times.
        let p = model.decode(out, b)
        for s in 0..<b.sampleCount {
            var sum = 0.0
            for (r, owner) in b.operatorSample.enumerated() where owner == s {
                sum += exp(Double(ops.value.data[r] * model.stats.operatorStd + model.stats.operatorMean))
            }
            #expect(abs(sum / p[s].time! - 1) < 1e-3)
        }
        var options = TrainingOptions()
        options.epochs = 20
        options.graphsPerBatch = 6
        let reports = try Trainer.train(model, data: data, split: DatasetSplit(train: Array(data.samples.indices), validation: [], test: []),
                                        catalog: catalog, options: options)
        #expect(reports.last!.trainLoss < reports.first!.trainLoss)
    }

    @Test func denseOverBlocksEqualsDenseOverTheConcatenation() {
        let store = ParameterStore(seed: 3)
        let dense = Dense(store, "d", 3 + 2 + 2, 4)
        var generator = SeededGenerator(seed: 5, stream: "blocks")
        func random(_ r: Int, _ c: Int) -> Variable {
            Variable(Tensor(shape: [r, c], data: (0..<r * c).map { _ in Float(generator.nextUnit()) - 0.5 }))
        }
        let edges = random(5, 3), nodes = random(4, 2), graphs = random(2, 2)
        let senders = [0, 1, 3, 2, 2], owner = [0, 0, 1, 1, 1]
        let tape = Tape(recording: false)
        let concatenated = dense(Variable.concat([edges, nodes.gather(senders), graphs.gather(owner)], axis: 1), tape)
        let blocks = dense(blocks: [(edges, nil), (nodes, senders), (graphs, owner)], tape)
        #expect(blocks.value.shape == concatenated.value.shape)
        for (a, b) in zip(blocks.value.data, concatenated.value.data) { #expect(abs(a - b) < 1e-5) }
    }
}
