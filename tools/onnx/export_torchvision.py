#!/usr/bin/env python3
"""Export torchvision models to ONNX and strip their weights, for ModelGraph tests.

Run with Debian's torch (apt-get install python3-torch python3-torchvision python3-onnx):
    /usr/bin/python3 tools/onnx/export_torchvision.py Tests/ModelGraphTests/Resources

Each model is exported at batch 1 with fixed shapes, ONNX shape inference fills
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


def export(name, model, example, out_dir, opset=13):
    model.eval()
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, example, path, opset_version=opset, do_constant_folding=True,
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
            export(name, TinyBert(), torch.randint(0, 1000, (1, 32)), out_dir)
        else:
            export(name, getattr(tv, name)(weights=None), img, out_dir)


if __name__ == "__main__":
    main()
