"""The user's whole command, side by side with its peers, each a fresh process (issue 14).

    .venv/bin/python benchmarks/end_to_end.py            # the rows below (about a minute, plus rouge-score)
    .venv/bin/python benchmarks/end_to_end.py --quick    # a tenth of the job

Rows:
  start-up  `harness --help` and `harness list` against a bare `python -c pass`
  job       the job of benchmarks/scoring.py (5 systems x 2,000 examples x 3 references,
            rouge1/2/L/Lsum, stemming, 1,000 resamples) as files on disk, scored by
            `harness score --data data.jsonl --predictions NAME=FILE ... --lsum-split newline
            --no-cache --quiet` (reading, scoring, statistics, every file of the run folder:
            tables, report.html and its plots, examples.html), by a plain Python loop over
            rouge-score-rs's `score_multi` reading the same files, and by the same loop over
            rouge-score (timed on the first `--rouge-examples` examples, its loop time
            extrapolated; `--rouge-examples 0` times it on all)
  explorer  the job again with `--no-explorer`, to show what examples.html costs
  interview `harness run` on the bundled interview (a newcomer's first command)

Each process is timed `--repeat` times, interleaved, and the fastest kept: wall clock, and the CPU
time of the process (user + system, all its threads and children), which depends less on what else
the machine runs. Ratios are harness / peer: below 1.0 the harness is faster. Every peer's scores
are checked against the harness's scores.jsonl, pair by pair (float equality). Child processes run
without PYTHONDONTWRITEBYTECODE, after one untimed run, so they load compiled bytecode as an
installed package does.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from scoring import JOB_SYSTEMS, TYPES, job  # noqa: E402  (benchmarks/scoring.py: the same job)

from harness.scoring.synthetic import TextMaker  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The peers: read the same files with the standard library, score every (example, system) with
# `score_multi` (the best F over the references, as the harness's --multiref max), write the scores.
PEER = r"""
import json, sys, time
module, data, out, limit, *predictions = sys.argv[1:]
if module == "rouge-score-rs":
    from rouge_score_rs import rouge_scorer
else:
    from rouge_score import rouge_scorer
types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
with open(data, encoding="utf-8") as f:
    refs = [(r["id"], r["references"]) for r in map(json.loads, f)]
refs = refs[:int(limit)] if int(limit) else refs
systems = []
for path in predictions:
    with open(path, encoding="utf-8") as f:
        systems.append({r["id"]: r["summary"] for r in map(json.loads, f)})
scorer = rouge_scorer.RougeScorer(types, use_stemmer=True)
t, c = time.perf_counter(), time.process_time()
rows = []
for i, references in refs:
    for by_id in systems:
        s = scorer.score_multi(references, by_id[i])
        rows.append([[s[k].precision, s[k].recall, s[k].fmeasure] for k in types])
loop, loop_cpu = time.perf_counter() - t, time.process_time() - c
with open(out, "w", encoding="utf-8") as f:
    json.dump({"loop": loop, "loop_cpu": loop_cpu, "rows": rows}, f)
"""


class Timed:
    """The fastest of several runs of one command: wall seconds, CPU seconds (the process and its children)."""

    def __init__(self, label: str, argv: list[str], shown: str) -> None:
        self.label, self.argv, self.shown = label, argv, shown
        self.wall = self.cpu = float("inf")

    def run(self, timed: bool = True) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(self.argv, env=ENV, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if timed:
            self.wall = min(self.wall, wall)
            self.cpu = min(self.cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def race(commands: list[Timed], repeat: int) -> None:
    """One untimed run of each (bytecode, disk cache), then `repeat` interleaved timed rounds."""
    for c in commands:
        c.run(timed=False)
    for _ in range(repeat):
        for c in commands:
            c.run()


def show(rows: list[tuple[str, float, float, str]], against: Timed) -> None:
    """rows: (label, wall, cpu, command); ratios against `against`."""
    print(f"  {'':<34}{'wall s':>8} {'ratio':>7}   {'CPU s':>7} {'ratio':>7}")
    for label, wall, cpu, shown in rows:
        print(f"  {label:<34}{wall:8.3f} {wall / against.wall:6.2f}x   {cpu:7.3f} {cpu / against.cpu:6.2f}x   {shown}")
    print(f"  (ratios: each row / {against.label}; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    sys.stdout.flush()


def startup(repeat: int) -> None:
    print("\n== start-up (fastest of each)")
    bare = Timed("python -c pass", [sys.executable, "-c", "pass"], "python -c pass")
    commands = [bare] + [Timed(f"harness {a}", [str(BIN / "harness"), a], f"harness {a}") for a in ("--help", "list")]
    race(commands, repeat * 5)
    show([(c.label, c.wall, c.cpu, c.shown) for c in commands], bare)


def write_job(folder: Path, n_examples: int) -> tuple[Path, list[Path]]:
    """The job as a user has it: data.jsonl (id, source, references) and one predictions file per system."""
    items, summaries, sources = job(TextMaker(seed=1), n_examples)
    data = folder / "data.jsonl"
    with open(data, "w", encoding="utf-8") as f:
        for i, refs in items:
            f.write(json.dumps({"id": i, "source": "\n".join(sources[i]), "references": refs}) + "\n")
    paths = []
    for name in JOB_SYSTEMS:
        paths.append(folder / f"{name}.jsonl")
        with open(paths[-1], "w", encoding="utf-8") as f:
            for i, _ in items:
                f.write(json.dumps({"id": i, "summary": "\n".join(summaries[name][i])}) + "\n")
    return data, paths


def harness_command(data: Path, predictions: list[Path], out: Path, *extra: str) -> list[str]:
    preds = [a for p in predictions for a in ("--predictions", f"{p.stem}={p}")]
    return [str(BIN / "harness"), "score", "--data", str(data), *preds, "--lsum-split", "newline", "--no-cache",
            "--quiet", "--out", str(out), *extra]


def harness_scores(run: Path) -> list[list[list[float]]]:
    """scores.jsonl as [(P, R, F) per type] per (example, system), in the file's order."""
    out, cur = [], []
    with open(run / "scores.jsonl", encoding="utf-8") as f:
        for r in map(json.loads, f):
            cur.append([r["precision"], r["recall"], r["fmeasure"]])
            if len(cur) == len(TYPES):
                out.append(cur)
                cur = []
    return out


def check(label: str, mine: list, theirs: list) -> None:
    bad = [k for k, (a, b) in enumerate(zip(mine, theirs)) if a != b]
    assert len(theirs) <= len(mine) and not bad, f"{label} disagrees with the harness on {len(bad)} pairs, first {bad[:3]}"


def job_rows(n_examples: int, repeat: int, rouge_examples: int) -> None:
    print(f"\n== job: {len(JOB_SYSTEMS)} systems x {n_examples:,} examples x 3 references, {'+'.join(TYPES)}, "
          "stemming, 1,000 resamples, whole process (fastest of each)")
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        data, preds = write_job(folder, n_examples)
        shown = ("harness score --data data.jsonl " + " ".join(f"--predictions {p.stem}={p.name}" for p in preds)
                 + " --lsum-split newline --no-cache --quiet")
        full = Timed("harness score", harness_command(data, preds, folder / "run"), shown)
        bare = Timed("harness score --no-explorer", harness_command(data, preds, folder / "run2", "--no-explorer"),
                     shown + " --no-explorer")
        rs = Timed("rouge-score-rs loop", [sys.executable, "-c", PEER, "rouge-score-rs", str(data),
                                           str(folder / "rs.json"), "0", *map(str, preds)],
                   "python -c PEER rouge-score-rs ... (benchmarks/end_to_end.py)")
        peers = [full, bare]
        try:
            import rouge_score_rs  # noqa: F401
            peers.append(rs)
        except ImportError:
            print("  rouge-score-rs is not installed (make bench installs it): its row is left out")
        race(peers, repeat)
        mine = harness_scores(folder / "run")
        assert mine == harness_scores(folder / "run2"), "--no-explorer changed a score"
        if rs in peers:
            theirs = json.loads((folder / "rs.json").read_text())["rows"]
            assert len(theirs) == len(mine)
            check("rouge-score-rs", mine, theirs)
        n_rouge = rouge_examples or n_examples
        rouge = Timed("rouge-score loop", [sys.executable, "-c", PEER, "rouge-score", str(data),
                                           str(folder / "rouge.json"), str(n_rouge), *map(str, preds)],
                      f"python -c PEER rouge-score ... (first {n_rouge:,} examples)")
        rouge.run()
        got = json.loads((folder / "rouge.json").read_text())
        check("rouge-score", mine, got["rows"])
        scale = n_examples / n_rouge
        # the loop over the examples it was not timed on, in wall and in CPU seconds
        extra, extra_cpu = got["loop"] * (scale - 1), got["loop_cpu"] * (scale - 1)
        rows = [(c.label, c.wall, c.cpu, c.shown) for c in peers]
        rows.append((f"rouge-score loop{' (extrapolated)' * (scale > 1)}", rouge.wall + extra,
                     rouge.cpu + extra_cpu, rouge.shown))
        against = rs if rs in peers else full
        show(rows, against)
        print(f"  rouge-score / harness score: {(rouge.wall + extra) / full.wall:.0f}x wall, "
              f"{(rouge.cpu + extra_cpu) / full.cpu:.0f}x CPU; every peer agrees with the harness on every pair "
              f"(rouge-score: on the {len(got['rows']):,} it scored)")


def interview(repeat: int) -> None:
    print("\n== harness run on the bundled interview (11 summarizers + the oracle, 6 examples; fastest of each)")
    with tempfile.TemporaryDirectory() as d:
        bare = Timed("python -c pass", [sys.executable, "-c", "pass"], "python -c pass")
        run = Timed("harness run", [str(BIN / "harness"), "run", "--out", f"{d}/run", "--no-cache", "--quiet"],
                    "harness run --no-cache --quiet")
        race([bare, run], repeat)
        show([(c.label, c.wall, c.cpu, c.shown) for c in (bare, run)], bare)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a tenth of the job")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each process (default: %(default)s)")
    ap.add_argument("--rouge-examples", type=int, default=200,
                    help="examples rouge-score is timed on, 0 for all (default: %(default)s)")
    ap.add_argument("--rows", default="startup,job,interview")
    args = ap.parse_args(argv)
    rows = set(args.rows.split(","))
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores; python {sys.version.split()[0]}; "
          f"command: {' '.join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])])}")
    if "startup" in rows:
        startup(args.repeat)
    if "job" in rows:
        n = 2_000 // (10 if args.quick else 1)
        job_rows(n, args.repeat, min(args.rouge_examples, n))
    if "interview" in rows:
        interview(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
