#!/usr/bin/env python3
"""Export torchvision models to ONNX and strip their weights, for ModelGraph tests.

Run with Debian's torch (apt-get install python3-torch python3-torchvision python3-onnx):
    /usr/bin/python3 tools/onnx/export_torchvision.py Tests/ModelGraphTests/Resources

Each model is exported at batch 1 with fixed shapes, in training mode (BatchNorm kept), ONNX shape inference fills
value_info, then strip_weights() keeps every initializer's dims and data type but drops
its data (small integer tensors, up to 64 elements, keep their values because Reshape and
friends need them). The result is a structurally complete graph of a few hundred KB.
"""
import os
import sys

import onnx
import torch
import torchvision
from onnx import shape_inference

from strip_weights import strip_model


class TinyBert(torch.nn.Module):
    """A BERT-like encoder: token + position embeddings, 2 post-norm layers, d=128."""

    def __init__(self, vocab=1000, seq=32, d=128, heads=4, layers=2):
        super().__init__()
        self.tok = torch.nn.Embedding(vocab, d)
        self.pos = torch.nn.Embedding(seq, d)
        layer = torch.nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True,
                                                 activation="gelu")
        self.enc = torch.nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = torch.nn.Linear(d, vocab)
        self.register_buffer("positions", torch.arange(seq).unsqueeze(0))

    def forward(self, ids):
        h = self.tok(ids) + self.pos(self.positions)
        return self.head(self.enc(h))


def export(name, model, example, out_dir, opset=13, train_mode=True):
    # TRAINING mode keeps BatchNormalization nodes (EVAL folds them into Conv), so the
    # graph has the training-time structure and torchvision's parameter counts.
    # Transformers (no BatchNorm) export in EVAL mode with constant folding, which gives
    # static shapes and plain weight initializers.
    model.train(train_mode)
    # The exporter merges initializers with equal values (zero biases, unit LayerNorm
    # scales), which would hide parameters: make every parameter distinct first.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 1e-3)
    path = os.path.join(out_dir, name + ".onnx")
    mode = torch.onnx.TrainingMode.TRAINING if train_mode else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, example, path, opset_version=opset, do_constant_folding=not train_mode,
                      training=mode,
                      input_names=["input"], output_names=["output"])
    m = onnx.load(path)
    m = shape_inference.infer_shapes(m)
    strip_model(m)
    onnx.save(m, path)
    print(f"{path}: {os.path.getsize(path)} bytes, {len(m.graph.node)} nodes")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
    torch.manual_seed(0)
    img = torch.randn(1, 3, 224, 224)
    tv = torchvision.models
    wanted = sys.argv[2:] or ["resnet18", "resnet50", "mobilenet_v2", "vit_b_16", "tiny_bert"]
    for name in wanted:
        if name == "tiny_bert":
            export(name, TinyBert(), torch.randint(0, 1000, (1, 32)), out_dir, train_mode=False)
        elif name.startswith("vit"):
            export(name, getattr(tv, name)(weights=None), img, out_dir, train_mode=False)
        else:
            export(name, getattr(tv, name)(weights=None), img, out_dir)


if __name__ == "__main__":
    main()
