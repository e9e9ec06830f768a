"""The front doors of a run: load -> summarize -> score -> aggregate -> report -> write.

There is one way work runs: `harness.runner.execute`, batch by batch, on an
executor, into a run folder (harness.run_folder). `run` is that path with
the report written; `score` is the same path for summaries already made
(held as `Predictions`, on the serial executor); `summarize` runs the
summarizers with the runner's checks and returns their summaries. Every door
gives the same `Result`, backed by a run folder (a temporary one when the
caller names none).
"""
from __future__ import annotations

import itertools
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from collections.abc import Sized
from pathlib import Path
from typing import Iterable

from . import storage
from .data import Example
from .errors import DataError
from .explore import PAGE, write_for_run
from .folder import read_manifest, reading, writing
from .loaders.predictions import Predictions
from .progress import progress
from .report import OUTPUTS as REPORT_OUTPUTS, render_table, write_files
from .rouge155.api import Rouge155, corpus_averages
from .run_folder import RUN_FILES, SCORES, SUMMARIES, SUMMARY, RunRows, RunSummaries
from .runner import RunFailed, build_systems, execute, summarize_example, system_specs
from .scoring import ScoreConfig
from .summarizers import Summarizer
from .summarizers.registry import builtins, uses_references

# Every built-in, so the default table shows all the baselines (the oracle as an upper bound).
DEFAULT_SUMMARIZERS = tuple(builtins())

OUTPUTS = (*RUN_FILES, *REPORT_OUTPUTS, PAGE)  # every file a run folder holds
Summaries = dict[str, dict[str, list[str]]]  # system -> example id -> summary sentences


def default_summarizers(corpus: Iterable) -> list[str]:
    """Every built-in, less the query-focused ones when some example has no question."""
    # A look at the first examples is enough and keeps a stream a stream.
    has_questions = all(ex.question for ex in itertools.islice(iter(corpus), 100))
    return [name for name, cls in builtins().items() if has_questions or not getattr(cls, "needs_question", False)]


def summarize(corpus: Iterable[Example], summarizers: Iterable[str | Summarizer] = DEFAULT_SUMMARIZERS) -> Summaries:
    """Each summarizer's summary of every example: `{system: {example id: sentences}}`.

    The runner's own summarize step (the same checks of what a summarizer
    returns), serially; an outside system without some example leaves it out.
    """
    corpus = corpus if isinstance(corpus, Sized) else list(corpus)
    out: Summaries = {}
    for name, s in build_systems(system_specs(summarizers)):
        covers = getattr(s, "covers", None)
        out[name] = {ex.id: summarize_example(s, ex) for ex in progress(corpus, f"summarize {name}", unit="example")
                     if covers is None or covers(ex)}
    return out


@dataclass
class Result:
    """A finished run: its folder, its summary.json, and its rows and summaries read back on demand."""

    folder: Path
    stats: dict
    config: ScoreConfig
    corpus: Iterable[Example] | None = None
    reported: bool = True  # the tables, report and plots are in the folder
    explorer: bool = True  # the report stage writes examples.html too (harness.explore)

    @property
    def signature(self) -> str:
        return self.stats["signature"]

    @property
    def rows(self) -> RunRows:
        return RunRows(self.folder / SCORES, owner=self)

    @property
    def summaries(self) -> RunSummaries:
        return RunSummaries(self.folder, owner=self)

    def summary(self) -> dict:
        return self.stats

    def table(self, fmt: str = "github") -> str:
        return render_table(self.stats, fmt, self.rows)

    def write(self, out: str | Path) -> Path:
        """Copy the run folder to `out`, with its tables and plots; its files appear together (harness.folder)."""
        out = Path(out)
        copy = out.resolve() != self.folder.resolve()
        with writing(out, outputs=OUTPUTS) as writer:
            if copy or not self.reported:  # the report stage reads the run from the staging folder
                self._copy_files(writer.staging)
            if not self.reported:
                _write_report(writer.staging, self.stats, self.corpus, self.explorer, shown_as=out)
            writer.commit(replace=copy)
        return out

    def _copy_files(self, stage: Path) -> None:
        with reading(self.folder):
            names = read_manifest(self.folder)["files"] if self.reported else (SUMMARIES, SCORES, SUMMARY)
            for name in names:
                with open(self.folder / name, "rb") as src, storage.atomic_open(stage / name, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)


def score(corpus: Iterable[Example], summaries: Summaries, config: ScoreConfig | None = None, *,
          out: str | Path | None = None, **options) -> Result:
    """Score summaries made elsewhere (`{system: {example id: sentences}}`) on the run path.

    `options` are `ScoreConfig` fields (rouge_types, use_stemmer, tokenizer,
    multiref, max_words, max_bytes, bootstrap, seed, baseline_system, engine,
    cache, ...). Every system must have a summary of every example, and of
    no other. The tables and plots are written by `Result.write`.
    """
    config = config or ScoreConfig(**options)
    corpus = corpus if isinstance(corpus, Sized) else list(corpus)  # a Corpus keeps its name and origin
    ids = [ex.id for ex in corpus]
    systems = [Predictions(name, {i: _sentences(name, i, s) for i, s in by_id.items()}, origin=f"summaries of {name!r}")
               for name, by_id in summaries.items()]
    for p in systems:
        p.check(ids)
    return run(corpus, systems, config, out=out, executor="serial", report=False)


def _sentences(system: str, example_id: str, summary) -> list[str]:
    """A summary given to `score`: a list (or tuple) of sentence strings, else a DataError naming it."""
    if isinstance(summary, (list, tuple)) and all(isinstance(s, str) for s in summary):
        return list(summary)
    raise DataError(f"summaries of {system!r}, id {example_id!r}: a summary should be a list of sentences (str), "
                    f"not {type(summary).__name__} {str(summary)[:60]!r}")


def _check_predictions(corpus, summarizers: list) -> None:
    """`Predictions` nobody checked (made in Python) against the examples, as the CLI checks files: every
    example needs a summary and no summary an unknown id (`Predictions.check(ids, allow_missing=True)`
    first leaves the missing ones out, with a note). A stream cannot be read twice: it is not checked."""
    unchecked = [s for s in summarizers if isinstance(s, Predictions) and not s.checked]
    if unchecked and isinstance(corpus, Sized):
        ids = [ex.id for ex in corpus]
        for p in unchecked:
            p.check(ids)


def run(corpus: Iterable[Example], summarizers: Iterable[str | Summarizer] = DEFAULT_SUMMARIZERS,
        config: ScoreConfig | None = None, out: str | Path | None = None, *, report: bool = True,
        explorer: bool = True, **execution) -> Result:
    """Summarize, score and write a run folder (a temporary one when `out` is None).

    `corpus` is a Corpus or any iterable of examples: they stream through in
    batches and the run's rows are written as they finish, never all held
    in memory; `Result.rows` and `Result.summaries` read them back from the
    folder. `report` writes the tables, report.html and plots, and with
    `explorer` the per-example page examples.html (harness.explore). `execution`
    options (see `harness.runner.execute`): `executor` ("auto", "serial",
    "process", "dask" or an Executor), `workers`, `scheduler`, `batch_size`,
    `on_error` ("raise" or "record"), `resume`, `progress`, `log`,
    `extra_config` (more fields for summary.json's "config").
    """
    config = config or ScoreConfig()
    summarizers = list(summarizers)
    names = [name for name, _ in system_specs(summarizers)]
    _check_predictions(corpus, summarizers)
    built = [(n, s) for n, s in build_systems(zip(names, summarizers)) if not isinstance(s, Predictions)]
    extra = {"summarizers": [n for n, _ in built],
             # Every option of each summarizer, defaults included (issue 13: a limit must be on record).
             "system_signatures": {n: s.signature() for n, s in built},
             # Oracles read the references: tables set them apart as upper bounds.
             "upper_bound": [n for n, s in zip(names, summarizers) if uses_references(s)],
             **execution.pop("extra_config", {})}
    temporary = out is None
    out = tempfile.mkdtemp(prefix="harness-run-") if temporary else out
    if "progress" not in execution:
        execution["progress"] = _progress_callback(corpus)
    try:
        summary = _execute_and_report(corpus, summarizers, config, Path(out), report, explorer, extra, execution)
    except BaseException as e:
        if not temporary:
            raise
        shutil.rmtree(out, ignore_errors=True)
        if isinstance(e, RunFailed):
            raise e.without_folder() from None
        raise
    result = Result(Path(out), summary, config, corpus, report, explorer)
    if temporary:  # the folder lives as long as its result
        weakref.finalize(result, shutil.rmtree, out, ignore_errors=True)
    return result


def _execute_and_report(corpus, summarizers, config: ScoreConfig, out: Path, report: bool, explorer: bool,
                        extra: dict, execution: dict) -> dict:
    """The run and its report staged, then committed together: a reader sees the old run or all of the new."""
    with writing(out, execution.get("log"), OUTPUTS) as writer:
        outcome = execute(corpus, summarizers, config, writer, extra_config=extra, **execution)
        summary = outcome.summary
        stage = writer.staging
        empty = outcome.notes  # on empty summaries, counted by the workers
        if empty:
            summary["config"]["notes"] = summary["config"].get("notes", []) + empty
        if config.rouge155 is not None:  # ROUGE-1.5.5's own averages and intervals beside the harness's
            summary["rouge155"] = corpus_averages(Rouge155(config.rouge155, config.rouge155_exceptions),
                                                  RunRows(stage / SCORES))
        if empty or config.rouge155 is not None:
            storage.write_json(stage / SUMMARY, summary)
        if report:
            _write_report(stage, summary, corpus, explorer, execution.get("log"), shown_as=out)
        writer.commit(replace=True, drop_parts=True)
    return summary


def _write_report(stage: Path, summary: dict, corpus, explorer: bool, log=None, shown_as: Path | None = None) -> None:
    """The report stage, into a writer's staging folder: table.*, report.html, plots/ and, with `explorer`,
    examples.html (which names the run `shown_as`)."""
    write_files(stage, summary, RunRows(stage / SCORES))
    if explorer:
        write_for_run(stage, corpus, summary["config"]["n_examples"], log, shown_as=shown_as)


def _progress_callback(corpus):
    """A tqdm bar fed with the count of finished examples (terminal only)."""
    from .progress import enabled

    if not enabled():
        return None
    from tqdm import tqdm
    import sys

    total = len(corpus) if hasattr(corpus, "__len__") else None
    bar = tqdm(total=total, desc="summarize+score", unit="example", leave=False, dynamic_ncols=True, file=sys.stderr)

    def update(n_done: int) -> None:
        bar.update(n_done - bar.n)
        if total is not None and n_done >= total:
            bar.close()
    return update
