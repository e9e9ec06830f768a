"""What writing examples.html costs next to scoring, on a real set and on a 10,000-example synthetic run.

    HARNESS_SHARED=/work/shared .venv/bin/python benchmarks/explorer.py
    .venv/bin/python benchmarks/explorer.py --synthetic 10000 --systems 3   # only the synthetic run

For each set, in this process: the run without the page (`harness score` /
`harness run ... --no-explorer --no-cache --bootstrap 0`: load, summarize,
score, statistics, tables and plots), the same run writing its page (the
difference is what the page costs a run), then the page alone (`harness
explore` on the first run folder: scores and summaries read back, the data
read again, tokens, spans and checks, the HTML written; "ratio" is its CPU
time over the run's). Each is given as wall-clock and CPU seconds (this
process and its worker processes): on a machine shared with other work the
CPU seconds are the steadier figure. Prints the page's size, how many examples it lists and how
many it holds with their texts (see harness.explore.data for the bounds). The real set is SummEval (100 CNN/DM
articles, 11 references, 16 systems: the most marks per example of the
shared sets); the synthetic one has short news-like texts, one reference.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from harness.cli import main as harness

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HARNESS_SHARED", ROOT.parent / "shared")) / "data"
WORDS = ("the a of to in and said on for with is was that by at from as its new after over year government "
         "minister people city police report week state court team two first market price company plan vote "
         "water school health officials talks deal support announced rose fell".split())


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one harness command run in this process."""
    t, c = time.perf_counter(), _cpu()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        code = harness(argv)
    if code != 0:
        raise SystemExit(f"harness {' '.join(argv[:2])} failed (exit {code})")
    return time.perf_counter() - t, _cpu() - c


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 22))).capitalize() + "."


def synthetic(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            source = " ".join(sentence(rng) for _ in range(rng.randint(6, 14)))
            fh.write(json.dumps({"id": f"syn-{i:06d}", "source": source,
                                 "references": [" ".join(sentence(rng) for _ in range(2))]}) + "\n")


def summeval(tmp: Path) -> tuple[list[str], int]:
    data = SHARED / "summeval" / "summeval100.jsonl"
    rows = [json.loads(line) for line in open(data, encoding="utf-8")]
    args = ["--data", str(data)]
    for system in sorted(rows[0]["system_outputs"]):
        p = tmp / f"{system}.jsonl"
        p.write_text("".join(json.dumps({"id": r["id"], "summary": r["system_outputs"][system]}) + "\n"
                             for r in rows), encoding="utf-8")
        args += ["--predictions", f"{system}={p}"]
    return args, len(rows[0]["system_outputs"])


def report(name: str, out: Path, systems: int, off: tuple, on: tuple, page: tuple) -> None:
    path = out / "examples.html"
    text = path.read_text(encoding="utf-8")
    start = text.index('id="data">') + len('id="data">')
    data = json.loads(text[start:text.index("</script>", start)])
    cells = " ".join(f"{w:>7.2f} {c:>6.2f}" for w, c in (off, on, (on[0] - off[0], on[1] - off[1]), page))
    print(f"{name:<20} {data['n_total']:>6} {systems:>4} {cells} {page[1] / off[1]:>6.2f} "
          f"{path.stat().st_size / 1e6:>6.1f} MB {len(data['examples']):>6} {data['n_detail']:>6}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--synthetic", type=int, default=10_000, help="examples of the synthetic run (default: 10000)")
    ap.add_argument("--systems", type=int, default=3, help="built-in systems of the synthetic run (default: 3)")
    ap.add_argument("--no-real", action="store_true", help="skip the real set")
    args = ap.parse_args()
    common = ["--no-cache", "--bootstrap", "0", "--quiet"]
    print(f"{'':<31} {'no page':>14} {'with page':>14} {'difference':>14} {'explore':>14}")
    print(f"{'set':<20} {'ex':>6} {'sys':>4}" + " {:>7} {:>6}".format("wall s", "cpu s") * 4 +
          f" {'ratio':>6} {'size':>9} {'listed':>6} {'texts':>6}")
    with tempfile.TemporaryDirectory(prefix="harness-bench-explorer-") as tmp:
        tmp = Path(tmp)
        sets = []
        if not args.no_real and (SHARED / "summeval").is_dir():
            data_args, n_sys = summeval(tmp)
            sets.append(("summeval (11 refs)", ["score", *data_args], n_sys))
        elif not args.no_real:
            print(f"summeval: {SHARED / 'summeval'} not found (set HARNESS_SHARED)")
        data = tmp / "synthetic.jsonl"
        synthetic(data, args.synthetic)
        systems = ",".join(["lead", "textrank", "luhn", "lexrank", "random:seed=1"][:args.systems])
        sets.append(("synthetic (1 ref)", ["run", "--data", str(data), "--summarizers", systems], args.systems))
        # warm-up: the first command of a process pays for imports and first-use caches
        timed(["run", "--summarizers", "lead", "--out", str(tmp / "warm"), *common])
        timed(["explore", str(tmp / "warm")])
        for name, argv, n_sys in sets:
            out = tmp / name.split()[0]
            t_off = timed([*argv, "--out", str(out / "off"), "--no-explorer", *common])
            t_on = timed([*argv, "--out", str(out / "on"), *common])
            t_page = timed(["explore", str(out / "off")])
            report(name, out / "off", n_sys, t_off, t_on, t_page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
