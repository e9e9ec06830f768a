"""Command line: a thin layer over the library API.

    harness run [--data SPEC] [--summarizers lead,random] [--out DIR]
    harness list                      every summarizer found, its options and what it does
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import HarnessError
from .loaders import load
from .pipeline import DEFAULT_SUMMARIZERS, run
from .scoring import DEFAULT_ROUGE_TYPES, ScoreConfig


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_scoring_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("scoring")
    g.add_argument("--rouge-types", type=_csv, default=list(DEFAULT_ROUGE_TYPES),
                   help="comma-separated ROUGE types (default: %(default)s)")
    g.add_argument("--stemmer", dest="use_stemmer", action="store_true", default=True,
                   help="Porter-stem tokens (default)")
    g.add_argument("--no-stemmer", dest="use_stemmer", action="store_false")
    g.add_argument("--lsum-split", default="nupunkt", choices=["nupunkt", "pysbd", "newline"],
                   help="sentence splitting for rougeLsum (default: %(default)s)")
    g.add_argument("--multiref", default="max", help="how several references combine (default: %(default)s)")


def score_config(args: argparse.Namespace) -> ScoreConfig:
    return ScoreConfig(rouge_types=tuple(args.rouge_types), use_stemmer=args.use_stemmer,
                       lsum_split=args.lsum_split, multiref=args.multiref)


def cmd_run(args: argparse.Namespace) -> int:
    corpus = load(args.data)
    out = Path(args.out) if args.out else Path("runs") / corpus.name
    result = run(corpus, args.summarizers, score_config(args), out=out)
    print(result.table(), end="")
    for note in corpus.notes:
        print(f"note: {note}")
    print(f"wrote {out}/ (summaries.jsonl, scores.jsonl, summary.json, table.md)", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .summarizers import catalog
    from .summarizers.registry import BUDGET_KEYS

    for item in catalog():
        flag = "  [upper bound: reads the references]" if item.uses_references else ""
        print(f"{item.name:<10} {item.description}{flag}")
        if item.origin != "built-in":
            print(f"{'':<10} from {item.origin}")
        if item.error:
            print(f"{'':<10} ERROR: {item.error}")
            continue
        opts = " ".join(f"{k}={v}" for k, v in item.options)
        print(f"{'':<10} options: {opts + '  ' if opts else ''}budget: {' | '.join(BUDGET_KEYS)} (default k=3)")
    print("\nspecs: name[:key=value...], e.g. mmr:k=3:lambda=0.7; a plugin callable: package.module:callable[:key=value...]")
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

    p = sub.add_parser("list", help="list every summarizer found (built-ins and installed plugins) with its options")
    p.set_defaults(func=cmd_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (HarnessError, ValueError) as e:
        print(f"harness: error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
