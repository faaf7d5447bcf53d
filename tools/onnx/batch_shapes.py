#!/usr/bin/env python3
"""Shapes of a weightless ONNX graph at a concrete batch size, and batch-symbolic value_info.

ONNX's own shape inference (onnx 1.12, even with data_prop) stops at the first Reshape whose
target is computed from `Shape` (as in every graph exported with a dynamic batch axis).
`infer_at_batch` sets the graph input's dim 0 to a number and alternates ONNX shape inference
with evaluating the graph's shape arithmetic in numpy (Shape, Gather, Unsqueeze, Concat, Slice,
Div, ... on small integer tensors, whose values strip_weights keeps), replacing those nodes by
constants, until nothing more resolves.

`batch_value_info` runs it at two batch sizes and writes one value_info per tensor whose shape
both runs resolve: a dim that is the same in both is written as a number, a dim equal to the
batch in both as the dim_param `batch`; a tensor with any other varying dim (e.g. batch x
windows) gets no value_info. Augur's importer reads every dim_param as the batch size and
prefers its own inference to a declared shape with a dim_param, so each declared shape is
right at any batch size.
"""
import copy

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference

MAX_VALUE_ELEMENTS = 4096  # larger computed tensors are left to ONNX inference


def _dims(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape"):
        return None
    return [d.dim_param if d.HasField("dim_param") else (d.dim_value if d.HasField("dim_value") else "?")
            for d in t.shape.dim]


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _eval(node, args, shapes):
    """numpy value of a shape-path node's first output, or None. `args` are the input values
    (None where unknown); `shapes` maps tensor names to concrete shapes."""
    op = node.op_type
    if op == "Shape":
        shp = shapes.get(node.input[0])
        if shp is None:
            return None
        start, end = _attr(node, "start", 0), _attr(node, "end", None)
        return np.array(shp[start:end], dtype=np.int64)
    if op == "Size":
        shp = shapes.get(node.input[0])
        return None if shp is None else np.array(int(np.prod(shp)), dtype=np.int64)
    if op == "ConstantOfShape":
        if args[0] is None:
            return None
        v = _attr(node, "value")
        fill = numpy_helper.to_array(v).reshape(-1) if v is not None else np.zeros(1, np.float32)
        return np.full(tuple(int(x) for x in args[0]), fill[0], dtype=fill.dtype) \
            if int(np.prod(args[0])) <= 4096 else None
    present = [a for a, name in zip(args, node.input) if name]
    if any(a is None for a in present):
        return None
    a = args
    if op == "Identity":
        return a[0]
    if op == "Cast":
        return a[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[_attr(node, "to")])
    if op == "Gather":
        return np.take(a[0], a[1], axis=_attr(node, "axis", 0))
    if op == "Unsqueeze":
        axes = list(a[1]) if len(a) > 1 and node.input[1] else list(_attr(node, "axes"))
        out = a[0]
        rank = out.ndim + len(axes)
        for ax in sorted(x % rank for x in axes):
            out = np.expand_dims(out, ax)
        return out
    if op == "Squeeze":
        axes = list(a[1]) if len(a) > 1 and node.input[1] else _attr(node, "axes")
        return np.squeeze(a[0], axis=None if axes is None else tuple(int(x) for x in axes))
    if op == "Concat":
        return np.concatenate([np.atleast_1d(x) for x in present], axis=_attr(node, "axis"))
    if op == "Slice":
        data = a[0]
        starts, ends = list(a[1]), list(a[2])
        axes = list(a[3]) if len(a) > 3 and node.input[3] else list(range(len(starts)))
        steps = list(a[4]) if len(a) > 4 and node.input[4] else [1] * len(starts)
        idx = [slice(None)] * data.ndim
        for st, en, ax, sp in zip(starts, ends, axes, steps):
            idx[int(ax)] = slice(int(st), int(en), int(sp))
        return data[tuple(idx)]
    if op in ("Add", "Sub", "Mul", "Pow", "Min", "Max", "Equal", "Less", "Greater", "And", "Or"):
        f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Pow": np.power,
             "Min": np.minimum, "Max": np.maximum, "Equal": np.equal, "Less": np.less,
             "Greater": np.greater, "And": np.logical_and, "Or": np.logical_or}[op]
        return f(a[0], a[1]).astype(a[0].dtype) if op in ("Add", "Sub", "Mul", "Pow", "Min", "Max") \
            else f(a[0], a[1])
    if op == "Div":
        if np.issubdtype(a[0].dtype, np.integer):
            return np.trunc(a[0] / a[1]).astype(a[0].dtype)
        return (a[0] / a[1]).astype(a[0].dtype)
    if op == "Mod":
        return np.mod(a[0], a[1])
    if op in ("Neg", "Abs", "Floor", "Ceil", "Sqrt", "Not"):
        return {"Neg": np.negative, "Abs": np.abs, "Floor": np.floor, "Ceil": np.ceil,
                "Sqrt": np.sqrt, "Not": np.logical_not}[op](a[0])
    if op == "Where":
        return np.where(a[0], a[1], a[2])
    if op == "Reshape":
        target = [int(x) for x in a[1]]
        target = [a[0].shape[i] if v == 0 else v for i, v in enumerate(target)]
        return a[0].reshape(target)
    if op == "Expand":
        shp = np.broadcast_shapes(a[0].shape, tuple(int(x) for x in a[1]))
        return np.broadcast_to(a[0], shp).copy() if int(np.prod(shp)) <= 4096 else None
    if op == "Range":
        return np.arange(a[0], a[1], a[2]).astype(a[0].dtype)
    if op == "ReduceProd":
        return np.prod(a[0], keepdims=bool(_attr(node, "keepdims", 1)),
                       axis=None if _attr(node, "axes") is None else tuple(_attr(node, "axes")))
    if op == "Transpose":
        return np.transpose(a[0], _attr(node, "perm"))
    return None


def _einsum_shape(equation, shapes):
    """Output shape of an Einsum with explicit output (`ab,bc->ac`), or None."""
    if equation is None or any(x is None for x in shapes):
        return None
    eq = (equation.decode() if isinstance(equation, bytes) else equation).replace(" ", "")
    if "->" not in eq or "." in eq:
        return None
    lhs, rhs = eq.split("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        return None
    size = {}
    for term, shp in zip(terms, shapes):
        if len(term) != len(shp):
            return None
        for c, d in zip(term, shp):
            if size.setdefault(c, d) != d and 1 not in (d, size[c]):
                return None
            size[c] = max(size[c], d)
    return [size[c] for c in rhs] if all(c in size for c in rhs) else None


def _value(t):
    """numpy value of a TensorProto, or None when the file does not keep its data."""
    if t is None:
        return None
    try:
        v = numpy_helper.to_array(t)
    except Exception:  # noqa: BLE001
        return None
    return v if v.size == int(np.prod(t.dims)) else None


def _concrete(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape") or not all(d.HasField("dim_value") for d in t.shape.dim):
        return None
    return [d.dim_value for d in t.shape.dim]


def infer_at_batch(model, batch, max_rounds=400):
    """Returns ({tensor name: (elem_type, concrete dims)}, error or None) for the graph with its
    input's dim 0 set to `batch`. Tensors whose shape stays unknown are absent."""
    m = copy.deepcopy(model)
    g = m.graph
    del g.value_info[:]
    inits = {t.name for t in g.initializer}
    for i in g.input:
        if i.name not in inits and i.type.tensor_type.shape.dim:
            d = i.type.tensor_type.shape.dim[0]
            d.Clear()
            d.dim_value = batch
    for o in g.output:
        o.type.tensor_type.ClearField("shape")
    values = {}
    for t in g.initializer:
        v = _value(t)
        if v is not None and v.dtype.kind in "iub":
            values[t.name] = v
    folded = set()
    inferred = m
    for _ in range(max_rounds):
        try:
            inferred = shape_inference.infer_shapes(m)
        except Exception as e:  # noqa: BLE001
            return {}, f"ONNX inference failed: {type(e).__name__}"
        shapes = {}
        for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
            c = _concrete(vi)
            if c is not None:
                shapes[vi.name] = c
        for t in g.initializer:
            shapes[t.name] = list(t.dims)
        progress = False
        types = {vi.name: vi.type.tensor_type.elem_type for vi in inferred.graph.value_info}
        for n in g.node:
            # ONNX 1.12 leaves Einsum outputs unknown (MaxViT): declare them, so the shapes
            # downstream resolve too.
            if n.op_type == "Einsum" and n.output[0] not in shapes:
                out = _einsum_shape(_attr(n, "equation"), [shapes.get(x) for x in n.input])
                if out is not None:
                    g.value_info.append(onnx.helper.make_tensor_value_info(
                        n.output[0], types.get(n.input[0], onnx.TensorProto.FLOAT), out))
                    progress = True
        for n in g.node:
            if not n.output or n.output[0] in values:
                continue
            if n.op_type == "Constant":
                v = _value(_attr(n, "value"))
                if v is not None:
                    values[n.output[0]] = v
                elif _attr(n, "value_ints") is not None:
                    values[n.output[0]] = np.array(_attr(n, "value_ints"), dtype=np.int64)
                continue
            if len(n.output) != 1:
                continue
            try:
                v = _eval(n, [values.get(x) if x else None for x in n.input], shapes)
            except Exception:  # noqa: BLE001
                v = None
            if v is None or np.asarray(v).size > MAX_VALUE_ELEMENTS:
                continue
            values[n.output[0]] = np.asarray(v)
            shapes[n.output[0]] = list(np.asarray(v).shape)
            progress = True
        if not progress:
            break
        for i, n in enumerate(g.node):
            if n.op_type != "Constant" and len(n.output) == 1 and n.output[0] in values \
                    and n.output[0] not in folded:
                folded.add(n.output[0])
                c = onnx.helper.make_node("Constant", [], [n.output[0]], name=n.name,
                                          value=numpy_helper.from_array(values[n.output[0]]))
                g.node[i].CopyFrom(c)
    else:
        return {}, "did not converge"
    out = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
        c = _concrete(vi)
        if c is not None:
            out[vi.name] = (vi.type.tensor_type.elem_type, c)
    return out, None


def batch_value_info(model, batches=(3, 7)):
    """value_info for `model` (see the module doc); also returns the number of tensors left
    without one because a dim other than the batch varies with it."""
    a, err_a = infer_at_batch(model, batches[0])
    b, err_b = infer_at_batch(model, batches[1])
    if err_a or err_b:
        raise RuntimeError(err_a or err_b)
    skip = {i.name for i in model.graph.input} | {o.name for o in model.graph.output} \
        | {t.name for t in model.graph.initializer}
    infos, varying = [], 0
    for n in model.graph.node:
        for name in n.output:
            if not name or name in skip or name not in a or name not in b:
                continue
            (ta, da), (tb, db) = a[name], b[name]
            if ta != tb or len(da) != len(db):
                continue
            dims = []
            for x, y in zip(da, db):
                if x == y:
                    dims.append(x)
                elif (x, y) == batches:
                    dims.append("batch")
                else:
                    dims = None
                    break
            if dims is None:
                varying += 1
                continue
            infos.append(onnx.helper.make_tensor_value_info(name, ta, dims))
    return infos, varying
