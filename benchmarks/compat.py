"""Speed of the drop-in APIs (harness.compat) against what they replace, in one process.

    .venv/bin/python benchmarks/compat.py            # full rows (about two minutes)
    .venv/bin/python benchmarks/compat.py --quick    # smaller inputs, same rows

Rows (realistic synthetic pairs, harness.scoring.synthetic; rouge1/2/L/Lsum, stemming on):
  score()       one pair at a time, ~55-word reference vs ~40-word summary:
                rouge_score.rouge_scorer.RougeScorer.score vs harness.compat's (goal >= 20x)
  score() long  the same, ~400 words each
  score_batch   the whole list in one call, vs the harness Scorer's whole-job rate on the same
                pairs (Scorer.score_batch, the unit each batch of a run executes; cache off), in
                this process: short and long
  evaluate      evaluate.load("rouge").compute as its script runs it (a rouge-score loop into
                rouge-score's BootstrapAggregator, mid.fmeasure) vs harness.compat.evaluate_rouge.compute
                (its default draws resamples as rouge-score does; "harness CI": resampler="harness")

Every compat result is checked against rouge-score on the pairs rouge-score was timed on.
rouge-score is slow, so it runs on a subset of each row (said in the output) and its rate per
pair is compared. Wall clock (time.perf_counter); each row starts with cold token tables.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from rouge_score import rouge_scorer as rs_scorer, scoring as rs_scoring  # noqa: E402

from harness.compat import evaluate_rouge, rouge_scorer  # noqa: E402
from harness.data import Example, Reference  # noqa: E402
from harness.scoring import ScoreConfig, Scorer, native  # noqa: E402
from harness.scoring.synthetic import TextMaker  # noqa: E402

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
COMMAND = "HARNESS_SHARED=/work/shared .venv/bin/python benchmarks/compat.py"


def cold() -> None:
    """Forget token ids and stems learned by earlier rows."""
    from harness.scoring import tokenize

    tokenize._MEMOS.clear()
    native._IDS.clear()
    native._VOCABS.clear()


def clock(fn):
    cold()
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def row(name: str, n_mine: int, t_mine: float, n_peer: int, t_peer: float, peer: str, goal: str = "") -> None:
    per_mine, per_peer = t_mine / n_mine, t_peer / n_peer
    print(f"{name:<14} compat {per_mine * 1e6:9.1f} us/pair ({n_mine:,} pairs, {t_mine:.2f} s)   "
          f"{peer} {per_peer * 1e6:9.1f} us/pair ({n_peer:,} pairs, {t_peer:.2f} s)   "
          f"ratio {per_peer / per_mine:7.2f}x{goal}")


def bench_score(pairs, n_peer: int, name: str) -> None:
    mine = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    theirs = rs_scorer.RougeScorer(TYPES, use_stemmer=True)
    t_mine, got = clock(lambda: [mine.score(t, p) for t, p in pairs])
    t_peer, want = clock(lambda: [theirs.score(t, p) for t, p in pairs[:n_peer]])
    assert got[:n_peer] == want, "compat score() != rouge-score"
    row(name, len(pairs), t_mine, n_peer, t_peer, "rouge-score", "   (goal >= 20x)")


def bench_batch(pairs, name: str) -> None:
    mine = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    targets, predictions = [t for t, _ in pairs], [p for _, p in pairs]
    t_mine, got = clock(lambda: mine.score_batch(targets, predictions))
    # the harness Scorer's unit of work on the same pairs (what each batch of `harness score` runs), cache off
    units = [(Example(id=str(i), source="", references=[Reference(t)]), {"s": p.split("\n")})
             for i, (t, p) in enumerate(pairs)]
    scorer = Scorer(ScoreConfig(rouge_types=tuple(TYPES), use_stemmer=True, lsum_split="newline", cache=False,
                                bootstrap=0))
    t_job, rows = clock(lambda: scorer.score_batch(units))
    assert [tuple(s[t]) for s in got for t in TYPES] == \
        [(v.precision, v.recall, v.fmeasure) for r in rows for v in r["s"].values()], "score_batch != Scorer"
    row(name, len(pairs), t_mine, len(pairs), t_job, "Scorer.score_batch", "   (goal ~1x)")


def evaluate_script(predictions, references):
    """What evaluate's rouge metric runs (metrics/rouge/rouge.py), on rouge-score."""
    scorer = rs_scorer.RougeScorer(rouge_types=TYPES, use_stemmer=True)
    aggregator = rs_scoring.BootstrapAggregator()
    for ref, pred in zip(references, predictions):
        aggregator.add_scores(scorer.score(ref, pred))
    return {k: v.mid.fmeasure for k, v in aggregator.aggregate().items()}


def bench_evaluate(pairs, n_peer: int) -> None:
    preds, refs = [p for _, p in pairs], [t for t, _ in pairs]
    t_mine, _ = clock(lambda: evaluate_rouge.compute(predictions=preds, references=refs, use_stemmer=True))
    # the same call on the peer's subset, checked against it (evaluate seeded as compat is)
    small = evaluate_rouge.compute(predictions=preds[:n_peer], references=refs[:n_peer], use_stemmer=True)

    def peer():
        np.random.seed(evaluate_rouge.DEFAULT_SEED)
        return evaluate_script(preds[:n_peer], refs[:n_peer])

    t_peer, want = clock(peer)
    assert small == want, "compat compute != evaluate's script"
    row("evaluate", len(pairs), t_mine, n_peer, t_peer, "evaluate (rouge-score loop + aggregator)")
    t_fast, _ = clock(lambda: evaluate_rouge.compute(predictions=preds, references=refs, use_stemmer=True,
                                                     resampler="harness"))
    row("  harness CI", len(pairs), t_fast, n_peer, t_peer, "evaluate (rouge-score loop + aggregator)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller inputs, same rows")
    args = ap.parse_args()
    n_short, n_long, n_peer, n_peer_long = (2_000, 200, 300, 20) if args.quick else (20_000, 2_000, 2_000, 100)
    maker = TextMaker(seed=99)
    short = [maker.pair(55, 40) for _ in range(n_short)]
    long = [maker.pair(400, 400) for _ in range(n_long)]
    print(f"# {COMMAND}{' --quick' if args.quick else ''}")
    print(f"# native core: {native.ENABLED}; cores: {os.cpu_count()}; load average: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bench_score(short, n_peer, "score()")
    bench_score(long, n_peer_long, "score() long")
    bench_batch(short, "score_batch")
    bench_batch(long, "batch long")
    bench_evaluate(short, n_peer)


if __name__ == "__main__":
    main()
