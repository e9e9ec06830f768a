"""Command line: a thin layer over the library API.

    harness run [--data SPEC] [--summarizers lead,random] [--out DIR]
                [--executor auto|serial|process|dask] [--workers N] [--scheduler ADDRESS]
                [--batch-size N] [--on-error raise|record] [--restart]
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
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


def add_execution_options(p: argparse.ArgumentParser) -> None:
    from .runner import AUTO_PROCESS_MIN, DEFAULT_BATCH_SIZE

    g = p.add_argument_group("execution")
    g.add_argument("--executor", default="auto", choices=["auto", "serial", "process", "dask"],
                   help=f"where batches run (default: process on all cores for {AUTO_PROCESS_MIN}+ examples, "
                        "else serial; dask needs the 'dask' extra)")
    g.add_argument("--workers", type=int, help="worker processes (default: every available core)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="join a running Dask cluster, e.g. tcp://10.0.0.5:8786 (default: start a local one)")
    g.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                   help="examples per batch, the unit of work and of checkpointing (default: %(default)s)")
    g.add_argument("--on-error", default="raise", choices=["raise", "record"],
                   help="a summarizer failing on an example: 'raise' finishes the other work, then exits 1 "
                        "listing every failure; 'record' writes the run with the failed rows marked "
                        "(default: %(default)s)")
    g.add_argument("--restart", dest="resume", action="store_false",
                   help="discard the checkpoints of an interrupted run in the run folder instead of resuming")


def execution_options(args: argparse.Namespace) -> dict:
    return {"executor": args.executor, "workers": args.workers, "scheduler": args.scheduler,
            "batch_size": args.batch_size, "on_error": args.on_error, "resume": args.resume,
            "log": lambda message: print(f"harness: {message}", file=sys.stderr)}


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # `kill` stops a run as Ctrl-C does: finished batches stay saved


def cmd_run(args: argparse.Namespace) -> int:
    corpus = load(args.data)
    out = Path(args.out) if args.out else Path("runs") / corpus.name
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        result = run(corpus, args.summarizers, score_config(args), out=out, **execution_options(args))
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
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
    add_execution_options(p)
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (HarnessError, ValueError) as e:
        print(f"harness: error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
    except KeyboardInterrupt:
        print("harness: interrupted", file=sys.stderr)
        return 130
