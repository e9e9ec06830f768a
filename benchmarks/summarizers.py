"""Speed of the built-in summarizers against sumy, and the CNN/DailyMail table.

    python benchmarks/summarizers.py              # speed: each built-in vs its sumy counterpart, the oracle vs a direct loop
    python benchmarks/summarizers.py --table      # ROUGE of every built-in on SummEval and REALSumm vs the first reference
    python benchmarks/summarizers.py --docs 40    # fewer documents (default: all 100 of realsumm)

Documents are CNN/DailyMail articles from ../shared/data (realsumm: about 32
sentences each), read at run time. Both sides get the same pre-split
sentences, and sumy a tokenizer with the harness's word pattern (sumy's own
needs NLTK punkt data, which cannot be downloaded). sumy runs twice: set up
as its README does (its Stemmer("english") and stop-word list: the speed a
user of sumy gets), and with the harness's memoised Porter stemmer and stop
words (the same text analysis on both sides: only the algorithms differ). Times are
best-of-`--repeat` passes over all documents, the harness's and sumy's passes
interleaved in this one process, after one untimed pass (which fills the
caches both sides share: the memoised stemmer; the harness also keeps a
token -> term table); BLAS runs on one thread (see below). The ratio
is harness docs/s over sumy docs/s (goal: >= 10x each). The oracle is timed
against the direct greedy loop that re-scores the joined text with
rouge-score for every candidate (goal: >= 20x), and its selections are
checked to be identical.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread, for both sides, set before numpy loads: the matrices here are
# ~30 x 300, and on a busy 2-core machine BLAS worker threads only contend with
# the main thread (OpenBLAS threads spin after each call). Dask workers run with
# one BLAS thread by default too. Override by setting the variables yourself.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.data import Example, Reference  # noqa: E402
from harness.summarizers import build  # noqa: E402
from harness.scoring.backend import porter_stem as stem  # noqa: E402
from harness.summarizers.terms import STOP_WORDS, tokens  # noqa: E402

SHARED = Path(os.environ.get("HARNESS_SHARED", ROOT.parent / "shared")) / "data"
DATASETS = {"summeval": "summeval/summeval100.jsonl", "realsumm": "realsumm/realsumm100.jsonl"}
# harness spec -> sumy class (module, name)
PEERS = {
    "lexrank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "sumbasic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "klsum": ("sumy.summarizers.kl", "KLSummarizer"),
}


def load_examples(dataset: str, limit: int | None = None) -> list[Example]:
    """CNN/DM articles with their first (original highlights) reference; sentences split once here."""
    path = SHARED / DATASETS[dataset]
    if not path.is_file():
        raise SystemExit(f"needs {path} (the team's shared data)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = [Example(r["id"], r["source"], [Reference(r["references"][0])]) for r in rows[:limit]]
    for ex in examples:
        ex.sentences  # noqa: B018 - split now, outside every timed region
    return examples


class SumyTokenizer:
    """sumy's tokenizer interface over the harness's word pattern (sumy's own needs NLTK punkt data)."""

    language = "english"

    @staticmethod
    def to_sentences(paragraph):
        raise NotImplementedError("sentences are given pre-split")

    @staticmethod
    def to_words(sentence):
        return tokens(sentence)


def sumy_runner(module: str, cls: str, setup: str = "matched"):
    """A sumy summarizer over pre-split sentences.

    setup "documented": as sumy's README sets it up, `Summarizer(Stemmer("english"))`
    with `get_stop_words("english")` (only the tokenizer differs: NLTK punkt
    cannot be downloaded here). setup "matched": the harness's memoised Porter
    stemmer and stop words, so both sides analyse text identically and only
    the algorithms are compared.
    """
    import importlib

    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    if setup == "documented":
        from sumy.nlp.stemmers import Stemmer
        from sumy.utils import get_stop_words

        summarizer = getattr(importlib.import_module(module), cls)(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
    else:
        summarizer = getattr(importlib.import_module(module), cls)(stemmer=stem)
        summarizer.stop_words = STOP_WORDS
    tok = SumyTokenizer()

    def run(sentences, k=3):
        doc = ObjectDocumentModel((Paragraph([Sentence(s, tok) for s in sentences]),))
        picked = {str(s) for s in summarizer(doc, k)}
        return [i for i, s in enumerate(sentences) if s.strip() in picked]

    return run


def best_times(a, a_items, b, b_items, repeat: int) -> tuple[float, float]:
    """Best-of-`repeat` seconds for a pass of `a` and of `b`, the passes interleaved so load hits both alike."""
    best_a = best_b = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for x in a_items:
            a(x)
        best_a = min(best_a, time.perf_counter() - t)
        t = time.perf_counter()
        for x in b_items:
            b(x)
        best_b = min(best_b, time.perf_counter() - t)
    return best_a, best_b


def direct_oracle(sentences, refs, types=("rouge1", "rouge2"), k=3):
    """The oracle's definition computed directly: every candidate summary re-scored by rouge-score."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(types), use_stemmer=True)
    chosen, best = [], 0.0
    while len(chosen) < min(k, len(sentences)):
        pick, pick_value = None, best
        for i in range(len(sentences)):
            if i in chosen:
                continue
            scores = scorer.score_multi(refs, "\n".join(sentences[j] for j in sorted(chosen + [i])))
            value = sum(scores[t].fmeasure for t in types) / len(types)
            if value > pick_value:
                pick, pick_value = i, value
        if pick is None:
            break
        chosen.append(pick)
        best = pick_value
    return sorted(chosen)


def speed(examples: list[Example], repeat: int) -> bool:
    n = len(examples)
    mean_sents = np.mean([len(ex.sentences) for ex in examples])
    print(f"{n} documents, {mean_sents:.1f} sentences on average, budget k=3, best of {repeat}\n")
    print(f"{'method':<10} {'harness':>9} | {'sumy, documented setup':>24} | {'sumy, matched analysis':>24} | {'same picks':>10}")
    print(f"{'':<10} {'docs/s':>9} | {'docs/s':>12} {'ratio':>11} | {'docs/s':>12} {'ratio':>11} | {'(matched)':>10}")
    ok = True
    for spec, (module, cls) in PEERS.items():
        mine = build(spec)
        sentences = [list(ex.sentences) for ex in examples]
        mine_picks = [mine.select(ex) for ex in examples]  # also fills the caches (stems, pieces)
        row = [f"{spec:<10}"]
        times = {}
        for setup in ("documented", "matched"):
            peer = sumy_runner(module, cls, setup)
            picks = [peer(s) for s in sentences]
            t_mine, times[setup] = best_times(mine.select, examples, peer, sentences, repeat)
            times["mine"] = min(times.get("mine", float("inf")), t_mine)
            if setup == "matched":
                same = np.mean([a == b for a, b in zip(mine_picks, picks)])
        ratios = {k: times[k] / times["mine"] for k in ("documented", "matched")}
        ok &= ratios["documented"] >= 10
        print(f"{spec:<10} {n / times['mine']:>9.0f} | {n / times['documented']:>12.0f} {ratios['documented']:>10.1f}x"
              f" | {n / times['matched']:>12.0f} {ratios['matched']:>10.1f}x | {same:>10.0%}")
    oracle = build("oracle")
    picks = [oracle.select(ex) for ex in examples]
    direct = [direct_oracle(list(ex.sentences), ex.reference_texts) for ex in examples]
    t_oracle, t_direct = best_times(oracle.select, examples,
                                    lambda ex: direct_oracle(list(ex.sentences), ex.reference_texts), examples, 1)
    same = picks == direct
    ratio = t_direct / t_oracle
    ok &= same and ratio >= 20
    print(f"\noracle {n / t_oracle:.0f} docs/s, direct greedy loop on rouge-score {n / t_direct:.2f} docs/s: "
          f"ratio {ratio:.1f}x, identical selections: {same}")
    print("\n'same picks': share of documents where sumy (matched) chose the same sentences; the methods differ in"
          " details (see each module's docstring).")
    print("goal: >= 10x sumy (documented setup) for each, >= 20x the direct loop for the oracle:",
          "MET" if ok else "NOT MET")
    return ok


TABLE_SPECS = ["lead", "random", "textrank", "lexrank", "lexrank:continuous=true", "centroid", "sumbasic", "klsum",
               "lsa", "luhn", "mmr", "oracle"]
TABLE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def cnndm_table(datasets=tuple(DATASETS), specs=TABLE_SPECS, rouge_types=TABLE_TYPES, limit=None) -> dict:
    """Mean ROUGE F of each summarizer vs the first (original CNN/DM) reference: {dataset: {spec: {type: F}}}.

    Scored by the harness's Scorer with its defaults (Porter stemming, nupunkt
    for rougeLsum). qlexrank is left out: CNN/DM articles have no question.
    """
    from harness.scoring import ScoreConfig, Scorer

    scorer = Scorer(ScoreConfig(rouge_types=rouge_types))
    table: dict = {}
    for dataset in datasets:
        examples = load_examples(dataset, limit)
        table[dataset] = {}
        for spec in specs:
            s = build(spec)
            scores = [scorer.score(ex, s(ex)) for ex in examples]
            table[dataset][spec] = {t: float(np.mean([sc[t].fmeasure for sc in scores])) for t in rouge_types}
        table[dataset]["_n"] = len(examples)
    return table


def check_table(table: dict) -> list[str]:
    """The published-range check for Lead-3 and the oracle-above-all check; returns the failures."""
    failures = []
    for dataset, rows in table.items():
        lead = rows["lead"]["rouge1"]
        if not 0.39 <= lead <= 0.43:
            failures.append(f"{dataset}: lead k=3 ROUGE-1 F {lead:.4f} outside [0.39, 0.43]")
        for t in rows["oracle"]:
            for spec, by_type in rows.items():
                if spec in ("oracle", "_n"):
                    continue
                if not rows["oracle"][t] > by_type[t]:
                    failures.append(f"{dataset}: oracle {t} {rows['oracle'][t]:.4f} not above {spec} {by_type[t]:.4f}")
    return failures


def print_table(table: dict) -> None:
    datasets = list(table)
    types = list(next(iter(table.values()))["lead"])
    head = ["system"] + [f"{d} {t.replace('rouge', 'R')}" for d in datasets for t in types]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for spec in next(iter(table.values())):
        if spec == "_n":
            continue
        cells = [f"{100 * table[d][spec][t]:.2f}" for d in datasets for t in types]
        label = f"{spec} (upper bound)" if spec == "oracle" else spec
        print("| " + " | ".join([label] + cells) + " |")
    print("\nROUGE F x 100, mean over " + ", ".join(f"{table[d]['_n']} {d}" for d in datasets)
          + " articles, vs the first (original CNN/DM highlights) reference; Porter stemming, rougeLsum split by nupunkt.")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--table", action="store_true", help="print the CNN/DailyMail ROUGE table instead of speeds")
    p.add_argument("--dataset", default="realsumm", choices=sorted(DATASETS), help="documents for the speed runs")
    p.add_argument("--docs", type=int, default=None, help="use only the first N documents")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    if args.table:
        table = cnndm_table(limit=args.docs)
        print_table(table)
        failures = check_table(table)
        for f in failures:
            print("FAIL:", f)
        print("checks: lead k=3 ROUGE-1 F in [0.39, 0.43] on each dataset; oracle above every method on every type:",
              "PASS" if not failures else "FAIL")
        return 1 if failures else 0
    return 0 if speed(load_examples(args.dataset, args.docs), args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
