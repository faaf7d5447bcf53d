#!/usr/bin/env python3
"""Export every torchvision image classifier to a weightless ONNX graph (the "zoo").

Run with Debian's torch (apt-get install python3-torch python3-torchvision python3-onnx):
    /usr/bin/python3 tools/onnx/export_zoo.py data/graphs/zoo

Optional model names after the folder export only those (the manifest and README still
list every model that has a cached result from an earlier run, see --cache).

Conventions follow export_torchvision.py (parameters perturbed so the exporter does not merge
equal initializers, then strip_weights.strip_model()), except the batch: as in
tools/measure/export_graphs.py, the example input has batch 1 but the input's and output's dim 0
are exported as the symbolic dim `batch` (dynamic_axes), so Augur's importer can set any batch
size. value_info is not ONNX's shape inference (which names every dim it cannot resolve with a
fresh dim_param that the importer would read as the batch) but batch_shapes.batch_value_info():
shapes inferred at batch 3 and 7, with `batch` where a dim is the batch, a number where it does
not change, and no entry where some other dim changes with the batch. Every graph is checked
with check_zoo_batch.check_model(); a model whose dynamic export fails or still bakes in batch
1 is exported with a fixed batch of 1 (value_info from ONNX shape inference, as before) and the
reason recorded (README, "Fixed batch"). Models with BatchNorm export in training mode
(BatchNorm kept, no constant folding; StochasticDepth modules set to eval since bernoulli_
does not export, via TrainingMode.PRESERVE); models without it (ViT, Swin, ConvNeXt) export
in EVAL mode with constant folding, as export_torchvision.py does for ViT. Resolution is 224x224
(inception_v3: 299x299); a model that cannot export at 224 is retried at the crop size of
its weights' transforms. Opset 13 is tried first, then 14..17; the one used is recorded.

Each model is exported in its own subprocess (a crash or timeout skips only that model).
Outputs: <out>/<name>.onnx, <out>/manifest.csv, <out>/README.md.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

OPSETS = [13, 14, 15, 16, 17]
# The batch axis is symbolic, as in tools/measure/export_graphs.py: Augur's importer sets every
# dim_param to the batch size it imports at.
DYNAMIC_AXES = {"input": {0: "batch"}, "output": {0: "batch"}}
TIMEOUT_S = 1200
HERE = os.path.dirname(os.path.abspath(__file__))


def _crop_size(weight):
    kw = getattr(weight.transforms, "keywords", {}) or {}
    return kw.get("crop_size")


def _published(name, resolution):
    """The weights entry whose transforms crop at `resolution` (enum order, so
    IMAGENET1K_V1 first), else the enum's first entry."""
    import torchvision
    weights = list(torchvision.models.get_model_weights(name))
    chosen = next((w for w in weights if _crop_size(w) == resolution), weights[0])
    return chosen


def _build(name):
    import torchvision
    tv = torchvision.models
    kwargs = {"weights": None}
    if name in ("googlenet", "inception_v3"):
        kwargs.update(aux_logits=False, init_weights=False)
    if hasattr(tv, "get_model"):
        return tv.get_model(name, **kwargs)
    return tv.__dict__[name](**kwargs)


def _attempt(name, out_dir, res, opset, dynamic, errors):
    """One export of `name` at `res` px and `opset`; saves <out_dir>/<name>.onnx and returns
    the result dict (with the batch check under "check"), or None after appending to `errors`.
    A dynamic graph that fails the batch check is returned but not saved."""
    import onnx
    import torch
    import torchvision
    from onnx import shape_inference
    from batch_shapes import batch_value_info
    from check_zoo_batch import check_model
    from strip_weights import strip_model

    torch.manual_seed(0)
    model = _build(name)
    has_bn = any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in model.modules())
    train_mode = has_bn
    model.train(train_mode)
    if train_mode:
        # Stochastic depth's in-place bernoulli_ does not export: keep it in eval mode
        # (identity) and export with PRESERVE, so BatchNorm and Dropout stay in training
        # mode exactly as with TrainingMode.TRAINING.
        for m in model.modules():
            if type(m).__name__ == "StochasticDepth":
                m.eval()
    params = sum(p.numel() for p in model.parameters())
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 1e-3)
    mode = torch.onnx.TrainingMode.PRESERVE if train_mode else torch.onnx.TrainingMode.EVAL
    example = torch.randn(1, 3, res, res)
    tag = f"{res}px opset {opset}{' dynamic' if dynamic else ' fixed'}"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = os.path.join(tmp, name + ".onnx")
        try:
            # Gradients stay enabled, as in tools/measure/export_graphs.py: under no_grad
            # PyTorch takes its fused transformer fast path, which ONNX cannot express.
            with torch.enable_grad():
                torch.onnx.export(model, example, tmp_path, opset_version=opset,
                                  do_constant_folding=not train_mode, training=mode,
                                  input_names=["input"], output_names=["output"],
                                  dynamic_axes=DYNAMIC_AXES if dynamic else None)
            # Models over 2 GB are written with external data: leave it on disk.
            m = onnx.load(tmp_path, load_external_data=False)
            strip_model(m)
        except Exception as e:  # noqa: BLE001
            msg = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
            errors.append(f"{tag}: {msg[:300]}")
            return None
    # value_info: ONNX's own inference names every dim it cannot resolve (most dims after a
    # Reshape whose target comes from Shape) with a fresh dim_param, which Augur's importer
    # would read as the batch size. Instead write the shapes inferred at two batch sizes, with
    # the dim_param `batch` where the dim is the batch (batch_shapes.batch_value_info).
    # A fixed-batch graph keeps ONNX's inference (at batch 1, as the graph says).
    del m.graph.value_info[:]
    vi_note, varying = None, None
    try:
        if dynamic:
            infos, varying = batch_value_info(m)
            m.graph.value_info.extend(infos)
        else:
            m = shape_inference.infer_shapes(m)
    except Exception as e:  # noqa: BLE001
        vi_note = f"value_info left empty: {type(e).__name__}: {str(e)[:200]}"
    check = check_model(m)
    if dynamic and not check["dynamic"]:
        return {"check": check}
    path = os.path.join(out_dir, name + ".onnx")
    onnx.save(m, path)
    init_elems = 0
    for t in m.graph.initializer:
        if t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16,
                           onnx.TensorProto.DOUBLE):
            n = 1
            for d in t.dims:
                n *= d
            init_elems += n
    w = _published(name, res)
    return {
        "name": name, "ok": True, "file": name + ".onnx", "resolution": res,
        "opset": opset, "mode": "training" if train_mode else "eval",
        "parameters": params, "published_parameters": w.meta.get("num_params"),
        "published_gflops": w.meta.get("_ops"),
        "source": f"torchvision {torchvision.__version__} weights meta "
                  f"{type(w).__name__}.{w.name}",
        "bytes": os.path.getsize(path), "nodes": len(m.graph.node),
        "float_initializer_elements": init_elems, "check": check,
        "value_info": len(m.graph.value_info), "value_info_varying": varying,
        "value_info_note": vi_note,
    }


def export_one(name, out_dir):
    """Runs in a subprocess: export one model, print a JSON result line."""
    sys.dont_write_bytecode = True  # keep tools/onnx free of __pycache__
    sys.path.insert(0, HERE)

    first_res = 299 if name == "inception_v3" else 224
    resolutions = [first_res]
    try:
        crop = _crop_size(_published(name, first_res))
    except Exception:
        crop = None
    if crop and crop not in resolutions:
        resolutions.append(crop)

    errors = []
    # Dynamic batch first; a model whose dynamic export fails everywhere, or whose graph still
    # bakes batch 1 into a shape (check_zoo_batch.check_model), is exported with a fixed batch
    # of 1 instead and the reason recorded.
    fixed_reason = None
    for dynamic in (True, False):
        for res in resolutions:
            for opset in OPSETS:
                r = _attempt(name, out_dir, res, opset, dynamic, errors)
                if r is None:
                    continue
                if dynamic and not r["check"]["dynamic"]:
                    fixed_reason = "; ".join(r["check"]["suspicious"][:3])
                    errors.append(f"{res}px opset {opset} dynamic: batch not dynamic: {fixed_reason}")
                    break
                r.update(errors=errors, dynamic_batch=dynamic,
                         fixed_reason=None if dynamic else
                         (fixed_reason or "dynamic export failed: "
                          + (errors[-1] if errors else "unknown")))
                del r["check"]
                print(json.dumps(r))
                return
            else:
                continue
            break  # a dynamic graph failed the check: go on to the fixed attempts
    print(json.dumps({"name": name, "ok": False, "errors": errors}))


def list_classifiers():
    import torchvision
    tv = torchvision.models
    if hasattr(tv, "list_models"):
        return sorted(tv.list_models(module=tv))
    prefixes = ("alexnet", "convnext_", "densenet", "efficientnet_", "googlenet", "inception_v3",
                "mnasnet", "mobilenet_v2", "mobilenet_v3_", "regnet_", "resnet", "resnext",
                "shufflenet_v2_", "squeezenet", "swin_", "vgg", "vit_", "wide_resnet", "maxvit")
    return sorted(k for k, v in tv.__dict__.items()
                  if callable(v) and not k.startswith("_") and k.islower() and k.startswith(prefixes))


def run_child(name, out_dir):
    cmd = [sys.executable, os.path.abspath(__file__), "--one", name, out_dir]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"name": name, "ok": False, "errors": [f"timed out after {TIMEOUT_S} s"]}
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if lines:
        r = json.loads(lines[-1])
    else:
        tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
        r = {"name": name, "ok": False, "errors": [f"subprocess exit {p.returncode}: {tail[:300]}"]}
    r["seconds"] = round(time.time() - t0, 1)
    return r


def write_manifest(out_dir, results):
    path = os.path.join(out_dir, "manifest.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "file", "resolution", "parameters", "published_parameters",
                    "published_gflops", "source"])
        for r in results:
            if r.get("ok"):
                w.writerow([r["name"], r["file"], r["resolution"], r["parameters"],
                            r["published_parameters"] if r["published_parameters"] is not None else "",
                            r["published_gflops"] if r["published_gflops"] is not None else "",
                            r["source"]])


def write_readme(out_dir, results, all_names):
    import onnx
    import torch
    import torchvision
    ok = [r for r in results if r.get("ok")]
    bad = [r for r in results if not r.get("ok")]
    missing = [n for n in all_names if n not in {r["name"] for r in results}]
    total = sum(r["bytes"] for r in ok)
    big = [r for r in ok if r["bytes"] > 3 * 1024 * 1024]
    mism = [r for r in ok if r["published_parameters"] is not None
            and r["parameters"] != r["published_parameters"]]
    L = []
    L.append("# torchvision classifier zoo (weightless ONNX)\n")
    L.append("Every image classification model that the installed torchvision lists, exported "
             "to ONNX with a symbolic batch dimension and its weights stripped (every initializer keeps "
             "its dims and data type; small integer tensors keep their values). The graphs are not "
             "runnable; they exist so Augur's predictor can be queried on real model structures, at "
             "any batch size (`ONNXImporter.load(path:batchSize:)` sets the `batch` dim).\n")
    L.append("Regenerate (Debian's `python3-torch python3-torchvision python3-onnx`):\n")
    L.append("```\n/usr/bin/python3 tools/onnx/export_zoo.py data/graphs/zoo\n```\n")
    L.append("Check that every graph re-batches (prints, per model, whether the batch is dynamic and any "
             "shape constant or declared shape that bakes in batch 1):\n")
    L.append("```\n/usr/bin/python3 tools/onnx/check_zoo_batch.py data/graphs/zoo\n```\n")
    L.append(f"Versions: torch {torch.__version__}, torchvision {torchvision.__version__}, "
             f"onnx {onnx.__version__}.\n")
    L.append("Conventions (as in `tools/onnx/export_torchvision.py`): models built with "
             "`weights=None` (googlenet and inception_v3 with `aux_logits=False, init_weights=False`), "
             "parameters perturbed by 1e-3 noise so the exporter does not merge equal initializers, "
             "then `strip_weights.strip_model` (for `value_info` see Batch below). Models containing BatchNorm "
             "export in TRAINING mode (BatchNorm nodes kept, no constant folding; Dropout as a "
             "training-mode op; StochasticDepth modules are set to eval, i.e. identity, because "
             "their in-place bernoulli_ does not export); models without BatchNorm (ViT, Swin, "
             "ConvNeXt) export in EVAL mode with constant folding. The example input is 1x3x224x224 "
             "(inception_v3: 1x3x299x299); opset 13 unless the model needed a higher one. "
             "Note: export_torchvision.py exports every non-ViT model in training mode; here the rule is "
             "by BatchNorm, so alexnet, vgg (without _bn), squeezenet, ConvNeXt, Swin and ViT export in "
             "eval mode (no training-mode Dropout nodes).\n")
    L.append("Batch: as in `tools/measure/export_graphs.py`, `torch.onnx.export` gets "
             "`dynamic_axes={\"input\": {0: \"batch\"}, \"output\": {0: \"batch\"}}`, so the graph input is "
             "`batch x 3 x H x W`, the output `batch x 1000`, and reshapes take the batch from `Shape` at run "
             "time instead of a constant 1 (gradients stay enabled during export, as there, so transformers "
             "do not take PyTorch's fused fast path). ONNX's own shape inference is not used for `value_info`: "
             "after such a reshape it names each unresolved dim with a fresh `dim_param`, which Augur's importer "
             "would read as the batch size. Instead `tools/onnx/batch_shapes.py` infers every shape at batch 3 "
             "and at batch 7 (ONNX inference alternated with evaluating the shape arithmetic, Shape/Gather/"
             "Concat/..., in numpy; Einsum outputs, which ONNX 1.12 leaves unknown, from the equation) and "
             "writes `value_info` with the dim_param `batch` where a dim is the batch, "
             "a number where it is the same at both, and no entry for a tensor in which another dim changes "
             "with the batch (e.g. batch x windows in Swin, batch x heads in attention); the importer infers "
             "those itself. Each exported graph passes `tools/onnx/check_zoo_batch.py` (symbolic input and "
             "output batch, no Reshape constant that bakes in batch 1, output `3 x 1000` when inferred at batch "
             "3, every declared shape equal to the inferred one at batch 3), else the model is exported with a "
             "fixed batch of 1 and listed under \"Fixed batch\".\n")
    L.append("`manifest.csv`: `parameters` is the sum of `p.numel()` over the torch model's "
             "parameters; `published_parameters` is `num_params` from torchvision's weights enum meta "
             "(the first weights entry whose transforms crop at the exported resolution, else the "
             "first entry), named in `source`. `published_gflops` is the meta's `_ops` where the "
             "installed torchvision has it, else empty.\n")
    fixed = [r for r in ok if not r.get("dynamic_batch")]
    L.append(f"## Counts\n\n{len(all_names)} classifiers listed, {len(ok)} exported "
             f"({len(ok) - len(fixed)} with a dynamic batch, {len(fixed)} with a fixed batch of 1), "
             f"{len(bad) + len(missing)} skipped. Total size of the .onnx files: "
             f"{total} bytes ({total / 1024 / 1024:.1f} MiB).\n")
    L.append("## Fixed batch\n")
    if fixed:
        for r in fixed:
            L.append(f"- `{r['name']}`: {r.get('fixed_reason') or 'exported before batch-dynamic export'}")
        L.append("")
    else:
        L.append("None: every exported graph has a symbolic batch dimension.\n")
    L.append("## Skipped\n")
    if bad or missing:
        for r in bad:
            tried = sorted({e.split(":")[0] for e in r["errors"]})
            L.append(f"- `{r['name']}`: every attempt failed ({len(tried)}: "
                     f"{', '.join(tried) if len(tried) <= 3 else tried[0] + ' ... ' + tried[-1]}); "
                     f"last error: {r['errors'][-1].split(': ', 1)[-1] if r['errors'] else 'unknown'}")
        for n in missing:
            L.append(f"- `{n}`: not run")
        L.append("")
    else:
        L.append("None.\n")
    L.append("## Files over 3 MiB\n")
    L.append("\n".join(f"- `{r['file']}`: {r['bytes']} bytes" for r in big) + "\n" if big else "None.\n")
    L.append("## Parameter counts that differ from the published figure\n")
    if mism:
        for r in mism:
            note = ""
            if r["name"] == "inception_v3":
                note = " (built with aux_logits=False; the published count includes the AuxLogits head)"
            L.append(f"- `{r['name']}`: {r['parameters']} vs {r['published_parameters']}{note}")
        L.append("")
    else:
        L.append("None.\n")
    L.append("## Models\n")
    L.append("`value_info`: declared shapes written (`+N`: tensors left without one because a dim "
             "other than the batch changes with it).\n")
    L.append("| name | resolution | opset | mode | batch | nodes | value_info | bytes | parameters | published |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in ok:
        vi = r.get("value_info", "")
        if r.get("value_info_varying"):
            vi = f"{vi} +{r['value_info_varying']}"
        L.append(f"| {r['name']} | {r['resolution']} | {r['opset']} | {r['mode']} | "
                 f"{'dynamic' if r.get('dynamic_batch') else 'fixed 1'} | {r['nodes']} | {vi} | "
                 f"{r['bytes']} | {r['parameters']} | {r['published_parameters']} |")
    L.append("")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(L))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        export_one(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("names", nargs="*")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite manifest.csv and README.md from the cache without exporting")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "augur_zoo_results.json"),
                    help="per-model results kept between runs (so a subset can be re-exported)")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    all_names = list_classifiers()
    cache = {}
    if (args.names or args.report_only) and os.path.exists(args.cache):
        with open(args.cache) as f:
            cache = json.load(f)
    for name in [] if args.report_only else (args.names or all_names):
        r = run_child(name, args.out_dir)
        cache[name] = r
        status = f"{r['bytes']} bytes, opset {r['opset']}, {r['resolution']}px" if r.get("ok") \
            else "SKIPPED " + (r["errors"][-1] if r["errors"] else "")
        print(f"{name}: {status} ({r.get('seconds')} s)", flush=True)
        with open(args.cache, "w") as f:
            json.dump(cache, f, indent=1)
    results = [cache[n] for n in all_names if n in cache]
    write_manifest(args.out_dir, results)
    write_readme(args.out_dir, results, all_names)


if __name__ == "__main__":
    main()
