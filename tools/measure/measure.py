#!/usr/bin/env python3
"""Augur's measurement harness: times real DL models on this machine, resumably.

For each configuration (configs.py) and device setting it records the training step (forward,
backward, optimizer step) and inference: median wall time of repeated runs after warm-up, with
its spread, peak memory, and failures as outcomes. See tools/measure/README.md.
"""
import argparse
import csv
import datetime
import io
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import configs  # noqa: E402

COLUMNS = [
    "config_id", "family", "model", "batch_size", "resolution", "width", "depth", "hidden", "layers", "seq_len", "patch",
    "mode", "device", "threads", "precision", "status", "median_ms", "p10_ms", "p90_ms", "min_ms", "runs",
    "peak_rss_mib", "framework_peak_mib", "param_count", "forward_gmacs", "torch_version", "torchvision_version",
    "measured_at", "error",
]


def read_done(path):
    """Keys (config_id, mode, device, threads) already in the results file. A last line cut by an
    interruption (no newline) is dropped and rewritten, so rows are never lost or duplicated."""
    done = set()
    if not os.path.exists(path):
        return done
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with open(path, "r+b") as f:
            f.truncate(cut)
        data = data[:cut]
    text = data.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames and reader.fieldnames != COLUMNS:
        raise SystemExit(f"{path}:1: header does not match the harness's columns; refusing to append")
    for row in reader:
        done.add((row["config_id"], row["mode"], row["device"], row["threads"]))
    return done


def append_row(path, row):
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        if new:
            w.writeheader()
        w.writerow(row)
        f.flush()
        os.fsync(f.fileno())


def reset_peak_rss():
    """Resets the kernel's peak-RSS mark (VmHWM) of this process (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def framework_peak_mib(step, torch):
    """Peak of PyTorch's CPU allocations during one step, from the profiler's memory events."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        step()
    events = sorted(prof.events(), key=lambda e: e.time_range.start)
    current = peak = 0
    for e in events:
        current += e.self_cpu_memory_usage
        peak = max(peak, current)
    return peak / 2**20


def time_runs(step, warmup, min_runs, min_seconds, max_runs):
    for _ in range(warmup):
        step()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < min_seconds and len(times) < max_runs):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def base_row(c, mode, threads, device, torch, torchvision):
    row = {k: "" for k in COLUMNS}
    row.update({
        "config_id": c["id"], "family": c["family"], "model": c["model"], "batch_size": c["batch"],
        "resolution": c.get("resolution", ""), "width": c.get("width", ""), "depth": c.get("depth", ""),
        "hidden": c.get("hidden", ""), "layers": c.get("layers", ""), "seq_len": c.get("seq", ""), "patch": c.get("patch", ""),
        "mode": mode, "device": device, "threads": threads, "precision": "fp32",
        "torch_version": torch.__version__, "torchvision_version": torchvision.__version__,
        "measured_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    return row


def failure(row, e):
    """A configuration that does not build or run is an outcome, not a crash."""
    text = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
    oom = isinstance(e, MemoryError) or "out of memory" in str(e).lower() or "can't allocate memory" in str(e).lower()
    row.update({"status": "oom" if oom else "error", "error": f"{type(e).__name__}: {text}"})
    return row


def measure_config(c, todo, device, args, torch, torchvision, models):
    """Measures one configuration in every (mode, threads) of `todo`; yields one row each.
    The model is built once; each mode gets a fresh copy of it and its optimizer."""
    try:
        model, x, loss_fn = models.build(c)
        params = sum(p.numel() for p in model.parameters())
        gmacs = f"{models.count_macs(model, x) / 1e9:.6f}"
    except Exception as e:  # noqa: BLE001
        for mode, t in todo:
            yield failure(base_row(c, mode, t, device, torch, torchvision), e)
        return
    for mode, threads in todo:
        torch.set_num_threads(threads)
        row = base_row(c, mode, threads, device, torch, torchvision)
        row["param_count"] = params
        row["forward_gmacs"] = gmacs
        try:
            if mode == "train":
                model.train()
                opt = torch.optim.Adam(model.parameters(), lr=1e-4)

                def step():
                    opt.zero_grad(set_to_none=True)
                    loss_fn(model(x)).backward()
                    opt.step()
            else:
                model.eval()

                def step():
                    with torch.no_grad():
                        model(x)
            reset_peak_rss()
            times = sorted(time_runs(step, args.warmup, args.runs, args.min_seconds, args.max_runs))
            row["peak_rss_mib"] = f"{peak_rss_mib():.1f}"
            row["framework_peak_mib"] = f"{framework_peak_mib(step, torch):.1f}"
            row.update({"status": "ok", "median_ms": f"{statistics.median(times):.4f}", "p10_ms": f"{percentile(times, 0.1):.4f}",
                        "p90_ms": f"{percentile(times, 0.9):.4f}", "min_ms": f"{times[0]:.4f}", "runs": len(times)})
        except Exception as e:  # noqa: BLE001
            failure(row, e)
        yield row


def default_device():
    vendor = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    vendor = line.split(":")[1].strip()
                    break
    except OSError:
        pass
    return "xeon-emerald-rapids-2vcpu" if vendor == "GenuineIntel" else "epyc-9004-zen4-2vcpu"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--device", default="cpu", choices=["cpu"], help="what to measure on (this harness: the CPU)")
    p.add_argument("--device-name", default=None, help="catalog name of the device (default: detected)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts, one device setting each")
    p.add_argument("--modes", default="infer,train")
    p.add_argument("--limit", type=int, default=None, help="measure at most N new configurations, then stop")
    p.add_argument("--configs", default=None, help="comma-separated config ids (default: the seeded order of all)")
    p.add_argument("--out", default="data/measurements/cpu.csv")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--runs", type=int, default=10, help="at least this many timed runs")
    p.add_argument("--min-seconds", type=float, default=0.2, help="keep timing until this long (up to --max-runs)")
    p.add_argument("--max-runs", type=int, default=50)
    p.add_argument("--list", action="store_true", help="print the configuration space size and exit")
    p.add_argument("--remeasure", type=float, default=None, metavar="FRACTION",
                   help="re-measure a seeded random FRACTION of the configurations already in --out into this file "
                        "(for the noise floor), e.g. --remeasure 0.1 --out data/measurements/cpu-remeasure.csv --from data/measurements/cpu.csv")
    p.add_argument("--from", dest="source", default=None, help="results file whose configurations --remeasure samples")
    args = p.parse_args(argv)

    space = configs.ordered_configs()
    if args.list:
        print(f"{len(space)} configurations")
        return 0
    import torch
    import torchvision
    import models
    device = args.device_name or default_device()
    threads = [int(t) for t in args.threads.split(",")]
    modes = args.modes.split(",")
    if args.configs:
        wanted = set(args.configs.split(","))
        space = [c for c in space if c["id"] in wanted]
    if args.remeasure is not None:
        if not args.source:
            raise SystemExit("--remeasure needs --from RESULTS.csv")
        measured_ids = sorted({k[0] for k in read_done(args.source)})
        import random
        sample = set(random.Random(1).sample(measured_ids, max(1, int(len(measured_ids) * args.remeasure))))
        space = [c for c in space if c["id"] in sample]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    done = read_done(args.out)
    measured = 0
    started = time.time()
    for c in space:
        todo = [(m, t) for t in threads for m in modes if (c["id"], m, device, str(t)) not in done]
        if not todo:
            continue
        if args.limit is not None and measured >= args.limit:
            break
        for row in measure_config(c, todo, device, args, torch, torchvision, models):
            append_row(args.out, row)
        measured += 1
        print(f"\r{measured} configurations measured ({c['id']}), {time.time() - started:.0f} s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"measured {measured} configuration(s) into {args.out} on {device} ({platform.processor() or platform.machine()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
