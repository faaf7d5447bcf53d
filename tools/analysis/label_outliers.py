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
import argparse
import math
import statistics
import sys
from collections import defaultdict

import eval_rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows")
    ap.add_argument("--factor", type=float, default=3.0, help="how far from the family's median to list (default 3)")
    args = ap.parse_args()
    if not args.factor > 1:
        ap.error("--factor needs a number above 1")
    try:
        rows, skipped = eval_rows.read(args.rows, ["family", "model", "device", "batch", "precision"], ["measured_ms", "prior_ms"])
    except eval_rows.RowsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    ratios = [(row, math.log(m / p)) for row, (m, p) in rows]
    by_family = defaultdict(list)
    for row, x in ratios:
        by_family[(row["family"], row["precision"])].append(x)
    median = {k: statistics.median(v) for k, v in by_family.items()}
    groups = defaultdict(list)
    for row, x in ratios:
        d = x - median[(row["family"], row["precision"])]
        if abs(d) > math.log(args.factor):
            groups[(row["family"], row["model"], row["device"], row["batch"], row["precision"])].append(d)
    print(f"{len(ratios)} rows with a measured time and a prior ({len(skipped)} without); "
          f"{sum(len(v) for v in groups.values())} lie more than {args.factor:g}x from their family's median measured/prior")
    print("| family | model | device | batch | precision | rows | measured/prior over the family's |")
    print("|---|---|---|---:|---|---:|---:|")
    for key, ds in sorted(groups.items(), key=lambda kv: statistics.median(kv[1])):
        print("| " + " | ".join(key) + f" | {len(ds)} | {math.exp(statistics.median(ds)):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
