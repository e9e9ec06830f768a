"""Throughput and memory of a streamed run on each executor: serial, process and Dask.

    python benchmarks/scale.py                          # both parts below, sizes 10k, 100k and 1M
    python benchmarks/scale.py --part throughput --n 20000
    python benchmarks/scale.py --part memory --sizes 10000,100000
    python benchmarks/scale.py --part statistics --sizes 100000,1000000

The job is the one the issue names: short news-like examples (five sentences
of about ten words; one or two references of two sentences), the `lead`
summarizer, and rouge1/rouge2/rougeL with stemming.

throughput: the same examples through serial, process and Dask (a local
    cluster) with 1 and 2 workers, in this process, one after another; prints
    examples per second (start-up of the pool or cluster included) and the
    ratio to serial, and checks that every executor wrote the same bytes.
    "start + stop" is an empty run: a local Dask cluster's cost; the process
    pool forks its workers only when the first batch is sent, so its (small)
    start-up is inside the run's seconds.
memory: runs of 10,000, 100,000 and 1,000,000 examples, each in a fresh
    child process with the default executor (`auto`: process on every core),
    reading the examples from a JSONL file as a stream; prints the peak RSS of
    the driver (during the run, and after the report) and of the largest
    worker, and the seconds of the final statistics pass. Flat memory means
    the driver keeps nothing per example (the statistics stream the F values
    back from the part files; id hashes spill to bucket files) and the
    workers only their batch.

statistics: the final statistics pass alone (`harness.aggregate.Statistics`:
    exact means, 1,000-resample bootstrap intervals, and for two systems both
    paired tests) on random F values fed in batches of 256, as the runner
    reads them back from the parts; prints seconds and the pass's peak of
    traced memory, which must not grow with n.

The machine's load average is printed with the figures: on a shared machine
the throughput ratios are only as good as the idle cores, so the CPU time
per example (driver and workers together) is printed too: it shows what
each executor costs over serial whatever else the machine is doing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYSTEMS = ["lead"]
TYPES = ("rouge1", "rouge2", "rougeL")


def write_data(path: Path, n: int, seed: int = 0) -> Path:
    """`n` short examples as JSONL `{"id", "source", "references"}`."""
    from harness.scoring.synthetic import write_news_jsonl

    return write_news_jsonl(path, n, seed)


def read_examples(path: Path, limit: int | None = None):
    """Stream examples from the JSONL file: through `harness.loaders.stream` where it exists."""
    from harness import loaders
    from harness.data import Example, Reference

    if limit is None and hasattr(loaders, "stream"):
        yield from loaders.stream(str(path))
        return
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            r = json.loads(line)
            yield Example(r["id"], r["source"], [Reference(t) for t in r["references"]])


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for name in ("summaries.jsonl", "scores.jsonl", "summary.json"):
        with open(folder / name, "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
    return h.hexdigest()


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pool and cluster workers, once joined)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def throughput(n: int, tmp: Path, batch_size: int | None) -> None:
    import harness

    data = write_data(tmp / "throughput.jsonl", n)
    config = harness.ScoreConfig(rouge_types=TYPES)
    print(f"## throughput: {n:,} short examples, {'+'.join(SYSTEMS)} x {'/'.join(TYPES)}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| executor | workers | seconds | examples/s | vs serial | start + stop (s) | CPU ms per example (all processes) |")
    print("|---|---|---|---|---|---|---|")
    runs = [("serial", 1), ("process", 1), ("process", 2), ("dask", 1), ("dask", 2)]
    base, digests = None, set()
    for name, workers in runs:
        out = tmp / f"run-{name}-{workers}"
        t0 = time.perf_counter()  # the executor alone: an empty run starts and stops the pool or cluster
        harness.run([], SYSTEMS, config, out=tmp / f"empty-{name}-{workers}", executor=name, workers=workers)
        startup = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), cpu_seconds()
        harness.run(read_examples(data), SYSTEMS, config, out=out, executor=name, workers=workers,
                    batch_size=batch_size)
        dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        rate = n / dt
        base = base or rate
        digests.add(digest(out))
        print(f"| {name} | {workers} | {dt:.1f} | {rate:,.0f} | {rate / base:.2f}x | {startup:.1f} | {1000 * cpu / n:.2f} |",
              flush=True)
    print(f"\nidentical summaries.jsonl, scores.jsonl and summary.json on every executor: {len(digests) == 1}\n")
    if len(digests) != 1:
        sys.exit("executors disagree")


def child(n: int, data: Path, out: Path, executor: str, workers: int | None, batch_size: int | None) -> None:
    """One measured run, alone in this process: prints a JSON line of its figures.

    What `harness.run` does, in its two phases, so that each has its own peak
    RSS: the run (`harness.runner.execute`: summarize, score, join the parts,
    the statistics pass) and then the report (tables and plots, from
    summary.json and scores.jsonl).
    """
    import harness
    from harness.report import write_report
    from harness.run_folder import RunRows
    from harness.runner import execute

    config = harness.ScoreConfig(rouge_types=TYPES)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    outcome = execute(read_examples(data, limit=n), SYSTEMS, config, out, executor=executor, workers=workers,
                      batch_size=batch_size, extra_config={"summarizers": SYSTEMS, "upper_bound": []})
    dt = time.perf_counter() - t0
    run_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert outcome.summary["config"]["n_examples"] == n
    t1 = time.perf_counter()
    write_report(out, outcome.summary, RunRows(out / "scores.jsonl"))
    report_seconds = time.perf_counter() - t1
    print(json.dumps({"n": n, "seconds": dt, "import_rss_mb": base / 1024, "driver_rss_mb": run_rss / 1024,
                      "statistics_seconds": outcome.seconds["statistics"], "join_seconds": outcome.seconds["join"],
                      "report_seconds": report_seconds,
                      "report_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                      "output_mb": sum(p.stat().st_size for p in out.iterdir() if p.is_file()) / 2**20}))


def memory(sizes: list[int], tmp: Path, executor: str, workers: int | None, batch_size: int | None) -> None:
    data = tmp / "memory.jsonl"
    t0 = time.perf_counter()
    write_data(data, max(sizes))
    print(f"## memory: streamed runs, executor {executor}, {os.cpu_count()} cores "
          f"(data: {data.stat().st_size / 2**20:,.0f} MB of JSONL written in {time.perf_counter() - t0:.0f} s)\n")
    print("| examples | seconds | examples/s | driver peak RSS, run (MB) | of which at import "
          "| statistics pass (s) | largest worker peak RSS (MB) | run folder (MB) "
          "| then the report: seconds, driver peak RSS (MB) | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        out = tmp / f"mem-{n}"
        cmd = [sys.executable, __file__, "--child", str(n), "--data", str(data), "--out", str(out),
               "--executor", executor] + (["--workers", str(workers)] if workers else []) + \
              (["--batch-size", str(batch_size)] if batch_size else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f"run of {n} failed:\n{proc.stderr}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"| {n:,} | {r['seconds']:.0f} | {n / r['seconds']:,.0f} | {r['driver_rss_mb']:.1f} "
              f"| {r['import_rss_mb']:.1f} | {r['statistics_seconds']:.1f} | {r['worker_rss_mb']:.0f} "
              f"| {r['output_mb']:,.0f} | {r['report_seconds']:.0f}, {r['report_rss_mb']:.0f} "
              f"| {os.getloadavg()[0]:.1f} |", flush=True)
        shutil.rmtree(out)


def statistics(sizes: list[int]) -> None:
    import tracemalloc

    import numpy as np

    from harness.aggregate import Column, Statistics

    print(f"## the statistics pass: 1,000 resamples, batches of 256, load average {os.getloadavg()[0]:.1f}\n")
    print("| examples | systems x ROUGE types | paired tests | seconds | CPU seconds | peak traced memory (MB) |")
    print("|---|---|---|---|---|---|")
    rng = np.random.default_rng(0)

    def one_pass(keys, n, block):
        acc = Statistics(keys, n, n_resamples=1000, seed=12345, baseline="lead")
        for start in range(0, n, 256):
            acc.add(block[:min(256, n - start)])
        acc.result({k: Column(np.zeros(0), 0.0, 0.0) for k in keys})

    for n in sizes:
        for systems in (["lead"], ["lead", "other"]):
            keys = [(s, t) for s in systems for t in TYPES]
            block = rng.random((256, len(keys)))
            t0, c0 = time.perf_counter(), time.process_time()
            one_pass(keys, n, block)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            tracemalloc.start()  # a second pass for the memory: tracing slows allocations down
            one_pass(keys, n, block)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"| {n:,} | {len(systems)} x {len(TYPES)} | {len(TYPES) * (len(systems) - 1)} | {dt:.1f} | {cpu:.1f} "
                  f"| {peak / 2**20:.1f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["all", "throughput", "memory", "statistics"], default="all")
    ap.add_argument("--n", type=int, default=20000, help="examples for the throughput part (default: %(default)s)")
    ap.add_argument("--sizes", default="10000,100000,1000000", help="examples per memory run")
    ap.add_argument("--executor", default="auto", help="executor of the memory runs (default: %(default)s)")
    ap.add_argument("--workers", type=int)
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--tmp", help="folder for data and runs (default: a temporary one)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, Path(args.data), Path(args.out), args.executor, args.workers, args.batch_size)
        return
    with tempfile.TemporaryDirectory(prefix="harness-scale-", dir=args.tmp) as tmp:
        if args.part in ("all", "throughput"):
            throughput(args.n, Path(tmp), args.batch_size)
        if args.part == "statistics":
            statistics([int(s) for s in args.sizes.split(",")])
        if args.part in ("all", "memory"):
            memory([int(s) for s in args.sizes.split(",")], Path(tmp), args.executor, args.workers, args.batch_size)


if __name__ == "__main__":
    main()
