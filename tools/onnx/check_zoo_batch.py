#!/usr/bin/env python3
"""Check that zoo ONNX graphs have a symbolic (re-batchable) batch dimension.

    /usr/bin/python3 tools/onnx/check_zoo_batch.py [data/graphs/zoo | FILE.onnx ...]

Augur's importer sets every `dim_param` to the batch size it is asked for; a graph exported
with batch 1 baked in cannot be re-batched. Per model this prints:

- `dynamic`: yes when the graph input's and output's dim 0 are `dim_param`s and nothing below
  is suspicious, else no;
- suspicious shape constants: a Reshape whose data input depends on the graph input and whose
  target is a constant (initializer or Constant node) that starts with a positive 1, or has no
  0 or -1 entry at all (a fixed element count bakes in the batch); an Expand/Tile/
  ConstantOfShape constant starting with 1 whose result reaches the data path is listed as a
  note only (broadcasting by 1 is usually harmless);
- declared shapes (value_info, outputs) with a concrete dim 0 of 1 on a float tensor that
  depends on the input, where the inference below does not resolve the tensor;
- `rebatch`: the graph's shapes inferred with its input batch set to 3
  (batch_shapes.infer_at_batch: ONNX shape inference plus numpy evaluation of the shape
  arithmetic); the output shape must start with 3 (`unresolved` when inference cannot follow
  the graph, which is not a failure by itself), and every declared shape, read the way Augur's
  importer reads it (each dim_param or unset dim becomes the batch), must equal the inferred one.

Exit status 1 when any model is not dynamic. Needs the `onnx` package (and numpy) only.
"""
import glob
import os
import sys

import onnx
from onnx import numpy_helper, shape_inference

sys.dont_write_bytecode = True  # keep tools/onnx free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_shapes import _dims, infer_at_batch  # noqa: E402

REBATCH = 3
FLOAT_TYPES = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE,
               onnx.TensorProto.BFLOAT16}
# op type -> index of its shape input
SHAPE_INPUT = {"Reshape": 1, "Expand": 1, "Tile": 1, "ConstantOfShape": 0}


def _dim0(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape") or not t.shape.dim:
        return None
    d = t.shape.dim[0]
    if d.HasField("dim_param"):
        return d.dim_param
    if d.HasField("dim_value"):
        return d.dim_value
    return None


def _constants(graph):
    """Name -> list of ints for the integer constants whose values the file keeps."""
    values = {}
    for t in graph.initializer:
        if t.data_type in (onnx.TensorProto.INT64, onnx.TensorProto.INT32):
            try:
                values[t.name] = [int(v) for v in numpy_helper.to_array(t).reshape(-1)]
            except Exception:  # noqa: BLE001  (stripped data: dims kept, values gone)
                pass
    for n in graph.node:
        if n.op_type != "Constant":
            continue
        for a in n.attribute:
            if a.name == "value" and a.t.data_type in (onnx.TensorProto.INT64, onnx.TensorProto.INT32):
                try:
                    values[n.output[0]] = [int(v) for v in numpy_helper.to_array(a.t).reshape(-1)]
                except Exception:  # noqa: BLE001
                    pass
            elif a.name == "value_ints":
                values[n.output[0]] = list(a.ints)
    return values


def _tainted(graph):
    """Names of the tensors that depend on a graph input (not an initializer)."""
    inits = {t.name for t in graph.initializer}
    tainted = {i.name for i in graph.input if i.name not in inits}
    for n in graph.node:  # exporters write nodes in topological order
        if any(x in tainted for x in n.input if x):
            tainted.update(o for o in n.output if o)
    return tainted


def _elem_types(model):
    types = {t.name: t.data_type for t in model.graph.initializer}
    try:
        inferred = shape_inference.infer_shapes(model)
    except Exception:  # noqa: BLE001
        inferred = model
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        types.setdefault(vi.name, vi.type.tensor_type.elem_type)
    return types


def check_model(model):
    """Returns {'dynamic': bool, 'input': dims, 'output': dims, 'suspicious': [...],
    'notes': [...], 'rebatch': str}."""
    g = model.graph
    inits = {t.name for t in g.initializer}
    inputs = [i for i in g.input if i.name not in inits]
    suspicious, notes = [], []
    in_dyn = bool(inputs) and all(isinstance(_dim0(i), str) for i in inputs)
    out_dyn = bool(g.output) and all(isinstance(_dim0(o), str) for o in g.output)
    if not in_dyn:
        suspicious.append("input dim 0 is not symbolic: "
                          + ", ".join(f"{i.name}{_dims(i)}" for i in inputs))
    if not out_dyn:
        suspicious.append("output dim 0 is not symbolic: "
                          + ", ".join(f"{o.name}{_dims(o)}" for o in g.output))
    consts = _constants(g)
    tainted = _tainted(g)
    types = _elem_types(model)
    for idx, n in enumerate(g.node):
        k = SHAPE_INPUT.get(n.op_type)
        if k is None or len(n.input) <= k or n.input[k] not in consts:
            continue
        target = consts[n.input[k]]
        label = n.name or f"{n.op_type}_{idx}"
        if n.op_type == "Reshape":
            data = n.input[0]
            if data not in tainted or types.get(data) not in FLOAT_TYPES:
                continue
            allowzero = any(a.name == "allowzero" and a.i for a in n.attribute)
            if target and target[0] == 1:
                suspicious.append(f"{label}: Reshape target {target} starts with 1")
            elif all(v > 0 for v in target) or (allowzero and -1 not in target):
                suspicious.append(f"{label}: Reshape target {target} has no 0/-1 (fixed element count)")
        elif target and target[0] == 1 and not any(o in tainted for o in n.output):
            notes.append(f"{label}: {n.op_type} shape {target} starts with 1 (input-independent)")
    inferred, err = infer_at_batch(model, REBATCH)
    # Where inference at batch REBATCH resolves a tensor, the comparison below decides; elsewhere
    # a leading 1 on an input-dependent float tensor is taken as a baked-in batch.
    ones = [vi for vi in list(g.value_info) + list(g.output)
            if vi.name in tainted and vi.name not in inferred
            and vi.type.tensor_type.elem_type in FLOAT_TYPES and _dim0(vi) == 1]
    if ones:
        suspicious.append(f"{len(ones)} declared shape(s) of input-dependent float tensors have dim 0 = 1, "
                          f"e.g. '{ones[0].name}' {_dims(ones[0])}")
    shapes = [inferred[o.name][1] if o.name in inferred else None for o in g.output]
    if err:
        rebatch = err
    elif shapes and all(s and s[0] == REBATCH for s in shapes):
        rebatch = f"ok {shapes}"
    elif shapes and all(s for s in shapes):
        rebatch = f"WRONG {shapes}"
        suspicious.append(f"at batch {REBATCH} the output shape is {shapes}")
    else:
        rebatch = f"unresolved {shapes}"
    # What the importer reads from each declared shape at batch REBATCH (every dim_param and
    # unset dim becomes the batch) must be the shape inferred at that batch.
    wrong, declared = [], list(g.value_info) + list(g.output)
    for vi in declared:
        d = _dims(vi)
        if d is None or vi.name not in inferred:
            continue
        read = [REBATCH if isinstance(x, str) else x for x in d]
        if read != inferred[vi.name][1]:
            wrong.append(f"'{vi.name}' {d} (at batch {REBATCH}: {inferred[vi.name][1]})")
    if wrong:
        suspicious.append(f"{len(wrong)} declared shape(s) disagree with inference at batch {REBATCH}, "
                          f"e.g. {wrong[0]}")
    symbolic = sum(1 for vi in g.value_info if any(isinstance(x, str) for x in (_dims(vi) or [])))
    return {"dynamic": in_dyn and out_dyn and not suspicious,
            "input": [_dims(i) for i in inputs], "output": [_dims(o) for o in g.output],
            "suspicious": suspicious, "notes": notes, "rebatch": rebatch,
            "value_info": f"{len(g.value_info)} value_info ({symbolic} with the batch dim)"}


def main(argv):
    args = argv or ["data/graphs/zoo"]
    files = []
    for a in args:
        files += sorted(glob.glob(os.path.join(a, "*.onnx"))) if os.path.isdir(a) else [a]
    bad = []
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        r = check_model(onnx.load(f, load_external_data=False))
        print(f"{name}: dynamic {'yes' if r['dynamic'] else 'no'}; input {r['input'][0] if r['input'] else None}"
              f"; {r['value_info']}; rebatch {REBATCH}: {r['rebatch']}", flush=True)
        for s in r["suspicious"][:20]:
            print(f"  suspicious: {s}")
        if len(r["suspicious"]) > 20:
            print(f"  ... {len(r['suspicious']) - 20} more suspicious")
        for s in r["notes"][:5]:
            print(f"  note: {s}")
        if not r["dynamic"]:
            bad.append(name)
    print(f"{len(files) - len(bad)} of {len(files)} dynamic"
          + (f"; not dynamic: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
