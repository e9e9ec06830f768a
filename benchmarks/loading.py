"""Peak memory of streaming a JSON Lines corpus, at 10k, 100k and 1M examples.

    .venv/bin/python benchmarks/loading.py              # 10k, 100k, 1M
    .venv/bin/python benchmarks/loading.py 10000 50000  # other sizes

Each size is a generated file of short examples ({"id", "source",
"references"}, about 120 bytes a line). Every measurement runs in a fresh
subprocess, which reads the file and reports its peak resident memory
(ru_maxrss):

- baseline: the interpreter with harness and datasets imported, nothing read;
- stream: `harness.loaders.stream(path)`, every example built and validated
  (duplicate ids, empty sources, missing references) and then dropped, as a
  batching executor consumes them;
- load: `harness.load(path)`, the whole Corpus in memory, for contrast
  (skipped above 100k unless --load-all).

Streaming memory should stay flat as the file grows; the one thing that
grows is the duplicate-id registry, 16 bytes per id (16 MB per million),
printed alongside.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
import datasets, harness
from harness.loaders import stream
t = time.perf_counter()
n = 0
if mode == "stream":
    for ex in stream(path):
        n += 1
elif mode == "load":
    n = len(harness.load(path))
elif mode == "registry":  # the duplicate-id check alone, on the same ids, nothing read
    from harness.loaders.validation import IdRegistry
    reg = IdRegistry()
    n = int(sys.argv[3])
    for i in range(n):
        reg.add(f"doc-{i}", i)
    reg.finish()
dt = time.perf_counter() - t
print(n, dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def generate(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"doc-{i}", "source": f"Example {i} opens here. It has a second sentence.",
                                 "references": [f"Example {i} in short."]}) + "\n")


def measure(mode: str, path: Path, *extra: str) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), *extra], capture_output=True, text=True,
                         check=True)
    n, dt, rss_kb = out.stdout.split()
    return int(n), float(dt), int(rss_kb) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--load-all", action="store_true", help="also measure load() (all in memory) above 100k")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        base = None
        for n in args.sizes:
            path = Path(tmp) / f"gen-{n}.jsonl"
            generate(path, n)
            size_mb = path.stat().st_size / 2**20
            if base is None:
                base = measure("baseline", path)[2]
            got, dt, rss = measure("stream", path)
            assert got == n, (got, n)
            load_rss = measure("load", path)[2] if (n <= 100_000 or args.load_all) else None
            reg_over = measure("registry", path, str(n))[2] - base
            rows.append((n, size_mb, rss, rss - base, reg_over, rss - base - reg_over, n / dt, load_rss))
            path.unlink()
    print(f"baseline (python + harness + datasets imported, nothing read): {base:.0f} MB peak RSS\n")
    print(f"{'examples':>10} {'file MB':>8} {'stream peak MB':>15} {'over baseline':>14} {'id check alone':>15} "
          f"{'rest of loader':>15} {'examples/s':>11} {'load() peak MB':>15}")
    for n, size_mb, rss, over, reg, rest, rate, load_rss in rows:
        lr = f"{load_rss:.0f}" if load_rss is not None else "-"
        print(f"{n:>10,} {size_mb:>8.1f} {rss:>15.0f} {over:>14.0f} {reg:>15.0f} {rest:>15.0f} {rate:>11,.0f} {lr:>15}")
    print("\n'id check alone': peak RSS over baseline of the duplicate-id registry fed the same ids (16 bytes")
    print("per id, plus merge buffers); 'rest of loader': the streaming peak over baseline without it.")
    first, last = rows[0], rows[-1]
    if len(rows) > 1:
        print(f"\nfile {last[1] / first[1]:.0f}x larger; streaming peak RSS x{last[2] / first[2]:.2f} "
              f"({last[2] - first[2]:+.0f} MB, of which the id check {last[4] - first[4]:+.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
