/// Neural collaborative filtering, NeuMF (He, Liao, Zhang, Nie, Hu and Chua, "Neural
/// Collaborative Filtering", WWW 2017, §3.4) as NVIDIA DeepLearningExamples trains it on
/// MovieLens-20M (`PyTorch/Recommendation/NCF/neumf.py`; 138,493 users, 26,744 items, GMF
/// factors 64, MLP layers 256-256-128-64).
///
/// GMF branch: user and item embeddings of 64, multiplied element-wise. MLP branch: user and
/// item embeddings of 128 each (half the first MLP width), concatenated to 256, then
/// `Linear(256, 256)`, `Linear(256, 128)`, `Linear(128, 64)`, each with ReLU. The two branches
/// are concatenated (128) into `Linear(128, 1)` and a sigmoid. The batch is the number of
/// (user, item) pairs scored (DLE trains with 4 sampled negatives per positive, all in the
/// batch). 31,832,577 parameters (computed from the sizes above; tested).
public enum NCF {
    /// A NeuMF configuration.
    public struct Config: Sendable, Hashable {
        public var users: Int
        public var items: Int
        public var factors: Int
        public var mlpLayers: [Int]
        public init(users: Int, items: Int, factors: Int, mlpLayers: [Int]) {
            self.users = users
            self.items = items
            self.factors = factors
            self.mlpLayers = mlpLayers
        }
    }

    /// DeepLearningExamples' MovieLens-20M defaults.
    public static let configs: [String: Config] = [
        "ncf": Config(users: 138_493, items: 26_744, factors: 64, mlpLayers: [256, 256, 128, 64]),
    ]

    /// The zoo names.
    public static var names: [String] { configs.keys.sorted() }

    /// The graph of `config` scoring `batchSize` (user, item) pairs.
    public static func graph(_ c: Config, batchSize: Int = 1, name: String = "ncf") throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...(1 << 26), source: name)
        guard c.users > 0, c.items > 0, c.factors > 0, c.mlpLayers.count >= 2,
              c.mlpLayers.allSatisfy({ $0 > 0 }), c.mlpLayers[0] % 2 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "config", reason: "sizes must be positive, at least two MLP layers, the first even")
        }
        let b = batchSize
        var g = GraphBuilder(name: name)
        let user = g.addInput("user", shape: [b], dtype: .int64)
        let item = g.addInput("item", shape: [b], dtype: .int64)
        func embedding(_ g: inout GraphBuilder, _ label: String, rows: Int, width: Int, _ ids: Int) -> Int {
            let table = g.addParameter(label + ".weight", shape: [rows, width])
            return g.add("Gather", name: label, inputs: [table, ids])
        }
        let half = c.mlpLayers[0] / 2
        let mfUser = embedding(&g, "mf_user_embed", rows: c.users, width: c.factors, user)
        let mfItem = embedding(&g, "mf_item_embed", rows: c.items, width: c.factors, item)
        let mlpUser = embedding(&g, "mlp_user_embed", rows: c.users, width: half, user)
        let mlpItem = embedding(&g, "mlp_item_embed", rows: c.items, width: half, item)
        let gmf = g.add("Mul", name: "gmf", inputs: [mfUser, mfItem])
        var x = g.add("Concat", name: "mlp.concat", inputs: [mlpUser, mlpItem], attributes: ["axis": .int(1)])
        for i in 1..<c.mlpLayers.count {
            x = g.gemm(x, from: c.mlpLayers[i - 1], to: c.mlpLayers[i], name: "mlp.\(i - 1)")
            x = g.add("Relu", name: "mlp.\(i - 1).relu", inputs: [x])
        }
        let both = g.add("Concat", name: "final.concat", inputs: [gmf, x], attributes: ["axis": .int(1)])
        let logit = g.gemm(both, from: c.factors + c.mlpLayers.last!, to: 1, name: "final")
        g.markOutput(g.add("Sigmoid", name: "sigmoid", inputs: [logit]))
        return try g.build()
    }

    /// The graph of a zoo NCF by name (`ncf`), or nil for another name. `sequence` is
    /// ignored (one pair per sample); it is there so that every family has the same signature.
    public static func graph(named model: String, batchSize: Int = 1, sequence: Int? = nil) throws -> ModelGraph? {
        guard let config = configs[model] else { return nil }
        return try graph(config, batchSize: batchSize, name: model)
    }
}
