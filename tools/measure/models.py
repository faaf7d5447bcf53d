"""Builds the real architectures of a configuration (see configs.py) and their inputs."""
import torch
import torch.nn as nn
import torchvision

VOCAB = 8192


class BertStack(nn.Module):
    """BERT-style encoder: token + position embeddings, post-norm encoder layers, pooler, classifier."""

    def __init__(self, hidden, layers, seq):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, hidden)
        self.pos = nn.Embedding(seq, hidden)
        layer = nn.TransformerEncoderLayer(hidden, max(1, hidden // 64), 4 * hidden, dropout=0.1, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.pool = nn.Linear(hidden, hidden)
        self.head = nn.Linear(hidden, 2)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.encoder(self.tok(ids) + self.pos(positions))
        return self.head(torch.tanh(self.pool(x[:, 0])))


class GPTStack(nn.Module):
    """GPT-style decoder: embeddings, pre-norm causal self-attention layers, LM head over the vocabulary."""

    def __init__(self, hidden, layers, seq):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, hidden)
        self.pos = nn.Embedding(seq, hidden)
        layer = nn.TransformerEncoderLayer(hidden, max(1, hidden // 64), 4 * hidden, dropout=0.1, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.decoder = nn.TransformerEncoder(layer, layers)
        self.norm = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, VOCAB, bias=False)
        self.register_buffer("mask", torch.triu(torch.full((seq, seq), float("-inf")), diagonal=1))

    def forward(self, ids):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.decoder(self.tok(ids) + self.pos(positions), mask=self.mask)
        return self.head(self.norm(x))


def mlp(depth, width):
    layers = [nn.Linear(784, width), nn.ReLU()]
    for _ in range(depth - 2):
        layers += [nn.Linear(width, width), nn.ReLU()]
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def build(c):
    """The model (in train mode), an input batch, and a loss function of (output)."""
    torch.manual_seed(0)
    b = c["batch"]
    if c["family"] == "mlp":
        model = mlp(c["depth"], c["width"])
        x = torch.randn(b, 784)
        y = torch.randint(0, 10, (b,))
        return model, x, lambda out: nn.functional.cross_entropy(out, y)
    if c["family"] in ("bert", "gpt"):
        cls = BertStack if c["family"] == "bert" else GPTStack
        model = cls(c["hidden"], c["layers"], c["seq"])
        x = torch.randint(0, VOCAB, (b, c["seq"]))
        if c["family"] == "bert":
            y = torch.randint(0, 2, (b,))
            return model, x, lambda out: nn.functional.cross_entropy(out, y)
        return model, x, lambda out: nn.functional.cross_entropy(out[:, :-1].reshape(-1, VOCAB), x[:, 1:].reshape(-1))
    if c["family"] == "vit":
        hidden = c["hidden"]
        model = torchvision.models.VisionTransformer(image_size=c["resolution"], patch_size=c["patch"], num_layers=c["layers"],
                                                     num_heads=max(1, hidden // 64), hidden_dim=hidden, mlp_dim=4 * hidden,
                                                     num_classes=10)
    else:
        kwargs = {"num_classes": 10}
        if "width" in c:
            kwargs["width_mult"] = c["width"]
        model = getattr(torchvision.models, c["model"])(weights=None, **kwargs)
    x = torch.randn(b, 3, c["resolution"], c["resolution"])
    y = torch.randint(0, 10, (b,))
    return model, x, lambda out: nn.functional.cross_entropy(out, y)


def count_macs(model, x):
    """Multiply-accumulates of one forward pass, counted by hooks on the layers that dominate cost
    (convolutions, linear layers, attention's two batched matrix products). The harness's own
    count, checked against Augur's graph FLOPs (2 FLOPs per MAC)."""
    total = [0]

    def conv(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += out.numel() * k

    def linear(m, inp, out):
        total[0] += out.numel() * m.in_features

    def attention(m, inp, out):
        # Read the sizes from the output: callers may pass query/key/value as keywords
        # (torchvision's ViT does), which forward hooks of this PyTorch do not see.
        a = out[0] if isinstance(out, tuple) else out
        if m.batch_first:
            b, s, e = a.shape
        else:
            s, b, e = a.shape
        # In-projection of Q, K, V (a packed weight, not a Linear module), QK^T, (softmax)V, and
        # the out-projection (called through its weight, so its Linear hook does not fire).
        total[0] += 3 * b * s * e * e + 2 * b * s * s * e + b * s * e * e

    handles = []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d,)):
            handles.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.Linear) or isinstance(m, nn.modules.linear.NonDynamicallyQuantizableLinear):
            handles.append(m.register_forward_hook(linear))
        elif isinstance(m, nn.MultiheadAttention):
            handles.append(m.register_forward_hook(attention))
    # Train mode: in eval mode PyTorch's fused transformer fast path bypasses module hooks.
    with torch.no_grad():
        model.train()
        model(x)
    for h in handles:
        h.remove()
    return total[0]
