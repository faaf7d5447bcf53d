#!/usr/bin/env python3
"""Exports the graph of every configuration's architecture as ONNX without weights.

One graph per architecture (the configuration id without its batch size): the batch dimension is
symbolic (`batch`), so Augur sets it when it imports the graph. Initializers keep their names,
types and shapes but lose their data, which keeps every file small; Augur needs shapes only.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import configs  # noqa: E402


def graph_key(c):
    return c["id"].rsplit("-b", 1)[0]


def strip_weights(model_proto):
    for init in model_proto.graph.initializer:
        for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data", "uint64_data", "string_data"):
            init.ClearField(field)
        init.data_location = 0
    return model_proto


def export(c, path, torch, models, onnx):
    model, x, _ = models.build({**c, "batch": 1})
    model.eval()
    tmp = path + ".tmp"
    # Gradients stay enabled: under no_grad PyTorch takes its fused transformer fast path,
    # which ONNX cannot express.
    with torch.enable_grad():
        torch.onnx.export(model, (x,), tmp, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13,
                          do_constant_folding=False)
    proto = strip_weights(onnx.load(tmp))
    onnx.save(proto, path)
    os.remove(tmp)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default="data/graphs/onnx")
    p.add_argument("--limit", type=int, default=None)
    args = p.parse_args(argv)
    import onnx
    import torch
    import models
    os.makedirs(args.out, exist_ok=True)
    seen = set()
    exported = failed = 0
    for c in configs.all_configs():
        key = graph_key(c)
        if key in seen:
            continue
        seen.add(key)
        path = os.path.join(args.out, key + ".onnx")
        if os.path.exists(path):
            continue
        if args.limit is not None and exported >= args.limit:
            break
        try:
            export(c, path, torch, models, onnx)
            exported += 1
        except Exception as e:  # reported, not fatal: the measurement row records the outcome
            failed += 1
            print(f"{key}: export failed: {type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}", file=sys.stderr)
    print(f"exported {exported} graph(s) to {args.out}, {failed} failed, {len(seen)} architectures in the space")
    return 0


if __name__ == "__main__":
    sys.exit(main())
