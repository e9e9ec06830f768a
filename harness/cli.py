"""Command line: a thin layer over the library API.

    harness run [--data SPEC] [--summarizers lead,random] [--predictions NAME=PATH ...] [--out DIR] [--format FMT] [--quiet]
    harness score --data SPEC --predictions NAME=PATH [--predictions ...] [--system-outputs FIELD] [--out DIR]
    harness inspect [--data SPEC] [--json] [--limit N]
    harness report RUN_DIR [--format FMT] [--precision-recall]
    harness compare RUN_A RUN_B [--force]
    harness explore RUN_DIR [RUN_B] [--ids ID,...] [--out FILE] [--data SPEC ...]   the per-example page
    harness check RUN_DIR --baseline FILE [--tolerance 0.5,rouge2=1] [--update-baseline] [--junit FILE]
    harness list                      every summarizer found, its options and what it does
    harness correlate RUN_DIR [RUN_DIR ...] --human FILE [--levels ...] [--coefficients ...] [--json FILE]
        run/score execution: [--executor auto|serial|process|dask] [--workers N] [--scheduler ADDRESS]
                             [--batch-size N] [--on-error raise|record] [--restart]
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

from . import __version__
from . import progress
from .errors import DataError, HarnessError

# Every default below is read from where it is defined (as sacrebleu's CLI reads its metrics'), inside the
# function adding the options: a command imports only what its own options and its work need
# (tests/test_startup.py checks that `harness --help` and `harness list` load no numpy, datasets or engine).

REPORT_FORMATS = ["markdown", "csv", "json", "latex", "html"]


def _alpha(value: str) -> float:
    a = float(value)
    if not 0 < a < 1:
        raise argparse.ArgumentTypeError(f"alpha must be between 0 and 1, not {value}")
    return a


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return n


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


def _seconds(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < x < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {value!r}")
    return x


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
    from .scoring.config import ENGINES, LSUM_SPLITS, MULTIREF_RULES, ROUGE155_EXCEPTIONS, TOKENIZERS, ScoreConfig

    defaults = ScoreConfig()
    g = p.add_argument_group("scoring")
    g.add_argument("--rouge-types", type=_csv, default=list(defaults.rouge_types),
                   help="comma-separated ROUGE types: rouge1..rouge9, rougeL, rougeLsum (default: %(default)s)")
    g.add_argument("--stemmer", dest="use_stemmer", action="store_true", default=defaults.use_stemmer,
                   help="Porter-stem tokens longer than 3 letters, as rouge-score (default)")
    g.add_argument("--no-stemmer", dest="use_stemmer", action="store_false")
    g.add_argument("--tokenizer", default=defaults.tokenizer, choices=list(TOKENIZERS),
                   help="rouge-score: ASCII a-z0-9 only, as rouge-score; unicode: letters and digits of any "
                        "script (default: %(default)s)")
    g.add_argument("--lsum-split", choices=list(LSUM_SPLITS),
                   help=f"sentence splitting for rougeLsum (default: {defaults.lsum_split}; newline with --rouge155)")
    g.add_argument("--multiref", default=defaults.multiref, choices=list(MULTIREF_RULES),
                   help="how several references combine: max (rouge-score), mean, jackknife (GEM), "
                        "pooled (ROUGE-1.5.5 -f A) (default: %(default)s)")
    limit = g.add_mutually_exclusive_group()
    limit.add_argument("--max-words", type=_positive_int, metavar="N",
                       help="score only each summary's first N words (ROUGE-1.5.5 -l)")
    limit.add_argument("--max-bytes", type=_positive_int, metavar="N",
                       help="score only each summary's first N bytes (ROUGE-1.5.5 -b)")
    g.add_argument("--rouge155", metavar="OPTIONS",
                   help='score as ROUGE-1.5.5 with these options, e.g. "-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m" '
                        "(docs/rouge155.md); its measures replace --rouge-types")
    g.add_argument("--rouge155-exceptions", default=defaults.rouge155_exceptions, choices=list(ROUGE155_EXCEPTIONS),
                   help="the exception database of its -m: wordnet-2.0 (rebuilt) or none (the empty one some "
                        "copies ship) (default: %(default)s)")
    g.add_argument("--bootstrap", type=_count, default=defaults.bootstrap, metavar="N",
                   help="resamples for confidence intervals and paired tests, 0 for none (default: %(default)s)")
    g.add_argument("--seed", type=_count, default=defaults.seed, help="seed of the resamples (default: %(default)s)")
    g.add_argument("--baseline-system", default=defaults.baseline_system, metavar="NAME",
                   help="system the others are tested against (default: %(default)s)")
    g.add_argument("--engine", default=defaults.engine, choices=list(ENGINES),
                   help="harness (fast) or rouge-score (the reference); same numbers (default: %(default)s)")
    g.add_argument("--no-cache", dest="cache", action="store_false", default=defaults.cache,
                   help="neither read nor write the score cache ($HARNESS_CACHE_DIR, default ~/.cache/harness)")


def score_config(args: argparse.Namespace):
    from .scoring.config import ScoreConfig

    # ROUGE-1.5.5 reads one sentence a line (its SPL input): the lines of each text, unless --lsum-split says otherwise
    lsum_split = args.lsum_split or ("newline" if args.rouge155 is not None else ScoreConfig().lsum_split)
    return ScoreConfig(rouge_types=tuple(args.rouge_types), use_stemmer=args.use_stemmer, tokenizer=args.tokenizer,
                       lsum_split=lsum_split, multiref=args.multiref, max_words=args.max_words,
                       max_bytes=args.max_bytes, bootstrap=args.bootstrap, seed=args.seed,
                       baseline_system=args.baseline_system, engine=args.engine, cache=args.cache,
                       rouge155=args.rouge155, rouge155_exceptions=args.rouge155_exceptions)


def add_execution_options(p: argparse.ArgumentParser) -> None:
    from .executors import EXECUTORS
    from .runner import AUTO_PROCESS_MIN, DEFAULT_BATCH_SIZE, ON_ERROR

    g = p.add_argument_group("execution")
    g.add_argument("--executor", default="auto", choices=["auto", *EXECUTORS],
                   help=f"where batches run (default: process on all cores for {AUTO_PROCESS_MIN}+ examples, "
                        "else serial; dask needs the 'dask' extra)")
    g.add_argument("--workers", type=int, help="worker processes (default: every available core)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="join a running Dask cluster, e.g. tcp://10.0.0.5:8786 (default: start a local one)")
    g.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                   help="examples per batch, the unit of work and of checkpointing (default: %(default)s)")
    g.add_argument("--on-error", default=ON_ERROR[0], choices=list(ON_ERROR),
                   help="a summarizer failing on an example: 'raise' finishes the other work, then exits 1 "
                        "listing every failure; 'record' writes the run with the failed rows marked "
                        "(default: %(default)s)")
    g.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                   help="a summarizer taking longer on one example fails on that example, recorded as any failure "
                        "(serial and process executors; default: no limit)")
    g.add_argument("--restart", dest="resume", action="store_false",
                   help="discard the checkpoints of an interrupted run in the run folder instead of resuming")


def execution_options(args: argparse.Namespace) -> dict:
    return {"executor": args.executor, "workers": args.workers, "scheduler": args.scheduler,
            "batch_size": args.batch_size, "on_error": args.on_error, "resume": args.resume, "timeout": args.timeout,
            "log": None if getattr(args, "quiet", False) else lambda message: print(f"harness: {message}", file=sys.stderr)}


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # `kill` stops a run as Ctrl-C does: finished batches stay saved


def add_data_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("data (see docs/data.md)")
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
                allow_missing=args.allow_missing,
                extra_fields=[args.system_outputs] if getattr(args, "system_outputs", None) else [])


def add_prediction_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("outside systems")
    g.add_argument("--predictions", action="append", default=[], metavar="NAME=PATH",
                   help="a system's summaries: JSONL {\"id\", \"summary\"} (sentences on separate lines) or a "
                        "text file with one summary per line in data order (sentences separated by <n>); repeatable")
    g.add_argument("--system-outputs", metavar="FIELD",
                   help="a field of the data holding several systems' outputs per example, {system: summary} "
                        "(as the human-judgment sets' system_outputs): each system is scored")
    g.add_argument("--prediction-id-field", default="id", help="id field of JSONL predictions (default: %(default)s)")
    g.add_argument("--prediction-summary-field", default="summary",
                   help="summary field of JSONL predictions (default: %(default)s)")


def _outside_systems(args: argparse.Namespace, data) -> list:
    """The --system-outputs and --predictions systems, checked against the loaded data (notes go to its notes)."""
    from .loaders.predictions import field_predictions, load_predictions

    systems = []
    if args.system_outputs:
        found, notes = field_predictions(data, args.system_outputs, allow_missing=args.allow_missing)
        systems += found
        data.notes.extend(notes)  # a loaded Corpus: the run records its notes in summary.json
    if args.predictions:
        found, notes = load_predictions(args.predictions, data, allow_missing=args.allow_missing,
                                        id_field=args.prediction_id_field, summary_field=args.prediction_summary_field)
        clash = sorted({p.name for p in found} & {p.name for p in systems})
        if clash:
            raise DataError(f"--predictions: system name(s) {', '.join(map(repr, clash))} also in the data's "
                            f"--system-outputs field {args.system_outputs!r}")
        systems += found
        data.notes.extend(notes)
    return systems


def _score_and_write(args: argparse.Namespace, data, summarizers: list) -> int:
    """Run `summarizers` and the --predictions systems over `data`, write the run folder, print the table."""
    from .pipeline import run
    from .report import FORMATS
    from .run_folder import default_location

    systems = _outside_systems(args, data)
    extra = {"predictions": {p.name: p.origin for p in systems}} if systems else {}
    out = Path(args.out) if args.out else default_location(data)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        result = run(data, [*summarizers, *systems], score_config(args), out=out, extra_config=extra,
                     explorer=args.explorer, **execution_options(args))
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    summary = result.summary()
    print((out / FORMATS[args.format]).read_text(encoding="utf-8"), end="")
    for note in summary["config"].get("notes", []):
        print(f"note: {note}")
    if not args.quiet:
        page = ", examples.html" if (out / "examples.html").is_file() and args.explorer else ""
        print(f"wrote {out}/ (summaries.jsonl, scores.jsonl, summary.json, {', '.join(FORMATS.values())}{page}, plots/)",
              file=sys.stderr)
    return 0


def add_explorer_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-explorer", dest="explorer", action="store_false",
                   help="do not write examples.html, the per-example page (see `harness explore`)")


def add_output_options(p: argparse.ArgumentParser, formats: list[str], default: str = "markdown") -> None:
    p.add_argument("--format", default=default, choices=formats,
                   help="what goes to the terminal (default: %(default)s)")
    p.add_argument("--quiet", action="store_true", help="no progress bars or messages on stderr")


def cmd_report(args: argparse.Namespace) -> int:
    from .report import FORMATS, render, write_report
    from .run_folder import load_run

    options = {"precision_recall": args.precision_recall, "test": args.test, "alpha": args.alpha}
    out = Path(args.out) if args.out else Path(args.run_dir)
    if args.no_write:
        from .report import build_table

        summary, rows = load_run(args.run_dir)
        print(render(build_table(summary, **options), args.format, rows), end="")
        return 0
    if out.resolve() == Path(args.run_dir).resolve():
        _report_in_place(out, options)
    else:
        write_report(out, *load_run(args.run_dir), **options)
    print((out / FORMATS[args.format]).read_text(encoding="utf-8"), end="")
    if not args.quiet:
        print(f"wrote {out}/ ({', '.join(FORMATS.values())}, plots/)", file=sys.stderr)
    return 0


def _report_in_place(run_dir: Path, options: dict) -> None:
    """The tables of a run folder again, read and written as its one writer: no run commits in between."""
    from .folder import writing
    from .report import OUTPUTS, write_files
    from .run_folder import load_run

    if not run_dir.is_dir():
        load_run(run_dir)  # its message: no such run folder
    with writing(run_dir, outputs=OUTPUTS) as writer:
        write_files(writer.staging, *load_run(run_dir), **options)
        writer.commit(replace=False)


def add_stats_options(p: argparse.ArgumentParser) -> None:
    from . import stats

    g = p.add_argument_group("statistics")
    g.add_argument("--alpha", type=_alpha, default=stats.DEFAULT_ALPHA, help="significance threshold (default: %(default)s)")
    g.add_argument("--test", default=stats.DEFAULT_TEST, choices=list(stats.TESTS),
                   help="paired test: approximate randomization, paired bootstrap, or both must agree "
                        "(default: %(default)s)")
    g.add_argument("--bootstrap", type=_positive, default=stats.DEFAULT_RESAMPLES,
                   help="resamples / randomization trials (default: %(default)s)")
    g.add_argument("--seed", type=int, default=stats.DEFAULT_SEED, help="seed of the resampling (default: %(default)s)")


def cmd_compare(args: argparse.Namespace) -> int:
    import json

    from .compare import compare, render_markdown, to_dict
    from .run_folder import load_scores

    pairs = []
    for spec in args.pair or []:
        sa, eq, sb = spec.partition("=")
        if not eq or not sa or not sb:
            raise HarnessError(f"--pair {spec!r}: expected A_SYSTEM=B_SYSTEM")
        pairs.append((sa, sb))
    cmp = compare(load_scores(args.run_a), load_scores(args.run_b), force=args.force, top=args.top, by=args.by,
                  alpha=args.alpha, test=args.test, n_resamples=args.bootstrap, seed=args.seed, pairs=pairs)
    if cmp.signature_diff and not args.quiet:
        print(f"harness: warning: {cmp.notes[0]}", file=sys.stderr)
    print(json.dumps(to_dict(cmp), indent=2, ensure_ascii=False) if args.format == "json" else render_markdown(cmp),
          end="\n" if args.format == "json" else "")
    return 0


def cmd_explore(args: argparse.Namespace) -> int:
    from .explore import Limits, compare_page, write_page
    from .loaders import stream
    from .run_folder import read_summary

    if args.run_b and Path(args.run_b).resolve() == Path(args.run_dir).resolve():
        args.run_b = None  # one run: its systems are compared within its own page
    runs = [args.run_dir] + ([args.run_b] if args.run_b else [])
    spec = args.data or read_summary(args.run_dir).get("config", {}).get("data") or "interview"
    out = Path(args.out) if args.out else compare_page(*runs) if args.run_b else Path(args.run_dir) / "examples.html"
    try:
        payload = write_page(out, runs, stream(spec, **load_options(args)), ids=args.ids,
                             limits=Limits(args.limit, args.max_mb * 1_000_000, args.rows), force=args.force)
    except DataError as e:
        where = "given with --data" if args.data else f"recorded in {args.run_dir}/summary.json; give it with --data"
        raise DataError(f"{e} (the sources and references come from the run's data, {where} and the loader "
                        "options the run had)") from None
    for note in payload.notes:
        print(f"note: {note}", file=sys.stderr)
    listed = len(payload.data["examples"])
    print(f"wrote {out} ({payload.n_total} examples: {listed} listed, {payload.n_shown} with their texts)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from . import gate, storage
    from .report.markdown import md_text
    from .run_folder import load_scores

    try:
        current = load_scores(args.run_dir)
        if args.update_baseline:
            gate.write_baseline(args.baseline, gate.baseline_from_run(current))
            print(f"wrote baseline {args.baseline}: {len(current.f)} systems x {len(current.rouge_types)} ROUGE "
                  f"types x {len(current.ids)} examples\nsignature: {current.signature}")
            return 0
        default, per_type = gate.parse_tolerances(args.tolerance)
        result = gate.check(current, gate.read_baseline(args.baseline), tolerance=default, tolerances=per_type,
                            alpha=args.alpha, test=args.test, significance=args.significance,
                            n_resamples=args.bootstrap, seed=args.seed, baseline_path=args.baseline,
                            force=args.force)
    except HarnessError as e:  # unusable input: still tell the CI job why
        gate.append_step_summary(f"## harness check: ERROR\n\n{md_text(str(e))}\n")
        if args.junit:
            storage.write_text(args.junit, gate.junit_error_xml(str(e)))
        raise
    print(gate.render_markdown(result), end="")
    gate.append_step_summary(gate.step_summary(result))
    if args.junit:
        storage.write_text(args.junit, gate.junit_xml(result))
    return result.exit_code


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


def _data(args: argparse.Namespace):
    """The examples: streamed, unless predictions must be checked against every id first."""
    from .loaders import load, stream

    return (load if args.predictions or args.system_outputs else stream)(args.data, **load_options(args))


def cmd_run(args: argparse.Namespace) -> int:
    from .pipeline import default_summarizers

    corpus = _data(args)
    specs = args.summarizers if args.summarizers is not None else default_summarizers(corpus)
    return _score_and_write(args, corpus, specs)


def cmd_score(args: argparse.Namespace) -> int:
    if not args.predictions and not args.system_outputs:
        raise HarnessError("harness score needs the systems' outputs: --predictions NAME=PATH or --system-outputs FIELD")
    corpus = _data(args)
    return _score_and_write(args, corpus, [])


def _first_words(text: str | None, n: int) -> str:
    words = (text or "").split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


def cmd_inspect(args: argparse.Namespace) -> int:
    import json

    from .loaders import stream

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


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--summarizers", type=_csv, default=None,
                   help="comma-separated summarizer specs, e.g. lead:k=3,random:seed=1 (default: every built-in; "
                        "question-aware ones only when every example has a question; see `harness list`)")
    p.add_argument("--out", help="run folder (default: runs/<data name>, see docs/cli.md)")
    add_explorer_option(p)
    add_data_options(p)
    add_prediction_options(p)
    add_scoring_options(p)
    add_output_options(p, REPORT_FORMATS)
    add_execution_options(p)
    p.set_defaults(func=cmd_run)


def _score_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", help="run folder (default: runs/<data name>, see docs/cli.md)")
    add_explorer_option(p)
    add_data_options(p)
    add_prediction_options(p)
    add_scoring_options(p)
    add_output_options(p, REPORT_FORMATS)
    add_execution_options(p)
    p.set_defaults(func=cmd_score)


def _inspect_options(p: argparse.ArgumentParser) -> None:
    add_data_options(p)
    p.add_argument("--json", action="store_true",
                   help='one JSON line per example: {"id", "question", "source", "references"} (full texts)')
    p.add_argument("--limit", type=int, help="show only the first N examples (all are still read and checked)")
    p.add_argument("--words", type=int, default=12, help="words of the source and question to show (default: 12)")
    p.set_defaults(func=cmd_inspect)


def _report_options(p: argparse.ArgumentParser) -> None:
    from . import stats

    p.add_argument("run_dir", help="a run folder written by `harness run`")
    p.add_argument("--precision-recall", action="store_true", help="precision and recall columns besides F")
    p.add_argument("--alpha", type=_alpha, default=stats.DEFAULT_ALPHA, help="significance threshold of the marks (default: %(default)s)")
    p.add_argument("--test", default=stats.DEFAULT_TEST, choices=list(stats.TESTS),
                   help="which stored p-value marks significance (default: %(default)s)")
    p.add_argument("--out", help="where the files go (default: the run folder)")
    p.add_argument("--no-write", action="store_true", help="print only; write no file")
    add_output_options(p, REPORT_FORMATS)
    p.set_defaults(func=cmd_report)


def _compare_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_a", help="run folder A (the reference)")
    p.add_argument("run_b", help="run folder B (differences are B - A)")
    p.add_argument("--force", action="store_true",
                   help="compare even when the runs were scored differently or on different data")
    p.add_argument("--top", type=_positive, default=5, help="examples listed per system as gains and as losses (default: %(default)s)")
    p.add_argument("--by", help="ROUGE type the examples are ranked by (default: the first)")
    p.add_argument("--pair", action="append", metavar="A_SYSTEM=B_SYSTEM",
                   help="compare differently named systems (repeatable); RUN_A and RUN_B may be the same folder")
    add_stats_options(p)
    add_output_options(p, ["markdown", "json"])
    p.set_defaults(func=cmd_compare)


def _explore_options(p: argparse.ArgumentParser) -> None:
    from .explore import DEFAULT_MAX_BYTES, DEFAULT_MAX_EXAMPLES, DEFAULT_MAX_ROWS

    p.add_argument("run_dir", help="a run folder written by `harness run` (A, when a second is given)")
    p.add_argument("run_b", nargs="?", help="a second run folder (B), shown beside the first")
    p.add_argument("--ids", type=_csv, help="comma-separated example ids: a page of exactly these")
    p.add_argument("--out", help="the page (default: RUN_DIR/examples.html; with RUN_B: RUN_B/examples-vs-<A>.html)")
    p.add_argument("--limit", type=_positive, default=DEFAULT_MAX_EXAMPLES,
                   help="most examples shown with their texts and marks; beyond, the extremes and a sample "
                        "(default: %(default)s)")
    p.add_argument("--rows", type=_positive, default=DEFAULT_MAX_ROWS,
                   help="most examples in the list (id and scores) (default: %(default)s)")
    p.add_argument("--max-mb", type=_positive, default=DEFAULT_MAX_BYTES // 1_000_000,
                   help="about how many MB of data the page holds at most (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="explore two runs even when they were scored differently")
    add_data_options(p)
    p.set_defaults(func=cmd_explore, data=None)


def _check_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", help="a run folder written by `harness run`")
    p.add_argument("--baseline", required=True, help="baseline file (JSON; .json.gz is compressed)")
    p.add_argument("--tolerance", action="append", metavar="POINTS|TYPE=POINTS",
                   help="allowed drop in F x 100, overall or per ROUGE type, e.g. 0.5,rouge2=1.0 (default: 0.5)")
    p.add_argument("--no-significance", dest="significance", action="store_false",
                   help="fail on any drop beyond tolerance, significant or not")
    p.add_argument("--update-baseline", action="store_true", help="write this run as the new baseline and pass")
    p.add_argument("--force", action="store_true",
                   help="check even when the run's data differs from the baseline's (same ids, other texts)")
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    add_stats_options(p)
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_check)


def _metric_pairs(value: str):
    """`--compare-metrics all` or `A,B[;C,D...]`: the metric pairs to test (None: all ordered pairs)."""
    if value.strip() == "all":
        return None
    pairs = []
    for part in value.split(";"):
        names = _csv(part)
        if len(names) != 2:
            raise argparse.ArgumentTypeError(f"expected A,B (two metric names) or 'all', not {part!r}")
        pairs.append(tuple(names))
    return tuple(pairs)


def _choices(allowed):
    def parse(value: str) -> tuple[str, ...]:
        items = _csv(value)
        bad = [v for v in items if v not in allowed]
        if bad or not items:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(allowed)}, not {value!r}")
        return tuple(items)
    return parse


def cmd_correlate(args: argparse.Namespace) -> int:
    from . import correlate as meta
    from .correlate import output, plots

    judgments = meta.read_judgments(args.human, args.human_format, field_name=args.human_field,
                                    annotators=args.annotators)
    aligned = meta.align(args.run_dirs, judgments, args.components, allow_missing=args.allow_missing)
    options = meta.Options(levels=args.levels, coefficients=args.coefficients, resampling=args.resample,
                           n_resamples=args.bootstrap, seed=args.seed, compare=args.compare_metrics)
    result = meta.correlate(aligned, options, human=f"{Path(args.human).name}:{judgments.form}")
    out = Path(args.out) if args.out else Path(args.run_dirs[0]) / "correlation"
    output.write(out, result)
    if args.plots:
        plots.write_plots(out, result)
    if args.json:
        output.write_rows(args.json, result)
    print(output.render(result, args.format), end="")
    if not args.quiet:
        print(f"wrote {out}/ ({', '.join(output.FILES.values())}{', plots/' if args.plots else ''})"
              + (f" and {args.json}" if args.json else ""), file=sys.stderr)
    return 0


def _correlate_options(p: argparse.ArgumentParser) -> None:
    from . import stats
    from .correlate import (COEFFICIENTS, COMPONENTS, DEFAULT_COEFFICIENTS, DEFAULT_COMPONENTS, LEVELS,
                            RESAMPLING)
    from .correlate.judgments import ANNOTATORS, DEFAULT_ANNOTATORS, DEFAULT_FIELD, FORMATS
    from .correlate.resampling import DEFAULT_RESAMPLING

    p.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="run folders scoring the judged systems")
    p.add_argument("--human", required=True, metavar="FILE", help="the human judgments (see docs/correlate.md)")
    p.add_argument("--human-format", default="auto", choices=list(FORMATS),
                   help="form of the judgments file (default: %(default)s, from its first record)")
    p.add_argument("--human-field", default=DEFAULT_FIELD,
                   help="field of a data file holding {system: {dimension: score}} (default: %(default)s)")
    p.add_argument("--annotators", default=DEFAULT_ANNOTATORS, choices=list(ANNOTATORS),
                   help="SummEval's annotations: expert or turker (default: %(default)s)")
    p.add_argument("--levels", type=_choices(LEVELS), default=LEVELS,
                   help=f"comma-separated, of {', '.join(LEVELS)} (default: all)")
    p.add_argument("--coefficients", type=_choices(COEFFICIENTS), default=DEFAULT_COEFFICIENTS,
                   help=f"comma-separated, of {', '.join(COEFFICIENTS)} (default: {','.join(DEFAULT_COEFFICIENTS)}; "
                        "kendall is tau-b)")
    p.add_argument("--components", type=_choices(COMPONENTS), default=DEFAULT_COMPONENTS,
                   help=f"comma-separated, of {', '.join(COMPONENTS)} (default: {','.join(DEFAULT_COMPONENTS)})")
    p.add_argument("--resample", default=DEFAULT_RESAMPLING, choices=list(RESAMPLING),
                   help="what the bootstrap and the permutation test resample (default: %(default)s)")
    p.add_argument("--bootstrap", type=_count, default=stats.DEFAULT_RESAMPLES, metavar="N",
                   help="bootstrap resamples and permutation trials, 0 for none (default: %(default)s)")
    p.add_argument("--seed", type=_count, default=stats.DEFAULT_SEED, help="seed of the resamples (default: %(default)s)")
    p.add_argument("--compare-metrics", type=_metric_pairs, default=(), metavar="A,B|all",
                   help="test whether metric A correlates more than metric B (permutation test; Williams' test at "
                        "system level for Pearson); 'A,B;C,D' for several pairs, 'all' for every ordered pair")
    p.add_argument("--allow-missing", action="store_true",
                   help="correlate over the cells that have both a score and a judgment, noting how many lack one, "
                        "instead of stopping")
    p.add_argument("--out", help="where the tables and plots go (default: RUN_DIR/correlation)")
    p.add_argument("--json", metavar="FILE", help="also write the rows as a JSON list to FILE")
    p.add_argument("--no-plots", dest="plots", action="store_false", help="write no plots")
    add_output_options(p, ["markdown", "csv", "json", "latex"])
    p.set_defaults(func=cmd_correlate)


def _list_options(p: argparse.ArgumentParser) -> None:
    p.set_defaults(func=cmd_list)


# Each command: the function adding its options, and its line in `harness --help`; `harness <command> --help`
# lists each one's options.
COMMANDS = {
    "run": (_run_options,
           "summarize a corpus with built-in summarizers and score them"),
    "score": (_score_options,
             "score outside systems' summaries (--predictions, --system-outputs) without running a summarizer"),
    "inspect": (_inspect_options,
               "show what the loader finds in --data, before running anything"),
    "report": (_report_options,
              "render a run folder's tables and plots again, without rescoring"),
    "compare": (_compare_options,
               "compare two runs over their shared examples"),
    "explore": (_explore_options,
                "write the per-example page (examples.html) of a run, or of two runs compared"),
    "check": (_check_options,
             "regression gate: exit 1 when a score drops significantly below the baseline"),
    "list": (_list_options,
            "list every summarizer found (built-ins and installed plugins) with its options"),
    # no options: main() hands its arguments to the drop-in untouched (ROUGE's own option syntax, which
    # argparse would not read as the script does)
    "rouge155": (None,
                 "ROUGE-1.5.5.pl without Perl: its arguments and config, its output byte for byte"),
    "correlate": (_correlate_options,
                  "correlate the runs' metric scores with human judgments (meta-evaluation)"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `only`, every command is listed but only that one gets its options
    (`main` parses so: a command imports the defaults of its own options only, and `harness --help` none)."""
    parser = argparse.ArgumentParser(prog="harness", description="Summarization evaluation harness.")
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    parser.add_argument("--debug", action="store_true", help="on an error, print its traceback too")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (add_options, help_line) in COMMANDS.items():
        p = sub.add_parser(name, help=help_line, add_help=add_options is not None)
        if add_options is not None and (only is None or name == only):
            add_options(p)
    for command in sub.choices.values():  # `harness run ... --debug` as well as `harness --debug run ...`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="on an error, print its traceback too")
    return parser


def _command(argv: list[str]) -> str:
    """The command `argv` names: its first word that is not an option (none: "")."""
    return next((a for a in argv if not a.startswith("-")), "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["rouge155"]:
        from .rouge155 import command as rouge155_command

        return rouge155_command.main(argv[1:])
    try:
        # Building a command's options imports what its defaults live in (numpy, scipy): Ctrl-C may land there.
        args = build_parser(only=_command(argv)).parse_args(argv)
    except KeyboardInterrupt as e:
        return _report_error(e, debug="--debug" in argv)
    progress.set_quiet(getattr(args, "quiet", False))
    try:
        return args.func(args)
    except BrokenPipeError:
        return _stdout_closed()
    except (Exception, KeyboardInterrupt) as e:
        return _report_error(e, debug=args.debug)


def _report_error(e: BaseException, debug: bool) -> int:
    """One line on stderr naming what went wrong (the traceback too under --debug); the exit code."""
    code, message = exit_status(e)
    if debug:
        traceback.print_exception(e)
    print(f"harness: {message}", file=sys.stderr)
    return code


# 128 + SIGPIPE: what a shell reports for a program stopped by a closed pipe (`yes | head -1`); never 0,
# so a gate whose report could not be printed does not pass.
EXIT_STDOUT_CLOSED = 128 + 13


def _stdout_closed() -> int:
    """The reader of stdout went away (`harness list | head -1`): stop quietly.

    As the Python manual advises (signal module, "Note on SIGPIPE"), stdout is
    pointed at /dev/null so that the interpreter's last flush does not fail again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stdout without a file descriptor (a test's capture)
        pass
    return EXIT_STDOUT_CLOSED


def exit_status(e: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message of an error that ends a command.

    0 success, 1 a regression or failed examples (`RunFailed`, the gate), 2 unusable input or an environment
    error (a file that cannot be read or written, a full disk), 130 interrupted (docs/reliability.md).
    """
    if isinstance(e, KeyboardInterrupt):
        return 130, "interrupted"
    if isinstance(e, HarnessError):
        return e.exit_code, f"error: {e}"
    if isinstance(e, OSError):
        return 2, f"error: {os_error_message(e)}"
    if isinstance(e, ValueError):
        return 2, f"error: {e}"
    return 2, (f"internal error: {type(e).__name__}: {e} (a bug in harness or in a plugin; "
               "run the same command with --debug for the traceback)")


def os_error_message(e: OSError) -> str:
    """`path: reason` of an I/O error (permissions, a full disk, a file where a folder should be)."""
    reason = e.strerror or str(e)
    if e.filename is None:
        return f"{type(e).__name__}: {reason}"
    both = f"{e.filename} -> {e.filename2}" if e.filename2 is not None else f"{e.filename}"
    return f"{both}: {reason}"
