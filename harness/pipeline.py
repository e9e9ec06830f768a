"""The path of a run: load -> summarize -> score -> aggregate -> report -> write.

`run` streams: examples go through `harness.runner` in batches, on the
executor chosen, and the run folder is written as batches finish; the other
functions here work on a corpus held in memory.
"""
from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import io
from .aggregate import corpus_means
from .data import Corpus, Example
from .progress import progress
from .report import render_table, write_report
from .scoring import ScoreConfig, Scorer
from .summarizers import Summarizer, get
from .summarizers.registry import available, uses_references

# Every built-in, so the default table shows all the baselines (the oracle as an upper bound).
DEFAULT_SUMMARIZERS = tuple(available())

Summaries = dict[str, dict[str, list[str]]]  # system -> example id -> summary sentences


def default_summarizers(corpus: Iterable) -> list[str]:
    """Every built-in, less the query-focused ones when some example has no question."""
    # A look at the first examples is enough and keeps a stream a stream.
    has_questions = all(ex.question for ex in itertools.islice(iter(corpus), 100))
    return [name for name, cls in available().items() if has_questions or not getattr(cls, "needs_question", False)]


def summarize(corpus: Corpus, summarizers: Iterable[str | Summarizer] = DEFAULT_SUMMARIZERS) -> Summaries:
    """Run each summarizer on every example of the corpus."""
    out: Summaries = {}
    for spec in summarizers:
        s = get(spec) if isinstance(spec, str) else spec
        name = spec if isinstance(spec, str) else s.name
        # An outside system's file may lack some examples (allowed with --allow-missing, and noted).
        covers = getattr(s, "covers", None)
        out[name] = {ex.id: list(s(ex)) for ex in progress(corpus, f"summarize {name}", unit="example")
                     if covers is None or covers(ex)}
    return out


@dataclass
class Result:
    """A scored run: per-example rows, corpus means and how they were computed."""

    corpus: Corpus
    summaries: Summaries
    rows: list[dict]
    config: ScoreConfig
    signature: str
    extra_config: dict = field(default_factory=dict)
    # A streamed run (`run`): its files, read back on demand for `rows` and
    # `summaries`, and its summary.json, computed as it ran.
    folder: Path | None = None
    stats: dict | None = None

    def summary(self) -> dict:
        if self.stats is not None:
            return self.stats
        return {
            "signature": self.signature,
            "config": {**self.config.to_dict(), "data": self.corpus.origin or self.corpus.name,
                       "n_examples": len(self.corpus), "notes": list(self.corpus.notes), **self.extra_config},
            "systems": corpus_means(self.rows, n_resamples=self.config.bootstrap, seed=self.config.seed,
                                    baseline=self.config.baseline_system),
        }

    def table(self, fmt: str = "github") -> str:
        return render_table(self.summary(), fmt, self.rows)

    def write(self, out: str | Path, explorer: bool = True) -> Path:
        """Write the run folder; each file appears whole or not at all. `explorer`: write examples.html."""
        out = Path(out)
        if self.folder is not None:
            if out.resolve() != self.folder.resolve():
                for path in sorted(p for p in self.folder.iterdir() if p.is_file()):
                    with open(path, "rb") as src, io.atomic_open(out / path.name, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
            return out
        io.write_jsonl(out / "summaries.jsonl",
                       ({"id": ex.id, "system": sys, "summary": "\n".join(by_id[ex.id])}
                        for ex in self.corpus for sys, by_id in self.summaries.items() if ex.id in by_id))
        io.write_jsonl(out / "scores.jsonl", self.rows)
        summary = self.summary()
        io.write_json(out / "summary.json", summary)
        write_report(out, summary, self.rows)  # table.md/.csv/.json/.tex, report.html, plots/
        if explorer:
            from .explore import write_for_run

            write_for_run(out, self.corpus, len(self.corpus))
        return out


def score(corpus: Corpus, summaries: Summaries, config: ScoreConfig | None = None, **options) -> Result:
    """Score every system's summaries; options are `ScoreConfig` fields
    (rouge_types, use_stemmer, tokenizer, multiref, max_words, max_bytes,
    bootstrap, seed, baseline_system, engine, cache, ...)."""
    config = config or ScoreConfig(**options)
    scorer = Scorer(config)
    rows = list(scorer.score_all(progress(corpus, "score", unit="example"), summaries))
    return Result(corpus, summaries, rows, config, scorer.signature)


def run(corpus: Iterable[Example], summarizers: Iterable[str | Summarizer] = DEFAULT_SUMMARIZERS,
        config: ScoreConfig | None = None, out: str | Path | None = None, explorer: bool = True,
        **execution) -> Result:
    """Summarize, score and write a run folder (a temporary one when `out` is None).

    `corpus` is a Corpus or any iterable of examples: they stream through in
    batches and the run's rows are written as they finish, never all held
    in memory; `Result.rows` and `Result.summaries` read them back from the
    folder. `execution` options (see `harness.runner.execute`): `executor`
    ("auto", "serial", "process", "dask" or an Executor), `workers`,
    `scheduler`, `batch_size`, `on_error` ("raise" or "record"), `resume`,
    `progress`, `log`. `explorer`: write the per-example page examples.html (harness.explore).
    """
    from .runner import RunRows, RunSummaries, execute, system_specs

    config = config or ScoreConfig()
    summarizers = list(summarizers)
    names = [name for name, _ in system_specs(summarizers)]
    from .loaders.predictions import Predictions

    extra = {"summarizers": [n for n, s in zip(names, summarizers) if not isinstance(s, Predictions)],
             # Oracles read the references: tables set them apart as upper bounds.
             "upper_bound": [n for n, s in zip(names, summarizers) if uses_references(s)],
             **execution.pop("extra_config", {})}
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="harness-run-")
        out = tmp.name
    if "progress" not in execution:
        execution["progress"] = _progress_callback(corpus)
    outcome = execute(corpus, summarizers, config, out, extra_config=extra, **execution)
    summary = outcome.summary
    empty = empty_summary_notes(outcome.folder / "summaries.jsonl")
    if empty:
        summary["config"]["notes"] = summary["config"].get("notes", []) + empty
        io.write_json(outcome.folder / "summary.json", summary)
    rows = RunRows(outcome.folder / "scores.jsonl")
    write_report(outcome.folder, summary, rows)  # table.md/.csv/.json/.tex, report.html, plots/
    if explorer:
        from .explore import write_for_run

        write_for_run(outcome.folder, corpus, outcome.n_examples, execution.get("log"))
    result = Result(corpus, RunSummaries(outcome.folder), rows, config, summary["signature"], extra,
                    folder=outcome.folder, stats=summary)
    result._tmp = tmp  # the temporary folder lives as long as the result
    return result


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


def empty_summary_notes(summaries_jsonl: str | Path) -> list[str]:
    """Empty summaries are legal and score 0; say how many each system gave (streamed from the file)."""
    empty: dict[str, int] = {}
    total: dict[str, int] = {}
    with open(summaries_jsonl, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            total[row["system"]] = total.get(row["system"], 0) + 1
            if row["summary"] == "":
                empty[row["system"]] = empty.get(row["system"], 0) + 1
    return [f"system {s!r}: {n} of {total[s]} summaries are empty (scored 0)" for s, n in empty.items()]
