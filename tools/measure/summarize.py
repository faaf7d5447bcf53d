#!/usr/bin/env python3
"""Summaries of a measurement file: counts per family and outcome, and the noise floor against a
re-measurement (median relative difference of the median time and of peak RSS, per mode and
thread count). Prints Markdown tables for data/measurements/README.md."""
import argparse
import collections
import csv
import statistics
import sys


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("results")
    p.add_argument("--remeasure", default=None)
    args = p.parse_args(argv)
    data = rows(args.results)
    configs = {r["config_id"] for r in data}
    print(f"{len(data)} rows, {len(configs)} configurations, device settings: "
          + ", ".join(sorted({r['device'] + '@' + r['threads'] for r in data})))
    print()
    print("| family | configurations | rows ok | oom | error | median ms (infer, 1 thread) |")
    print("|---|---|---|---|---|---|")
    by_family = collections.defaultdict(list)
    for r in data:
        by_family[r["family"]].append(r)
    for family in sorted(by_family):
        rs = by_family[family]
        status = collections.Counter(r["status"] for r in rs)
        infer = [float(r["median_ms"]) for r in rs if r["status"] == "ok" and r["mode"] == "infer" and r["threads"] == "1"]
        med = f"{statistics.median(infer):.1f}" if infer else "—"
        print(f"| {family} | {len({r['config_id'] for r in rs})} | {status['ok']} | {status['oom']} | {status['error']} | {med} |")
    ok = [float(r["median_ms"]) for r in data if r["status"] == "ok"]
    if ok:
        under = sum(1 for t in ok if t < 100) / len(ok)
        print(f"\n{under:.1%} of the {len(ok)} measured rows take under 100 ms per iteration.")
    if args.remeasure:
        again = {(r["config_id"], r["mode"], r["device"], r["threads"]): r for r in rows(args.remeasure) if r["status"] == "ok"}
        print("\n| mode | threads | pairs | median rel. diff. of time | median rel. diff. of peak RSS |")
        print("|---|---|---|---|---|")
        groups = collections.defaultdict(lambda: ([], []))
        for r in data:
            k = (r["config_id"], r["mode"], r["device"], r["threads"])
            if r["status"] != "ok" or k not in again:
                continue
            a, b = float(r["median_ms"]), float(again[k]["median_ms"])
            ra, rb = float(r["peak_rss_mib"]), float(again[k]["peak_rss_mib"])
            g = groups[(r["mode"], r["threads"])]
            g[0].append(abs(a - b) / a)
            g[1].append(abs(ra - rb) / ra)
        all_t, all_m = [], []
        for (mode, threads) in sorted(groups):
            t, m = groups[(mode, threads)]
            all_t += t
            all_m += m
            print(f"| {mode} | {threads} | {len(t)} | {statistics.median(t):.1%} | {statistics.median(m):.1%} |")
        if all_t:
            print(f"| all | | {len(all_t)} | {statistics.median(all_t):.1%} | {statistics.median(all_m):.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
