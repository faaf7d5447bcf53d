import Testing
@testable import ModelGraph

/// Gavel's and Lucid's job types (``SchedulerZoo``).
@Suite struct SchedulerZooTests {
    /// Parameter counts, matched exactly (tolerance 0: each graph holds exactly the trained
    /// model's parameter tensors, so any difference is a wrong layer). Sources:
    /// - published: torchvision's ResNet-50 (25,557,032) and MobileNetV3-Large (5,483,032)
    ///   model-card counts; kuangliu/pytorch-cifar's ResNet-18 (11,173,962), VGG-11 (9,231,114) and VGG-16
    ///   (14,728,266, tested through `vggCIFAR(vgg16:)`); Hugging Face
    ///   `BertForQuestionAnswering` on bert-base-uncased (108,893,186);
    ///   the CycleGAN paper code's ResNet-9 generator (11,378,179) and 70×70 PatchGAN
    ///   (2,764,737), whose counts eriklindernoren's networks share;
    /// - computed from the configurations the builders' docs cite, by hand (sums in the docs):
    ///   the rest. The Transformer's depends on assumed vocabularies (2,911 and 3,149).
    static let expected: [String: Int] = [
        "resnet18-cifar10": 11_173_962,
        "resnet50-imagenet": 25_557_032,
        "transformer-multi30k": 44_138_496 + 512 * (2911 + 3149),
        "lstm-wikitext2": 13_987_678,
        "autoencoder-ml20m": 2 * 20_108 * 200 + 200 + 20_108,
        "a3c-pong": 3_249_639,
        "cyclegan-monet2photo": 2 * 11_378_179 + 2 * 2_764_737,
        "dcgan-lsun": 3_576_704 + 2_765_568,
        "efficientnet-cifar10": 2_912_089,
        "mobilenetv2-cifar10": 2_296_922,
        "mobilenetv3-imagenet": 5_483_032,
        "pointnet-shapenet": 1_607_961,
        "vgg-cifar10": 9_231_114,
        "neumf-movielens": 1_602_657,
        "ppo-lunarlander": 9_797,
        "td3-bipedalwalker": 131_504 + 2 * 132_201,
        "bert-squad": 108_893_186,
    ]

    @Test func namesAreGavelsAndLucids() throws {
        #expect(Set(SchedulerZoo.names) == Set(Self.expected.keys))
        #expect(SchedulerZoo.names.count == Self.expected.count)
        #expect(Array(SchedulerZoo.names.prefix(7)) == [
            "resnet18-cifar10", "resnet50-imagenet", "transformer-multi30k", "lstm-wikitext2",
            "autoencoder-ml20m", "a3c-pong", "cyclegan-monet2photo",
        ])
        #expect(try SchedulerZoo.graph(named: "resnet18", batchSize: 1) == nil)
    }

    @Test(arguments: SchedulerZoo.names)
    func parameterCount(_ name: String) throws {
        let g = try #require(try SchedulerZoo.graph(named: name, batchSize: 1))
        #expect(g.parameterCount == Self.expected[name], "\(name): \(g.parameterCount)")
    }

    @Test(arguments: SchedulerZoo.names)
    func buildsCostedAndShapedAtBatch1And32(_ name: String) throws {
        for batch in [1, 32] {
            let g = try #require(try SchedulerZoo.graph(named: name, batchSize: batch))
            #expect(g.uncostedOperators().isEmpty, "\(name): \(g.uncostedOperators())")
            let unshaped = g.tensors.filter { $0.shape == nil }.map(\.name)
            #expect(unshaped.isEmpty, "\(name): unshaped \(unshaped.prefix(5))")
            #expect(g.outputs.allSatisfy { g.tensors[$0].shape?.first != nil })
            #expect(g.cost(mode: .infer).flops > 0)
        }
    }

    /// Every family's FLOPs are linear in the batch (within 2%: the STN's and attention's
    /// per-sample work is linear too; only batch-independent constants could break it).
    @Test(arguments: SchedulerZoo.names)
    func flopsScaleWithBatch(_ name: String) throws {
        let one = try #require(try SchedulerZoo.graph(named: name, batchSize: 2))
        let many = try #require(try SchedulerZoo.graph(named: name, batchSize: 16))
        let ratio = Double(many.cost(mode: .infer).flops) / Double(one.cost(mode: .infer).flops)
        #expect(ratio > 7.84 && ratio < 8.16, "\(name): \(ratio)")
        #expect(one.parameterCount == many.parameterCount)
    }

    /// Forward multiply-accumulates against published figures at batch 1, within 5% (the cost
    /// model also counts batch-norm, activation and pooling FLOPs, which MAC counters leave out):
    /// kuangliu's ResNet-18 on CIFAR 0.56 G (its README; thop gives 556.65 M), torchvision's
    /// MobileNetV3-Large 0.22 G (model card: 0.22 GFLOPS, meaning MACs), ResNet-50 4.09 G.
    @Test func publishedMACs() throws {
        for (name, macs) in [("resnet18-cifar10", 0.5567e9), ("mobilenetv3-imagenet", 0.217e9), ("resnet50-imagenet", 4.09e9)] {
            let g = try #require(try SchedulerZoo.graph(named: name, batchSize: 1))
            let ratio = Double(g.cost(mode: .infer).flops) / 2 / macs
            #expect(ratio > 0.97 && ratio < 1.05, "\(name): \(ratio)")
        }
    }

    @Test func outputShapes() throws {
        func shape(_ name: String, _ batch: Int, _ i: Int = 0) throws -> [Int]? {
            let g = try #require(try SchedulerZoo.graph(named: name, batchSize: batch))
            return g.tensors[g.outputs[i]].shape
        }
        #expect(try shape("resnet18-cifar10", 4) == [4, 10])
        #expect(try shape("resnet50-imagenet", 2) == [2, 1000])
        #expect(try shape("transformer-multi30k", 3) == [3 * 51, 3149])
        #expect(try shape("lstm-wikitext2", 5) == [35, 5, 33_278])
        #expect(try shape("a3c-pong", 4, 1) == [4, 6])
        #expect(try shape("cyclegan-monet2photo", 1) == [1, 3, 256, 256])
        #expect(try shape("cyclegan-monet2photo", 1, 4) == [1, 1, 16, 16])
        #expect(try shape("dcgan-lsun", 2) == [2, 1, 1, 1])
        #expect(try shape("mobilenetv3-imagenet", 2) == [2, 1000])
        #expect(try shape("pointnet-shapenet", 2) == [2, 16])
        #expect(try shape("bert-squad", 2) == [2, 384, 2])
        #expect(try shape("td3-bipedalwalker", 8, 2) == [8, 1])
    }

    /// Size overrides change the work but not the parameters (where the classifier does not
    /// read the flattened map).
    @Test func sizeOverrides() throws {
        let f = { (name: String, size: Int?) throws -> Double in
            Double(try #require(try SchedulerZoo.graph(named: name, batchSize: 2, size: size)).cost(mode: .infer).flops)
        }
        #expect(try f("resnet18-cifar10", 64) / f("resnet18-cifar10", nil) > 3.9)
        #expect(try f("lstm-wikitext2", 70) / f("lstm-wikitext2", nil) > 1.99)
        #expect(try f("bert-squad", 128) < f("bert-squad", nil))
        let dc = try #require(try SchedulerZoo.graph(named: "dcgan-lsun", batchSize: 1, size: 128))
        #expect(dc.parameterCount == Self.expected["dcgan-lsun"])
        #expect(dc.tensors[dc.outputs[0]].shape == [1, 1, 5, 5])
    }

    @Test func vgg16Variant() throws {
        #expect(try SchedulerZoo.vggCIFAR(batch: 1, size: nil, vgg16: true).parameterCount == 14_728_266)
    }

    /// Lucid runs the same Transformer without `-proj_share_weight`: one more 512 × 3,149
    /// weight, the same work.
    @Test func transformerWithoutSharedProjection() throws {
        let gavel = try SchedulerZoo.transformerMulti30k(batch: 4, size: 30)
        let lucid = try SchedulerZoo.transformerMulti30k(batch: 4, size: 30, shareProjection: false)
        #expect(lucid.parameterCount - gavel.parameterCount == 512 * 3149)
        let ratio = Double(lucid.cost(mode: .infer).flops) / Double(gavel.cost(mode: .infer).flops)
        #expect(ratio > 0.99 && ratio < 1.01)
    }

    @Test func rejectsBadSizes() {
        for name in SchedulerZoo.names {
            #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: name, batchSize: 0) }
            #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: name, batchSize: 1, size: -1) }
            #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: name, batchSize: 1, size: 1 << 30) }
        }
        #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: "vgg-cifar10", batchSize: 1, size: 48) }
        #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: "cyclegan-monet2photo", batchSize: 1, size: 250) }
        #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: "ppo-lunarlander", batchSize: 1, size: 9) }
        #expect(throws: ModelGraphError.self) { try SchedulerZoo.graph(named: "bert-squad", batchSize: 1, size: 513) }
    }
}
