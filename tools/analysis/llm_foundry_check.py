#!/usr/bin/env python3
"""Check Augur's single-GPU decoder answers against llm-foundry's measured MPT training runs.

The GPU training throughput table's llm-foundry rows ran MPT models data-parallel (FSDP) on 8 to
512 GPUs; no Augur model is trained on them. Each GPU runs the whole model on its micro-batch,
so the time of one micro-batch is at least the single-GPU compute time; FSDP's communication
mostly overlaps it. So Augur's single-GPU answer for (model, sequence, micro-batch) should sit
at or somewhat below the measured time per micro-batch.

  python3 tools/analysis/llm_foundry_check.py queries THROUGHPUT.csv > q.csv
  augur predict --queries q.csv --out a.csv
  python3 tools/analysis/llm_foundry_check.py compare q.csv a.csv

`queries THROUGHPUT.csv --with-checkpointing` also writes the rows run with activation
checkpointing; `compare` summarizes them apart (Augur does not model the recomputed forward pass).

The time of one micro-batch is the step's time (`ms_per_iteration`) over `grad_accum`.
Rows kept: BF16 (AMP or pure), no activation checkpointing (it recomputes the forward pass), a
GPU in Augur's catalog. `compare` prints, per model and GPU, the median of predicted/measured.
"""
import csv
import re
import statistics
import sys
from collections import defaultdict

GPUS = {"H100-SXM5-80GB": "h100-sxm-80gb", "A100-SXM4-80GB": "a100-sxm4-80gb", "A100-SXM4-40GB": "a100-sxm4-40gb"}


def queries(path: str, with_checkpointing: bool = False) -> int:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["graph", "device", "batch", "mode", "precision", "measured_ms", "gpus", "row", "checkpointed"])
    skipped = defaultdict(int)
    with open(path, newline="") as f:
        for n, r in enumerate(csv.DictReader(f), start=2):
            if r.get("suite") != "llm-foundry":
                continue
            config = r.get("model_config", "")
            seq = re.search(r"seq_len (\d+)", config)
            accum = re.search(r"grad_accum=(\d+)", config)
            micro = re.search(r"micro_batch=(\d+)", config)
            if not r.get("precision", "").startswith("bf16"):
                skipped["not bf16"] += 1
                continue
            checkpointed = "activation_checkpointing=True" in config
            if checkpointed and not with_checkpointing:
                skipped["activation checkpointing"] += 1
                continue
            device = GPUS.get(r.get("gpu_model", ""))
            if device is None or seq is None or accum is None or micro is None:
                skipped["GPU not mapped or config without seq_len/micro_batch/grad_accum"] += 1
                continue
            try:
                # batch_size_per_gpu is micro_batch × grad_accum; one micro-batch is one pass.
                ms = float(r["ms_per_iteration"]) / int(accum.group(1))
                batch = int(micro.group(1))
            except (KeyError, ValueError):
                skipped["unparsable time or batch"] += 1
                continue
            out.writerow([f"{r['model']}-s{seq.group(1)}", device, batch, "train", "bf16", f"{ms:.4f}", r["gpu_count"], n,
                          "yes" if checkpointed else "no"])
    for why, count in sorted(skipped.items()):
        print(f"skipped {count} rows: {why}", file=sys.stderr)
    return 0


def compare(qpath: str, apath: str) -> int:
    with open(qpath, newline="") as f:
        q = list(csv.DictReader(f))
    with open(apath, newline="") as f:
        a = list(csv.DictReader(f))
    if len(q) != len(a):
        print(f"error: {qpath} has {len(q)} rows, {apath} {len(a)}", file=sys.stderr)
        return 2
    groups = defaultdict(list)
    unanswered = 0
    inside = 0
    checkpointed = []
    for x, y in zip(q, a):
        if not y.get("time_ms"):
            unanswered += 1
            continue
        if y.get("time_lower_ms") and y.get("time_upper_ms") and x.get("checkpointed") != "yes":
            inside += float(y["time_lower_ms"]) <= float(x["measured_ms"]) <= float(y["time_upper_ms"])
        model = x["graph"].rsplit("-s", 1)[0]
        if x.get("checkpointed") == "yes":
            # Augur predicts training without recomputation; checkpointing runs the forward
            # pass again, so these rows are summarized apart.
            checkpointed.append(float(y["time_ms"]) / float(x["measured_ms"]))
            continue
        groups[(model, x["device"])].append(float(y["time_ms"]) / float(x["measured_ms"]))
    everything = [v for vs in groups.values() for v in vs]
    print("| model | GPU | rows | median predicted/measured | range |")
    print("|---|---|---:|---:|---|")
    def size(model: str) -> float:  # mpt-125m → 0.125, mpt-7b → 7 (billions of parameters)
        n = model.split("-")[1]
        return float(n[:-1]) / (1000 if n.endswith("m") else 1)

    for k in sorted(groups, key=lambda k: (k[1], size(k[0]))):
        v = groups[k]
        print(f"| {k[0]} | {k[1]} | {len(v)} | {statistics.median(v):.2f} | {min(v):.2f}–{max(v):.2f} |")
    if everything:
        print(f"all {len(everything)} rows: median predicted/measured {statistics.median(everything):.2f}; "
              f"{sum(1 for v in everything if v > 1)} above 1 (a single GPU predicted slower than the measured data-parallel step); "
              f"the measurement inside the 90% interval in {inside} ({100 * inside / len(everything):.1f}%)")
    if checkpointed:
        print(f"{len(checkpointed)} rows with activation checkpointing (the forward pass run twice, which Augur does not "
              f"model): median predicted/measured {statistics.median(checkpointed):.2f} "
              f"(range {min(checkpointed):.2f}–{max(checkpointed):.2f})")
    if unanswered:
        print(f"unanswered rows: {unanswered}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "queries":
        sys.exit(queries(sys.argv[2]))
    if len(sys.argv) == 4 and sys.argv[1] == "queries" and sys.argv[3] == "--with-checkpointing":
        sys.exit(queries(sys.argv[2], with_checkpointing=True))
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
