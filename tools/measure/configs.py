"""The configuration space of Augur's own measurements.

A configuration is a real architecture (torchvision or a transformer/MLP stack built here) at a
width, depth, input resolution and batch size. The space is enumerated deterministically and
each configuration has a stable id, so runs can resume and rows can be joined with graphs.

Sized for a 2-core CPU: small resolutions and batches, narrower and shallower variants, so most
configurations take well under 100 ms per iteration (PerfSeer varies the same knobs).
"""
import itertools
import random

# torchvision families: (family, constructor name, kwargs that vary width/depth)
VISION = [
    ("resnet", "resnet18", {}), ("resnet", "resnet34", {}), ("resnet", "resnet50", {}),
    ("resnext", "resnext50_32x4d", {}), ("wide_resnet", "wide_resnet50_2", {}),
    ("vgg", "vgg11", {}), ("vgg", "vgg13_bn", {}),
    ("mobilenet_v2", "mobilenet_v2", {"width_mult": [0.35, 0.5, 0.75, 1.0]}),
    ("mobilenet_v3", "mobilenet_v3_small", {}), ("mobilenet_v3", "mobilenet_v3_large", {}),
    ("efficientnet", "efficientnet_b0", {}), ("efficientnet", "efficientnet_b1", {}),
    ("densenet", "densenet121", {}),
    ("shufflenet", "shufflenet_v2_x0_5", {}), ("shufflenet", "shufflenet_v2_x1_0", {}),
    ("squeezenet", "squeezenet1_0", {}), ("squeezenet", "squeezenet1_1", {}),
    ("mnasnet", "mnasnet0_5", {}), ("mnasnet", "mnasnet1_0", {}),
    ("regnet", "regnet_x_400mf", {}), ("regnet", "regnet_y_400mf", {}),
    ("convnext", "convnext_tiny", {}),
]
VISION_RESOLUTIONS = [32, 40, 48, 56, 64, 80, 96, 112, 128]
VISION_BATCHES = [1, 2, 4, 8, 16, 32]

# Published multiply-accumulates at 224x224 (GMAC; torchvision model cards), used only to keep
# the space within this CPU's budget: a configuration is kept when its forward pass is at most
# MAX_GMAC (scaled by resolution squared and batch).
GMAC_224 = {
    "resnet18": 1.81, "resnet34": 3.66, "resnet50": 4.09, "resnext50_32x4d": 4.23, "wide_resnet50_2": 11.4,
    "vgg11": 7.61, "vgg13_bn": 11.31, "mobilenet_v2": 0.30, "mobilenet_v3_small": 0.06, "mobilenet_v3_large": 0.22,
    "efficientnet_b0": 0.39, "efficientnet_b1": 0.69, "densenet121": 2.83, "shufflenet_v2_x0_5": 0.04,
    "shufflenet_v2_x1_0": 0.14, "squeezenet1_0": 0.82, "squeezenet1_1": 0.35, "mnasnet0_5": 0.10, "mnasnet1_0": 0.31,
    "regnet_x_400mf": 0.41, "regnet_y_400mf": 0.40, "convnext_tiny": 4.46,
}
MAX_GMAC = 0.5

# Small vision transformers (torchvision VisionTransformer): image, patch, layers, hidden.
VIT = [(32, 4), (64, 8)]
VIT_LAYERS = [2, 4]
VIT_HIDDEN = [128, 192]
VIT_BATCHES = [1, 2, 4, 8]

# Transformer encoder/decoder stacks (BERT/GPT-style): hidden, layers, heads, sequence length.
TRANSFORMER_HIDDEN = [64, 128, 192, 256]
TRANSFORMER_LAYERS = [1, 2, 4]
TRANSFORMER_SEQ = [16, 32, 64, 128]
TRANSFORMER_BATCHES = [1, 2, 4, 8, 16]

# MLPs: depth and width.
MLP_DEPTH = [2, 4, 8]
MLP_WIDTH = [256, 512, 1024, 2048]
MLP_BATCHES = [1, 8, 32, 64, 128, 256]


def transformer_gmacs(kind, hidden, layers, seq, batch):
    """Forward MACs of a BERT/GPT stack: per layer 12·s·h² (QKV, output, 4h MLP) + 2·s²·h
    (attention), times batch; GPT adds its LM head over an 8,192-token vocabulary."""
    per_layer = 12 * seq * hidden * hidden + 2 * seq * seq * hidden
    head = seq * hidden * 8192 if kind == "gpt" else 0
    return batch * (layers * per_layer + head) / 1e9


def config_id(c):
    parts = [c["model"]]
    for key in ("width", "hidden", "layers", "depth", "resolution", "patch", "seq"):
        if key in c:
            parts.append(f"{key[0]}{c[key]}")
    parts.append(f"b{c['batch']}")
    return "-".join(str(p) for p in parts)


def all_configs():
    """Every configuration, in a fixed order."""
    out = []
    for family, name, knobs in VISION:
        widths = knobs.get("width_mult", [None])
        for width, res, batch in itertools.product(widths, VISION_RESOLUTIONS, VISION_BATCHES):
            scale = (width or 1.0) ** 2
            if GMAC_224[name] * scale * (res / 224) ** 2 * batch > MAX_GMAC:
                continue
            c = {"family": family, "model": name, "resolution": res, "batch": batch}
            if width is not None:
                c["width"] = width
            out.append(c)
    for (image, patch), layers, hidden, batch in itertools.product(VIT, VIT_LAYERS, VIT_HIDDEN, VIT_BATCHES):
        out.append({"family": "vit", "model": "vit", "resolution": image, "patch": patch, "layers": layers, "hidden": hidden, "batch": batch})
    for kind in ("bert", "gpt"):
        for hidden, layers, seq, batch in itertools.product(TRANSFORMER_HIDDEN, TRANSFORMER_LAYERS, TRANSFORMER_SEQ, TRANSFORMER_BATCHES):
            if transformer_gmacs(kind, hidden, layers, seq, batch) > MAX_GMAC:
                continue
            out.append({"family": kind, "model": f"{kind}_stack", "hidden": hidden, "layers": layers, "seq": seq, "batch": batch})
    for depth, width, batch in itertools.product(MLP_DEPTH, MLP_WIDTH, MLP_BATCHES):
        out.append({"family": "mlp", "model": "mlp", "depth": depth, "width": width, "batch": batch})
    for c in out:
        c["id"] = config_id(c)
    return out


def ordered_configs(seed=0):
    """All configurations in a seeded shuffled order, so any prefix covers every family."""
    configs = all_configs()
    rng = random.Random(seed)
    rng.shuffle(configs)
    return configs
