#!/usr/bin/env python3
"""Strip the weights of an ONNX model, keeping every tensor's dims and data type.

    /usr/bin/python3 tools/onnx/strip_weights.py in.onnx out.onnx

Integer tensors of at most 64 elements keep their values (shape tensors, axes, pads);
all other initializers and Constant-node tensors lose their data. The stripped model is
not runnable, but ModelGraph's importer needs only shapes.
"""
import sys

import onnx

KEEP_INT_ELEMENTS = 64
INT_TYPES = {onnx.TensorProto.INT64, onnx.TensorProto.INT32}


def _strip_tensor(t):
    n = 1
    for d in t.dims:
        n *= d
    if t.data_type in INT_TYPES and n <= KEEP_INT_ELEMENTS:
        return
    for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data",
                  "uint64_data", "string_data"):
        t.ClearField(field)
    t.ClearField("external_data")
    t.data_location = onnx.TensorProto.DEFAULT


def strip_model(model):
    for t in model.graph.initializer:
        _strip_tensor(t)
    for node in model.graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.TENSOR:
                _strip_tensor(a.t)
    return model


if __name__ == "__main__":
    m = onnx.load(sys.argv[1])
    onnx.save(strip_model(m), sys.argv[2])
