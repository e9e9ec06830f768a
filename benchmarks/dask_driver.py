"""What the driver of a Dask run costs per example: it should only coordinate.

    python benchmarks/dask_driver.py                        # 20,000 and 200,000 examples
    python benchmarks/dask_driver.py --sizes 2000000 --cli-only   # once: about 20 minutes on 2 cores

An external cluster is started for the measurement, as a user's would be: a
`dask scheduler` and two `dask worker --nthreads 1 --no-nanny` processes (the
venv's own `dask` command). Then, for each size, short synthetic news-like
examples (`harness.scoring.synthetic`: five sentences of source, one or two
references) are written to a JSON Lines file and two commands run against the
cluster, each in a fresh process:

    harness run --data DATA --summarizers lead --rouge-types rouge1,rouge2,rougeL
        --scheduler ADDRESS --batch-size B --no-cache --no-explorer --quiet --out OUT

    the same run with the examples sent by the driver (the data handed over
    as a plain iterable, so that it cannot be cut into shards: what every run
    on Dask did before), through `harness.runner.execute`

and "run only" is the first again through `harness.runner.execute`, without
the report stage (tables and plots, which read scores.jsonl on the driver).
Every process runs the harness of this tree (PYTHONPATH).
For each the benchmark prints the driver's CPU seconds per example (user +
system of that process, from `os.wait4`), wall seconds, the driver's peak
RSS, and the workers' peak RSS and CPU over the run (from /proc). It checks
that the sharded and the sent runs wrote the same summaries.jsonl,
scores.jsonl and summary.json. With two sizes or more it prints the slope:
driver CPU per additional example, without the fixed start-up (imports,
joining the cluster), which a short run cannot amortize.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
# every process of the measurement (scheduler, workers, driver) runs this tree's harness
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
TYPES = "rouge1,rouge2,rougeL"

# the run without the report, in a fresh process: `sent` hands the driver a stream it cannot cut
EXECUTE = """
import sys
import harness
from harness.loaders import stream
from harness.runner import execute
data, out, scheduler, batch_size, sent = sys.argv[1:6]
examples = stream(data)
if sent == "1":
    examples.shard_plan = None  # the examples are read here and sent to the workers
config = harness.ScoreConfig(rouge_types=("rouge1", "rouge2", "rougeL"), cache=False)
execute(examples, ["lead"], config, out, scheduler=scheduler, batch_size=int(batch_size),
        extra_config={"summarizers": ["lead"], "upper_bound": []})
"""


def start_cluster(tmp: Path) -> tuple[str, list[subprocess.Popen]]:
    info = tmp / "scheduler.json"
    env = ENV
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--scheduler-file", str(info), "--port", "0",
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]
    deadline = time.monotonic() + 60
    while not info.is_file():
        if time.monotonic() > deadline:
            sys.exit("the dask scheduler did not start within 60 s")
        time.sleep(0.2)
    for _ in range(2):
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(info), "--nthreads", "1",
                                       "--no-nanny", "--no-dashboard", "--memory-limit", "0"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp))
    address = json.loads(info.read_text())["address"]
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    return address, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def proc_status(pid: int) -> tuple[float, float]:
    """(peak RSS in MB, CPU seconds) of a live process, from /proc."""
    hwm = 0.0
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return hwm, (int(fields[11]) + int(fields[12])) / tick


def measure(cmd: list[str], workers: list[subprocess.Popen]) -> dict:
    """Run `cmd` alone in a fresh process: its CPU, wall time and peak RSS, and the workers' CPU over it."""
    before = [proc_status(w.pid)[1] for w in workers]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read()}")
    after = [proc_status(w.pid) for w in workers]
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "rss": usage.ru_maxrss / 1024,
            "worker_rss": max(a[0] for a in after), "worker_cpu": sum(a[1] - b for a, b in zip(after, before))}


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for name in ("summaries.jsonl", "scores.jsonl", "summary.json"):
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20000,200000", help="comma-separated numbers of examples")
    ap.add_argument("--batch-size", type=int, default=4096, help="examples per task (default: %(default)s)")
    ap.add_argument("--no-sent", action="store_true", help="skip the run that sends the examples (the old way)")
    ap.add_argument("--cli-only", action="store_true", help="only `harness run` (for a long run: 2,000,000)")
    args = ap.parse_args()
    from harness.scoring.synthetic import write_news_jsonl

    tmp = Path(tempfile.mkdtemp(prefix="dask-driver-"))
    address, procs = start_cluster(tmp)
    workers = procs[1:]
    b = args.batch_size
    print(f"## Dask driver: an external scheduler and two workers (`dask worker --nthreads 1 --no-nanny`), "
          f"{os.cpu_count()} cores, batch size {b}, lead x {TYPES}, load average {os.getloadavg()[0]:.1f}\n")
    print("| examples | command | driver CPU µs per example | wall seconds | driver peak RSS (MB) "
          "| worker peak RSS (MB) | worker CPU µs per example |")
    print("|---|---|---|---|---|---|---|")
    cpu: dict[str, list[tuple[int, float]]] = {}
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            data = write_news_jsonl(tmp / f"data-{n}.jsonl", n)
            runs = {
                "harness run": [str(BIN / "harness"), "run", "--data", str(data), "--summarizers", "lead",
                                "--rouge-types", TYPES, "--scheduler", address, "--batch-size", str(b), "--no-cache",
                                "--no-explorer", "--quiet", "--out", str(tmp / "cli")],
            }
            if not args.cli_only:
                runs["run only (execute)"] = [sys.executable, "-c", EXECUTE, str(data), str(tmp / "run"), address,
                                              str(b), "0"]
            if not (args.no_sent or args.cli_only):
                runs["examples sent by the driver (before)"] = [sys.executable, "-c", EXECUTE, str(data),
                                                                str(tmp / "sent"), address, str(b), "1"]
            for label, cmd in runs.items():
                r = measure(cmd, workers)
                cpu.setdefault(label, []).append((n, r["cpu"]))
                print(f"| {n:,} | {label} | {1e6 * r['cpu'] / n:.2f} | {r['wall']:.1f} | {r['rss']:.0f} "
                      f"| {r['worker_rss']:.0f} | {1e6 * r['worker_cpu'] / n:.1f} |", flush=True)
            if not (args.no_sent or args.cli_only) and digest(tmp / "run") != digest(tmp / "sent"):
                sys.exit(f"{n}: the sharded run and the sent run wrote different files")
            for name in ("cli", "run", "sent"):
                shutil.rmtree(tmp / name, ignore_errors=True)
            data.unlink()
        print("\nDriver CPU per additional example (the slope between sizes; the rest is start-up: imports, "
              "joining the cluster, planning):\n")
        print("| command | sizes | driver CPU µs per additional example | start-up CPU seconds |")
        print("|---|---|---|---|")
        for label, points in cpu.items():
            for (n1, c1), (n2, c2) in zip(points, points[1:]):
                slope = (c2 - c1) / (n2 - n1)
                print(f"| {label} | {n1:,} to {n2:,} | {1e6 * slope:.2f} | {c1 - slope * n1:.1f} |")
        if not (args.no_sent or args.cli_only):
            print("\nsharded and sent runs wrote identical summaries.jsonl, scores.jsonl and summary.json")
        print(f"\ncommand: {' '.join(runs['harness run']).replace(address, 'ADDRESS')}")
    finally:
        stop_cluster(procs)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
