#!/usr/bin/env python3
"""List measured labels far from their family's efficiency: a check of training data by physics.

Reads the CSV of `augur eval --rows` (one row per sample: model, family, device, batch, mode,
precision, measured_ms, predicted_ms, prior_ms, ...). For each (family, precision) it takes the
median of ln(measured / prior), the analytic prior being the roofline with launch overheads, and
prints the rows whose own ratio lies more than a factor `--factor` (default 3) from that median,
grouped by (model, device, batch, precision). A label several times *faster* than its family's
other GPUs relative to the same physics usually is not one GPU's time (the GPU training
throughput table's Transformer-XL rows from multi-GPU folders were found this way); several
times slower, a run that was input-bound or broken.

  augur eval --model models/default --data gpu-throughput --rows rows.csv
  python3 tools/analysis/label_outliers.py rows.csv [--factor 3]
"""
import csv
import math
import statistics
import sys
from collections import defaultdict


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    path, factor = argv[1], 3.0
    if "--factor" in argv:
        try:
            factor = float(argv[argv.index("--factor") + 1])
        except (IndexError, ValueError):
            print("label_outliers.py: --factor needs a number above 1", file=sys.stderr)
            return 2
        if not factor > 1:
            print("label_outliers.py: --factor needs a number above 1", file=sys.stderr)
            return 2
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        print(f"label_outliers.py: {path}: {e.strerror}", file=sys.stderr)
        return 2
    missing = {"family", "model", "device", "batch", "precision", "measured_ms", "prior_ms"} - set(rows[0].keys() if rows else [])
    if missing:
        print(f"label_outliers.py: {path}: missing columns {', '.join(sorted(missing))} (expected `augur eval --rows` output)", file=sys.stderr)
        return 2
    ratios = []
    skipped = 0
    for r in rows:
        try:
            m, p = float(r["measured_ms"]), float(r["prior_ms"])
        except ValueError:
            skipped += 1
            continue
        if m > 0 and p > 0 and math.isfinite(m) and math.isfinite(p):
            ratios.append((r, math.log(m / p)))
        else:
            skipped += 1
    by_family = defaultdict(list)
    for r, x in ratios:
        by_family[(r["family"], r["precision"])].append(x)
    median = {k: statistics.median(v) for k, v in by_family.items()}
    groups = defaultdict(list)
    for r, x in ratios:
        d = x - median[(r["family"], r["precision"])]
        if abs(d) > math.log(factor):
            groups[(r["family"], r["model"], r["device"], r["batch"], r["precision"])].append(d)
    print(f"{len(ratios)} rows with a measured time and a prior ({skipped} without); "
          f"{sum(len(v) for v in groups.values())} lie more than {factor:g}x from their family's median measured/prior")
    print("| family | model | device | batch | precision | rows | measured/prior over the family's |")
    print("|---|---|---|---:|---|---:|---:|")
    for key, ds in sorted(groups.items(), key=lambda kv: statistics.median(kv[1])):
        print("| " + " | ".join(key) + f" | {len(ds)} | {math.exp(statistics.median(ds)):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
