/// Small jobs: recommendation (Gavel's autoencoder, Lucid's NeuMF), reinforcement learning
/// (Gavel's A3C, Lucid's PPO and TD3) and Lucid's PointNet.
extension SchedulerZoo {
    /// A chain of fully connected layers `widths[0] → widths[1] → …` with `activation` after
    /// every layer but the last (`last` after it, when given).
    static func mlp(_ n: inout ZooNet, _ x: Int, _ widths: [Int], activation: String, last: String? = nil, name: String) -> Int {
        var h = x
        for i in 1..<widths.count {
            h = n.dense(h, widths[i - 1], widths[i], name: "\(name).\(2 * (i - 1))")
            if i < widths.count - 1 { h = n.act(h, activation, name: "\(name).\(2 * i - 1)") }
            else if let last { h = n.act(h, last, name: "\(name).out_act") }
        }
        return h
    }

    /// Gavel's `autoencoder-ml20m` (job table "Recommendation", `workloads/pytorch/recommendation`:
    /// recoder's `DynamicAutoencoder(hidden_layers=[200], activation_type='tanh',
    /// noise_prob=0.5)` on MovieLens-20M as `pro_sg` preprocesses it, Liang et al.'s VAE-CF
    /// split, 20,108 items): L2 normalization of the interaction vector, input dropout,
    /// the encoding embedding as an items → 200 layer with bias and tanh, and the decoding
    /// embedding as 200 → items with bias. Parameters 2·items·200 + 200 + items = 8,063,508
    /// (recoder sizes the model by the largest item id + 1; `user_based=False` only skips its
    /// user-id check). Gavel trains with `negative_sampling=True`, so a mini-batch reads and
    /// reconstructs only the items its users touched (and sampled negatives): the full width
    /// here is the upper bound, reached at Gavel's large batches (512–8192 users). `size` is
    /// the input width (the item count, 20,108; 2...16,777,216), the way to model a batch's
    /// narrower slice.
    static func autoencoderML20M(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "autoencoder-ml20m"
        let items = try resolve(size, default: 20_108, range: 2...(1 << 24), field: "items", model: name)
        var n = ZooNet(name)
        let x = n.g.addInput("input", shape: [batch, items])
        let norm = n.op("ReduceL2", [x], ["axes": .ints([1]), "keepdims": .int(1)], name: "normalize.norm")
        var h = n.op("Div", [x, norm], name: "normalize")
        h = n.op("Dropout", [h], name: "noise_layer")
        h = n.act(n.dense(h, items, 200, name: "en_linear_embedding_layer"), "Tanh", name: "tanh")
        return try n.build(outputs: [n.dense(h, 200, items, name: "de_linear_embedding_layer")])
    }

    /// Gavel's `a3c-pong` (job table "A3C", `workloads/pytorch/rl`: dgriff777/rl_a3c_pytorch's
    /// `A3Clstm` on `PongDeterministic-v4`): one grey 80×80 frame (the repository's
    /// `config.json` crops and resizes Atari frames to 80×80, not the 84×84 of DQN) through
    /// conv 1→32 5×5 pad 2, conv 32→32 5×5 pad 1, conv 32→64 4×4 pad 1, conv 64→64 3×3 pad 1,
    /// each followed by 2×2 max pooling and leaky ReLU 0.1; an `LSTMCell` 1024 → 512 (one step);
    /// critic 512 → 1 and actor 512 → 6 (Pong's actions). 3,249,639 parameters. Gavel's job
    /// runs 4 Hogwild workers (`--workers 4`), each stepping one frame at a time (20-step
    /// rollouts); the graph's `batch` rows are independent frames, so batch 1 is one worker's
    /// step. `size` is the frame side (80; 32...1024).
    static func a3cPong(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "a3c-pong"
        let r = try resolve(size, default: 80, range: 32...1024, field: "resolution", model: name)
        var n = ZooNet(name)
        var h = n.g.addInput("input", shape: [batch, 1, r, r])
        var side = r, c = 1
        for (i, (out, k, pad)) in [(32, 5, 2), (32, 5, 1), (64, 4, 1), (64, 3, 1)].enumerated() {
            h = n.conv(h, c, out, k: k, pad: pad, bias: true, name: "conv\(i + 1)")
            h = n.op("MaxPool", [h], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])], name: "maxp\(i + 1)")
            h = n.act(h, "LeakyRelu", alpha: 0.1, name: "lrelu\(i + 1)")
            side = (side + 2 * pad - k + 1) / 2
            c = out
        }
        let features = 64 * side * side
        h = n.reshape(h, [1, batch, features], name: "flatten")
        h = n.g.lstm(h, seq: 1, batch: batch, input: features, hidden: 512, name: "lstm")
        h = n.reshape(h, [batch, 512], name: "hx")
        let critic = n.dense(h, 512, 1, name: "critic_linear")
        let actor = n.dense(h, 512, 6, name: "actor_linear")
        return try n.build(outputs: [critic, actor])
    }

    /// Lucid's `ppo-lunarlander`: PPO (Schulman et al., 2017) as Lucid runs it
    /// (`workloads/rl/profile_rl_lunarlander.py`: Stable-Baselines3 `PPO("MlpPolicy")` on
    /// `LunarLander-v2`, 8 observations, 4 actions): SB3's default separate policy and value
    /// networks 8→64→64 with tanh, the action head 64→4 (softmax) and the value head 64→1.
    /// 9,797 parameters. `batch` is the update's minibatch of states; `size` must be nil or 8.
    static func ppoLunarLander(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "ppo-lunarlander"
        let obs = try resolve(size, default: 8, range: 8...8, field: "observation", model: name)
        var n = ZooNet(name)
        let s = n.g.addInput("state", shape: [batch, obs])
        let actor = mlp(&n, s, [obs, 64, 64, 4], activation: "Tanh", last: "Softmax", name: "actor")
        let critic = mlp(&n, s, [obs, 64, 64, 1], activation: "Tanh", name: "critic")
        return try n.build(outputs: [actor, critic])
    }

    /// Lucid's `td3-bipedalwalker`: TD3 (Fujimoto, van Hoof and Meger, ICML 2018) as Lucid runs
    /// it (`workloads/rl/profile_rl_walker.py`: Stable-Baselines3 `TD3("MlpPolicy")` on
    /// `BipedalWalker-v3`, 24 observations, 4 actions; SB3's TD3 default `net_arch` [400, 300]):
    /// actor 24→400→300→4 (ReLU, tanh), twin critics (24+4)→400→300→1 (ReLU). 131,504 +
    /// 2 × 132,201 = 395,906 parameters (the target copies are not trained and not in the
    /// graph). The iteration's passes: both critics on the replayed (state, action) and the
    /// first critic on (state, actor(state)) for the actor loss. `size` must be nil or 24.
    static func td3BipedalWalker(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "td3-bipedalwalker"
        let obs = try resolve(size, default: 24, range: 24...24, field: "observation", model: name)
        var n = ZooNet(name)
        let s = n.g.addInput("state", shape: [batch, obs])
        let a = n.g.addInput("action", shape: [batch, 4])
        let pi = mlp(&n, s, [obs, 400, 300, 4], activation: "Relu", last: "Tanh", name: "actor")
        func critics(_ n: inout ZooNet, _ action: Int, heads: [String], pass: String) -> [Int] {
            n.scope = pass
            let sa = n.op("Concat", [s, action], ["axis": .int(1)], name: "state_action")
            let q = heads.map { mlp(&n, sa, [obs + 4, 400, 300, 1], activation: "Relu", name: $0) }
            n.scope = ""
            return q
        }
        let q = critics(&n, a, heads: ["critic.q1", "critic.q2"], pass: "critic_loss")
        let qpi = critics(&n, pi, heads: ["critic.q1"], pass: "actor_loss")
        return try n.build(outputs: q + qpi)
    }

    /// Lucid's `neumf-movielens`: NeuMF (He et al., "Neural Collaborative Filtering", WWW 2017)
    /// as Lucid runs it (`workloads/ncf/profile_ncf.py` and `config.py`: guoyang9/NCF's
    /// `NeuMF-end` on MovieLens-1M, 6,040 users, 3,706 items, `factor_num` 32, `num_layers` 3): 32 predictive
    /// factors, GMF embeddings of 32, MLP embeddings of 128 and a 256→128→64→32 ReLU tower,
    /// the concatenation 64 → 1. 1,602,657 parameters. `batch` is (user, item) pairs; `size`
    /// must be nil or 32.
    static func neuMF(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "neumf-movielens"
        let f = try resolve(size, default: 32, range: 32...32, field: "factors", model: name)
        let users = 6040, items = 3706
        var n = ZooNet(name)
        let u = n.g.addInput("user", shape: [batch], dtype: .int64)
        let i = n.g.addInput("item", shape: [batch], dtype: .int64)
        let ug = n.op("Gather", [n.param("embed_user_GMF.weight", [users, f]), u], name: "embed_user_GMF")
        let ig = n.op("Gather", [n.param("embed_item_GMF.weight", [items, f]), i], name: "embed_item_GMF")
        let um = n.op("Gather", [n.param("embed_user_MLP.weight", [users, 4 * f]), u], name: "embed_user_MLP")
        let im = n.op("Gather", [n.param("embed_item_MLP.weight", [items, 4 * f]), i], name: "embed_item_MLP")
        let gmf = n.op("Mul", [ug, ig], name: "gmf")
        var h = n.op("Concat", [um, im], ["axis": .int(1)], name: "mlp_input")
        h = mlp(&n, h, [8 * f, 4 * f, 2 * f, f], activation: "Relu", last: "Relu", name: "MLP_layers")
        h = n.op("Concat", [gmf, h], ["axis": .int(1)], name: "concat")
        return try n.build(outputs: [n.dense(h, 2 * f, 1, name: "predict_layer")])
    }
}
