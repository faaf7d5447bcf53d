#!/usr/bin/env python3
"""Summarize `augur eval --rows FILE` by family (and optionally device or precision).

Usage: python3 tools/analysis/rows_by_family.py ROWS.csv [--by family,precision] [--device NAME]

Prints, per group: the number of rows, MAPE %, median APE %, the median of predicted/measured
and the median of measured/prior (how far the measurement sits from the analytic prior).
"""
import argparse
import statistics
import sys
from collections import defaultdict

import eval_rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows")
    ap.add_argument("--by", default="family", help="comma-separated columns to group by (default: family)")
    ap.add_argument("--device", help="only rows on this device")
    args = ap.parse_args()
    keys = args.by.split(",")
    try:
        rows, skipped = eval_rows.read(args.rows, keys, ["measured_ms", "predicted_ms", "prior_ms"])
    except eval_rows.RowsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    groups = defaultdict(list)
    for row, (m, p, q) in rows:
        if args.device and row.get("device") != args.device:
            continue
        groups[tuple(row[k] for k in keys)].append((abs(p - m) / m * 100, p / m, m / q))
    print(f"| {' | '.join(keys)} | n | MAPE % | median APE % | median predicted/measured | median measured/prior |")
    print("|" + "---|" * len(keys) + "---:|---:|---:|---:|---:|")
    for k in sorted(groups):
        v = groups[k]
        print(f"| {' | '.join(k)} | {len(v)} | {statistics.mean(a for a, _, _ in v):.1f} | "
              f"{statistics.median(a for a, _, _ in v):.1f} | {statistics.median(b for _, b, _ in v):.2f} | "
              f"{statistics.median(c for _, _, c in v):.2f} |")
    skipped = [r for r in skipped if not args.device or r.get("device") == args.device]
    if skipped:
        print(f"skipped rows without a positive measured, predicted and prior time: {len(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
