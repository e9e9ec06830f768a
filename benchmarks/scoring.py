"""Scoring speed: rouge-score, rouge-score-rs and the harness on the same pairs, in one process.

    .venv/bin/python benchmarks/scoring.py            # the full rows (a few minutes)
    .venv/bin/python benchmarks/scoring.py --quick    # smaller inputs, same rows

Rows (realistic synthetic text, see harness.scoring.synthetic; stemming on):
  short   20,000 pairs, ~40-word summary vs ~55-word reference, rouge1/2/L/Lsum
  long    2,000 pairs, ~400 words each, rouge1/2/L/Lsum, and rougeLsum alone
  3 refs  2,000 summaries with 3 references each (rouge-score's score_multi)
  job     5 systems x 2,000 examples x 3 references, rouge1/2/L/Lsum: the whole
          scoring of a run on the path a user takes (harness.run,
          cache cold); the systems are lead-3, random-3 and longest-3 (whole
          source sentences, as extractive summarizers write) and two
          abstractive-like rewrites. Then the same job rerun with one system's
          summaries changed (only those are rescored, the rest is cached)
  stats   bootstrap CIs + paired bootstrap + approximate randomization for
          5 systems x 10,000 examples x 4 types x 1,000 resamples

Every harness score is checked against rouge-score-rs (all pairs) and
rouge-score (the pairs it was timed on). rouge-score is slow, so it is timed
on a subset of each row (said in the output) and its rate extrapolated.
Rates are wall clock (time.perf_counter). "harness" is the harness as a user
gets it: it picks its executor itself (see runner.choose_executor);
"harness (N workers)" forces N worker processes and
"harness (1 core)" none, each timed in a fresh process. rouge-score-rs
`score_batch` uses all cores (Rayon threads), rouge-score and rouge-score-rs
`score`/`score_multi` one. On a shared machine wall clock
depends on what else runs, so each row also prints CPU time per pair (all
processes and threads) and its ratio, which measures the work itself, and the
load average.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

from harness.aggregate import corpus_means  # noqa: E402
from harness.data import Example, Reference  # noqa: E402
import harness  # noqa: E402
from harness.loaders.predictions import Predictions  # noqa: E402
from harness.scoring import ScoreConfig  # noqa: E402
from harness.scoring.synthetic import TextMaker  # noqa: E402

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]

try:
    from rouge_score_rs import rouge_scorer as rs_scorer
except ImportError:  # the bench extra is not installed
    rs_scorer = None


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its finished children (worker processes)."""
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + c.ru_utime + c.ru_stime


CPU: dict[str, float] = {}  # label -> CPU seconds of the last clocked run


def clock(fn, *args, label=None):
    t, c = time.perf_counter(), _cpu()
    out = fn(*args)
    if label:
        CPU[label] = _cpu() - c
    return time.perf_counter() - t, out


def tuples(score, types):
    return [(score[t].precision, score[t].recall, score[t].fmeasure) for t in types]


def harness_rows(rows, types):
    """scores.jsonl rows -> [(P, R, F) per type] per (example, system), in row order."""
    out, cur = [], []
    for r in rows:
        cur.append((r["precision"], r["recall"], r["fmeasure"]))
        if len(cur) == len(types):
            out.append(cur)
            cur = []
    return out


def examples_of(items):
    """items: [(id, [reference texts])] -> Examples (sentences one per line)."""
    return [Example(id=i, source="", references=[Reference(t) for t in refs]) for i, refs in items]


def config(types, cache=False):
    return ScoreConfig(rouge_types=tuple(types), use_stemmer=True, lsum_split="newline", cache=cache, bootstrap=0)


def run_rows(items, summaries, types, jobs=None, cache=None):
    """The scoring of a run, on the path a user takes (harness.run: the runner and its executor);
    `jobs` None lets the harness choose the executor, 1 is serial, N > 1 that many worker processes.
    `cache`: a score cache folder (HARNESS_CACHE_DIR), None for none."""
    if cache is not None:
        os.environ["HARNESS_CACHE_DIR"] = str(cache)
    systems = [Predictions(name, by_id) for name, by_id in summaries.items()]
    execution = ({"executor": "auto"} if jobs is None else {"executor": "serial"} if jobs == 1
                 else {"executor": "process", "workers": jobs})
    result = harness.run(examples_of(items), systems, config(types, cache is not None), report=False,
                         progress=None, **execution)
    return list(result.rows)


def cold():
    """Forget what earlier runs in this process learned (stems, token ids): every run starts cold."""
    from harness.scoring import native, tokenize

    tokenize._MEMOS.clear()
    native._IDS.clear()
    native._VOCABS.clear()


def _child(items, summaries, types, jobs, conn):
    cold()
    t, c = time.perf_counter(), _cpu()
    run_rows(items, summaries, types, jobs)
    conn.send((time.perf_counter() - t, _cpu() - c))


def in_child(items, summaries, types, jobs, label):
    """The harness with `jobs` worker processes (1: this process only), timed in a fresh
    process so that nothing an earlier run learned is reused: (seconds, examples)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    here, there = ctx.Pipe()
    p = ctx.Process(target=_child, args=(items, summaries, types, jobs, there))
    p.start()
    wall, cpu = here.recv()
    p.join()
    CPU[label] = cpu
    return wall, len(items)


def peer(peers, label, fn, n, mine, types):
    """Time a peer on the same items (CPU time kept under `label`) and check it agrees with the harness."""
    t, want = clock(fn, label=label)
    assert all(m == tuples(w, types) for m, w in zip(mine, want)), f"harness != {label}"
    peers[label] = (t, n)


def report(name, n, t_harness, peers, note=""):
    """Rates from wall-clock time, and CPU time per pair (all processes and threads, so
    ratios of CPU time compare the work done, whatever else the machine is running)."""
    rate = n / t_harness
    cpu_h = CPU.get("harness", float("nan")) / n * 1e6
    print(f"  {'':<24}{'pairs/s':>10}  {'ratio':>8}   {'CPU us/pair':>11}  {'CPU ratio':>9}")
    print(f"  {'harness':<24}{rate:10,.0f}  {'':>8}   {cpu_h:11,.0f}  {'':>9}   ({t_harness:.2f} s for {n:,})")
    for label, (t, m) in peers.items():
        r = m / t
        cpu = CPU.get(label, float("nan")) / m * 1e6
        print(f"  {label:<24}{r:10,.0f}  {rate / r:7.1f}x   {cpu:11,.0f}  {cpu / cpu_h:8.1f}x")
    if note:
        print(f"  ({note})")
    print(f"  (load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    sys.stdout.flush()


def row_pairs(name, pairs, types, jobs, rouge_subset):
    """One reference per summary."""
    print(f"\n== {name}: {len(pairs):,} pairs, {'+'.join(types)}, stemming")
    items = [(str(i), [ref]) for i, (ref, _) in enumerate(pairs)]
    summaries = {"sys": {str(i): summ.split("\n") for i, (_, summ) in enumerate(pairs)}}
    cold()
    t_h, rows = clock(lambda: run_rows(items, summaries, types), label="harness")  # the harness picks its executor
    mine = harness_rows(rows, types)
    peers = {}
    for label, j in ((f"harness ({jobs} workers)", jobs), ("harness (1 core)", 1)):
        if j > 1 or jobs > 1:
            peers[label] = in_child(items, summaries, types, j, label)
    sub = pairs[:rouge_subset]
    rs1 = rouge_scorer.RougeScorer(types, use_stemmer=True)
    peer(peers, "rouge-score (1 core)", lambda: [rs1.score(r, s) for r, s in sub], len(sub), mine, types)
    if rs_scorer is not None:
        rs = rs_scorer.RougeScorer(types, use_stemmer=True)
        peer(peers, "rouge-score-rs (1 core)", lambda: [rs.score(r, s) for r, s in pairs], len(pairs), mine, types)
        peer(peers, "rouge-score-rs batch", lambda: rs.score_batch([r for r, _ in pairs], [s for _, s in pairs]),
             len(pairs), mine, types)
    report(name, len(pairs), t_h, peers, f"rouge-score timed on the first {len(sub):,} pairs; all agree")


def row_multiref(name, items, summaries, types, jobs, rouge_subset, cache=None, rerun=None):
    """items: [(id, [3 references])], summaries: {system: {id: sentences}}."""
    n_units = len(items) * len(summaries)
    n_refs = len(items[0][1])
    print(f"\n== {name}: {len(summaries)} system(s) x {len(items):,} examples x {n_refs} references "
          f"= {n_units:,} summaries, {n_units * n_refs:,} (summary, reference) pairs, {'+'.join(types)}, stemming")
    cold()
    t_h, rows = clock(lambda: run_rows(items, summaries, types, cache=cache), label="harness")
    mine = harness_rows(rows, types)
    peers = {}
    for label, j in ((f"harness ({jobs} workers)", jobs), ("harness (1 core)", 1)):
        if j > 1 or jobs > 1:
            t_j, n_j = in_child(items, summaries, types, j, label)
            peers[label] = (t_j, n_j * len(summaries))
    flat = [(refs, "\n".join(summaries[s][i])) for i, refs in items for s in summaries]  # row order
    rs1 = rouge_scorer.RougeScorer(types, use_stemmer=True)
    sub = flat[:rouge_subset]
    peer(peers, "rouge-score (1 core)", lambda: [rs1.score_multi(refs, s) for refs, s in sub], len(sub), mine, types)
    if rs_scorer is not None:
        rs = rs_scorer.RougeScorer(types, use_stemmer=True)
        peer(peers, "rouge-score-rs (1 core)", lambda: [rs.score_multi(refs, s) for refs, s in flat], len(flat),
             mine, types)

        def batch():  # every (summary, reference) pair in parallel, then the best F per type
            scores = rs.score_batch([r for refs, _ in flat for r in refs], [s for refs, s in flat for _ in refs])
            out, k = [], 0
            for refs, _ in flat:
                group = scores[k:k + len(refs)]
                k += len(refs)
                out.append({t: group[int(np.argmax([g[t].fmeasure for g in group]))][t] for t in types})
            return out

        peer(peers, "rouge-score-rs batch", batch, len(flat), mine, types)
    print("  (rates are summaries/s; each summary is scored against all its references)")
    report(name, len(flat), t_h, peers, f"rouge-score timed on the first {len(sub):,} summaries; all agree")
    if rerun is not None:
        t_w, rows2 = clock(lambda: run_rows(items, rerun, types, cache=cache))
        changed = sum(1 for i, _ in items for s in rerun if rerun[s][i] != summaries[s][i])
        print(f"  rerun with one system changed ({changed:,} summaries to rescore, the rest from the cache): "
              f"{t_w:.2f} s = {t_h / t_w:.1f}x faster than the cold run")
        mine2 = harness_rows(rows2, types)
        check = [(refs, "\n".join(rerun[s][i])) for i, refs in items for s in rerun]
        for k in range(0, len(check), max(1, len(check) // 200)):
            assert mine2[k] == tuples(rs1.score_multi(*check[k]), types), "rerun != rouge-score"


def row_stats(n_systems, n_examples, n_types, n_resamples):
    print(f"\n== stats: {n_systems} systems x {n_examples:,} examples x {n_types} types x {n_resamples:,} resamples "
          "(bootstrap CI, paired bootstrap, approximate randomization vs the baseline)")
    rng = np.random.default_rng(0)
    rows = []
    for s in range(n_systems):
        for i in range(n_examples):
            for t in range(n_types):
                p, r = rng.random(2)
                rows.append({"id": str(i), "system": "lead" if s == 0 else f"sys{s}", "rouge_type": f"t{t}",
                             "precision": p, "recall": r, "fmeasure": 2 * p * r / (p + r)})
    t, out = clock(lambda: corpus_means(rows, n_resamples=n_resamples, seed=12345, baseline="lead"))
    assert all("p_bootstrap" in v for s, by in out.items() if s != "lead" for v in by.values())
    print(f"  corpus_means from {len(rows):,} stored per-example rows: {t:.2f} s (goal: < 2 s)")


JOB_SYSTEMS = ["lead", "random", "longest", "abstractive1", "abstractive2"]


def job(maker: TextMaker, n_examples: int):
    """The job row's data: `n_examples` sources of ~400 words with 3 references each, and five systems:
    three extractive (whole source sentences: lead-3, random-3, longest-3) and two abstractive-like ones
    (source sentences rewritten), as a run of this harness looks. Returns (items [(id, [references])],
    summaries {system: {id: sentences}}, sources {id: sentences}); benchmarks/end_to_end.py runs it too."""
    items, summaries, sources = [], {s: {} for s in JOB_SYSTEMS}, {}
    for i in range(n_examples):
        source = maker.sentences(400)
        refs = ["\n".join(maker.rewrite(source, 55, keep=0.8)) for _ in range(3)]
        items.append((str(i), refs))
        k = str(i)
        sources[k] = source
        summaries["lead"][k] = source[:3]
        summaries["random"][k] = [source[j] for j in sorted(maker.rng.sample(range(len(source)), 3))]
        summaries["longest"][k] = [s for s in source if len(s) >= sorted(map(len, source))[-3]][:3]
        summaries["abstractive1"][k] = maker.rewrite(source, 40, keep=0.7)
        summaries["abstractive2"][k] = maker.rewrite(source, 40, keep=0.5)
    return items, summaries, sources


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a tenth of the inputs")
    ap.add_argument("--jobs", type=int, default=None, help="harness worker processes (default: all cores)")
    ap.add_argument("--rows", default="short,long,multiref,job,stats")
    args = ap.parse_args(argv)
    scale = 10 if args.quick else 1
    jobs = args.jobs or len(os.sched_getaffinity(0))
    rows = set(args.rows.split(","))
    print(f"cores: {len(os.sched_getaffinity(0))}, harness jobs: {jobs}, rouge-score-rs: "
          f"{'yes' if rs_scorer else 'not installed (pip install rouge-score-rs)'}")
    maker = TextMaker(seed=1)
    if "short" in rows:
        pairs = [maker.pair(55, 40) for _ in range(20_000 // scale)]
        row_pairs("short", pairs, TYPES, jobs, rouge_subset=1000 // scale)
    if "long" in rows:
        pairs = [maker.pair(400, 400) for _ in range(2_000 // scale)]
        row_pairs("long", pairs, TYPES, jobs, rouge_subset=40 // scale)
        row_pairs("long, rougeLsum only", pairs, ["rougeLsum"], jobs, rouge_subset=60 // scale)
    if "multiref" in rows:
        items, summ = [], {}
        for i in range(2_000 // scale):
            refs = [maker.pair(55, 40)[0] for _ in range(3)]
            items.append((str(i), refs))
            summ[str(i)] = maker.rewrite("\n".join(refs).split("\n"), 40)
        row_multiref("3 refs", items, {"sys": summ}, TYPES, jobs, rouge_subset=500 // scale)
    if "job" in rows:
        items, summaries, _ = job(maker, 2_000 // scale)
        rerun = dict(summaries)
        rerun["abstractive2"] = {i: maker.rewrite(s, 40) for i, s in summaries["abstractive2"].items()}
        with tempfile.TemporaryDirectory() as d:
            row_multiref("job", items, summaries, TYPES, jobs, rouge_subset=300 // scale,
                         cache=Path(d), rerun=rerun)
    if "stats" in rows:
        row_stats(5, 10_000, 4, 1_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
