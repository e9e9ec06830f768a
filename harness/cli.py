"""Command line: a thin layer over the library API.

    harness run [--data SPEC] [--summarizers lead,random] [--predictions NAME=PATH ...] [--out DIR]
    harness score --data SPEC --predictions NAME=PATH [--predictions ...] [--out DIR]
    harness inspect [--data SPEC] [--json] [--limit N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import HarnessError
from .loaders import load, stream
from .loaders.predictions import load_predictions
from .pipeline import DEFAULT_SUMMARIZERS, run, score, summarize
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


def add_data_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("data (see README: Data specs)")
    g.add_argument("--data", default="interview",
                   help="interview | PAGE.txt | transcript:PATH | FILE.jsonl/.json/.csv/.tsv/.parquet | "
                        "hf:NAME[:CONFIG][:SPLIT] | a folder saved by datasets (default: the bundled interview)")
    g.add_argument("--id-field", help="column holding the example id (default: id; '' for row numbers)")
    g.add_argument("--source-field", help="column holding the text to summarize (default: source)")
    g.add_argument("--reference-field", dest="reference_fields", action="append", default=[], metavar="FIELD",
                   help="column holding references (a string or a list); repeat for one column per reference "
                        "(default: references)")
    g.add_argument("--question-field", help="column holding a question/query the source answers (optional)")
    g.add_argument("--split", help="split of a hub dataset or saved folder (default: test)")
    g.add_argument("--references", help="reference file for a transcript (default: <name>.references.jsonl)")
    g.add_argument("--answerer", dest="answerers", action="append", default=[], metavar="NAME",
                   help="transcripts: speaker label whose turns are answers, e.g. 'MR. KIRBY' "
                        "(repeatable; default: whoever answers the questions)")
    g.add_argument("--question-marker", dest="question_markers", action="append", default=[], metavar="MARKER",
                   help="transcripts: what opens a question, e.g. 'Q:' or 'REPORTER:' "
                        "(repeatable; default: 'Question:', 'QUESTION:', 'Q' followed by ':', '.' or a space)")
    g.add_argument("--moderator", dest="moderators", action="append", default=[], metavar="NAME",
                   help="transcripts: speaker label that is never an answer (repeatable; "
                        "moderators are also found by their label and their turns)")
    g.add_argument("--allow-missing", action="store_true",
                   help="leave out examples without references or predictions, printing and recording the count, "
                        "instead of stopping")


def load_options(args: argparse.Namespace) -> dict:
    return dict(id_field=args.id_field, source_field=args.source_field, reference_fields=args.reference_fields,
                question_field=args.question_field, split=args.split, references=args.references,
                answerers=args.answerers, question_markers=args.question_markers, moderators=args.moderators,
                allow_missing=args.allow_missing)


def add_prediction_options(p: argparse.ArgumentParser, required: bool = False) -> None:
    g = p.add_argument_group("outside systems")
    g.add_argument("--predictions", action="append", default=[], metavar="NAME=PATH", required=required,
                   help="a system's summaries: JSONL {\"id\", \"summary\"} (sentences on separate lines) or a "
                        "text file with one summary per line in data order (sentences separated by <n>); repeatable")
    g.add_argument("--prediction-id-field", default="id", help="id field of JSONL predictions (default: %(default)s)")
    g.add_argument("--prediction-summary-field", default="summary",
                   help="summary field of JSONL predictions (default: %(default)s)")


def _empty_notes(summaries: dict) -> list[str]:
    """Empty summaries are legal and score 0; say how many each system gave."""
    out = []
    for system, by_id in summaries.items():
        n = sum(1 for sents in by_id.values() if not sents)
        if n:
            out.append(f"system {system!r}: {n} of {len(by_id)} summaries are empty (scored 0)")
    return out


def _score_and_write(args: argparse.Namespace, corpus, summarizers: list) -> int:
    systems, notes = load_predictions(args.predictions, corpus, allow_missing=args.allow_missing,
                                      id_field=args.prediction_id_field, summary_field=args.prediction_summary_field)
    corpus.notes.extend(notes)
    summaries = summarize(corpus, [*summarizers, *systems])
    corpus.notes.extend(_empty_notes(summaries))
    result = score(corpus, summaries, score_config(args))
    if summarizers:
        result.extra_config["summarizers"] = list(summarizers)
    if systems:
        result.extra_config["predictions"] = {p.name: p.origin for p in systems}
    out = Path(args.out) if args.out else Path("runs") / corpus.name
    result.write(out)
    print(result.table(), end="")
    for note in corpus.notes:
        print(f"note: {note}")
    print(f"wrote {out}/ (summaries.jsonl, scores.jsonl, summary.json, table.md)", file=sys.stderr)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    corpus = load(args.data, **load_options(args))
    return _score_and_write(args, corpus, args.summarizers)


def cmd_score(args: argparse.Namespace) -> int:
    corpus = load(args.data, **load_options(args))
    return _score_and_write(args, corpus, [])


def _first_words(text: str | None, n: int) -> str:
    words = (text or "").split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


def cmd_inspect(args: argparse.Namespace) -> int:
    import json

    examples = stream(args.data, **load_options(args), require_references=False)
    n = 0
    n_no_ref = 0
    for ex in examples:
        n += 1
        n_no_ref += not ex.references
        if args.limit is not None and n > args.limit:
            continue  # keep reading: the count and the validation cover the whole data
        if args.json:
            print(json.dumps({"id": ex.id, "question": ex.question, "source": ex.source,
                              "references": ex.reference_texts}, ensure_ascii=False))
            continue
        who = f", speaker {ex.speaker}" if ex.speaker else ""
        print(f"{ex.id}  ({len(ex.references)} reference{'s' * (len(ex.references) != 1)}{who})")
        if ex.question:
            print(f"    question: {_first_words(ex.question, args.words)}")
        print(f"    source:   {_first_words(ex.source, args.words)}  [{len(ex.source.split())} words]")
    summary = [f"{n} example(s) from {examples.origin}"]
    if n_no_ref:
        summary.append(f"{n_no_ref} without references (run and score need them, or --allow-missing)")
    if args.limit is not None and n > args.limit:
        summary.append(f"first {args.limit} shown")
    out = sys.stderr if args.json else sys.stdout
    print("; ".join(summary), file=out)
    for note in examples.notes:
        print(f"note: {note}", file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harness", description="Summarization evaluation harness.")
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="summarize a corpus with built-in summarizers and score them")
    p.add_argument("--summarizers", type=_csv, default=list(DEFAULT_SUMMARIZERS),
                   help="comma-separated summarizer specs, e.g. lead:k=3,random:seed=1 (default: %(default)s)")
    p.add_argument("--out", help="run folder (default: runs/<corpus name>)")
    add_data_options(p)
    add_prediction_options(p)
    add_scoring_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("score", help="score outside systems' summaries (--predictions) without running a summarizer")
    p.add_argument("--out", help="run folder (default: runs/<corpus name>)")
    add_data_options(p)
    add_prediction_options(p, required=True)
    add_scoring_options(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("inspect", help="show what the loader finds in --data, before running anything")
    add_data_options(p)
    p.add_argument("--json", action="store_true",
                   help='one JSON line per example: {"id", "question", "source", "references"} (full texts)')
    p.add_argument("--limit", type=int, help="show only the first N examples (all are still read and checked)")
    p.add_argument("--words", type=int, default=12, help="words of the source and question to show (default: 12)")
    p.set_defaults(func=cmd_inspect)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (HarnessError, ValueError) as e:
        print(f"harness: error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
