#!/usr/bin/env bash
# Regenerates Sources/ModelGraph/onnx.pb.swift from onnx.proto (proto2, package onnx).
# Run once when the ONNX schema changes; the output is committed so builds need only
# the SwiftProtobuf runtime.
#
# Needs: protoc (Debian `protobuf-compiler`), and protoc-gen-swift built from the
# swift-protobuf mirror at the version Package.swift resolves (1.39.0):
#   git clone /opt/swift-packages/apple/swift-protobuf.git /tmp/swift-protobuf
#   cd /tmp/swift-protobuf && git checkout 1.39.0 && swift build -c release --product protoc-gen-swift
# onnx.proto comes from the PyPI `onnx` wheel:
#   pip download --no-deps onnx -d /tmp/w && unzip -o /tmp/w/onnx-*.whl onnx/onnx.proto -d /tmp/w
set -euo pipefail
PROTO=${1:-/tmp/w/onnx/onnx.proto}
PLUGIN=${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
cp "$PROTO" "$WORK/onnx.proto"
protoc --plugin=protoc-gen-swift="$PLUGIN" --proto_path="$WORK" \
  --swift_opt=Visibility=Internal --swift_out="$WORK" "$WORK/onnx.proto"
cp "$WORK/onnx.pb.swift" "$ROOT/Sources/ModelGraph/onnx.pb.swift"
rm -rf "$WORK"
echo "wrote $ROOT/Sources/ModelGraph/onnx.pb.swift"
