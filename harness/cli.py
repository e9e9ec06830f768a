"""Command line: a thin layer over the library API.

    harness run [--data SPEC] [--summarizers lead,random] [--out DIR]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import HarnessError
from .loaders import load
from .pipeline import DEFAULT_SUMMARIZERS, run
from .scoring import DEFAULT_ROUGE_TYPES, MULTIREF_RULES, TOKENIZERS, ScoreConfig


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return n


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value!r}")
    return n


def add_scoring_options(p: argparse.ArgumentParser) -> None:
    """Every option that changes a score or a statistic (shared by `run` and `score`)."""
    g = p.add_argument_group("scoring")
    g.add_argument("--rouge-types", type=_csv, default=list(DEFAULT_ROUGE_TYPES),
                   help="comma-separated ROUGE types: rouge1..rouge9, rougeL, rougeLsum (default: %(default)s)")
    g.add_argument("--stemmer", dest="use_stemmer", action="store_true", default=True,
                   help="Porter-stem tokens longer than 3 letters, as rouge-score (default)")
    g.add_argument("--no-stemmer", dest="use_stemmer", action="store_false")
    g.add_argument("--tokenizer", default="rouge-score", choices=list(TOKENIZERS),
                   help="rouge-score: ASCII a-z0-9 only, as rouge-score; unicode: letters and digits of any "
                        "script (default: %(default)s)")
    g.add_argument("--lsum-split", default="nupunkt", choices=["nupunkt", "pysbd", "newline"],
                   help="sentence splitting for rougeLsum (default: %(default)s)")
    g.add_argument("--multiref", default="max", choices=list(MULTIREF_RULES),
                   help="how several references combine: max (rouge-score), mean, jackknife (GEM), "
                        "pooled (ROUGE-1.5.5 -f A) (default: %(default)s)")
    limit = g.add_mutually_exclusive_group()
    limit.add_argument("--max-words", type=_positive_int, metavar="N",
                       help="score only each summary's first N words (ROUGE-1.5.5 -l)")
    limit.add_argument("--max-bytes", type=_positive_int, metavar="N",
                       help="score only each summary's first N bytes (ROUGE-1.5.5 -b)")
    g.add_argument("--bootstrap", type=_count, default=1000, metavar="N",
                   help="resamples for confidence intervals and paired tests, 0 for none (default: %(default)s)")
    g.add_argument("--seed", type=_count, default=12345, help="seed of the resamples (default: %(default)s)")
    g.add_argument("--baseline-system", default="lead", metavar="NAME",
                   help="system the others are tested against (default: %(default)s)")
    g.add_argument("--engine", default="harness", choices=["harness", "rouge-score"],
                   help="harness (fast) or rouge-score (the reference); same numbers (default: %(default)s)")
    g.add_argument("--no-cache", dest="cache", action="store_false", default=True,
                   help="neither read nor write the score cache ($HARNESS_CACHE_DIR, default ~/.cache/harness)")


def score_config(args: argparse.Namespace) -> ScoreConfig:
    return ScoreConfig(rouge_types=tuple(args.rouge_types), use_stemmer=args.use_stemmer, tokenizer=args.tokenizer,
                       lsum_split=args.lsum_split, multiref=args.multiref, max_words=args.max_words,
                       max_bytes=args.max_bytes, bootstrap=args.bootstrap, seed=args.seed,
                       baseline_system=args.baseline_system, engine=args.engine, cache=args.cache)


def cmd_run(args: argparse.Namespace) -> int:
    corpus = load(args.data)
    out = Path(args.out) if args.out else Path("runs") / corpus.name
    result = run(corpus, args.summarizers, score_config(args), out=out)
    print(result.table(), end="")
    for note in corpus.notes:
        print(f"note: {note}")
    print(f"wrote {out}/ (summaries.jsonl, scores.jsonl, summary.json, table.md)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harness", description="Summarization evaluation harness.")
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="summarize a corpus with built-in summarizers and score them")
    p.add_argument("--data", default="interview", help="corpus spec (default: the bundled interview)")
    p.add_argument("--summarizers", type=_csv, default=list(DEFAULT_SUMMARIZERS),
                   help="comma-separated summarizer specs, e.g. lead:k=3,random:seed=1 (default: %(default)s)")
    p.add_argument("--out", help="run folder (default: runs/<corpus name>)")
    add_scoring_options(p)
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (HarnessError, ValueError) as e:
        print(f"harness: error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
