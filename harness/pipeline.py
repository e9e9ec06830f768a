"""The path of a run: load -> summarize -> score -> aggregate -> report -> write.

`run` streams: examples go through `harness.runner` in batches, on the
executor chosen, and the run folder is written as batches finish; the other
functions here work on a corpus held in memory.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import io
from .aggregate import corpus_means
from .data import Corpus, Example
from .report import render_table
from .scoring import ScoreConfig, Scorer
from .summarizers import Summarizer, get

DEFAULT_SUMMARIZERS = ("lead", "random")

Summaries = dict[str, dict[str, list[str]]]  # system -> example id -> summary sentences


def summarize(corpus: Corpus, summarizers: Iterable[str | Summarizer] = DEFAULT_SUMMARIZERS) -> Summaries:
    """Run each summarizer on every example of the corpus."""
    out: Summaries = {}
    for spec in summarizers:
        s = get(spec) if isinstance(spec, str) else spec
        name = spec if isinstance(spec, str) else s.name
        out[name] = {ex.id: list(s(ex)) for ex in corpus}
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
            "systems": corpus_means(self.rows),
        }

    def table(self, fmt: str = "github") -> str:
        return render_table(self.summary(), fmt)

    def write(self, out: str | Path) -> Path:
        """Write the run folder; each file appears whole or not at all."""
        out = Path(out)
        if self.folder is not None:
            if out.resolve() != self.folder.resolve():
                for path in sorted(p for p in self.folder.iterdir() if p.is_file()):
                    with open(path, "rb") as src, io.atomic_open(out / path.name, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
            return out
        io.write_jsonl(out / "summaries.jsonl",
                       ({"id": ex.id, "system": sys, "summary": "\n".join(by_id[ex.id])}
                        for ex in self.corpus for sys, by_id in self.summaries.items()))
        io.write_jsonl(out / "scores.jsonl", self.rows)
        summary = self.summary()
        io.write_json(out / "summary.json", summary)
        io.write_text(out / "table.md", render_table(summary))
        return out


def score(corpus: Corpus, summaries: Summaries, config: ScoreConfig | None = None, **options) -> Result:
    """Score every system's summaries; options are `ScoreConfig` fields."""
    config = config or ScoreConfig(**options)
    scorer = Scorer(config)
    rows = list(scorer.score_all(corpus, summaries))
    return Result(corpus, summaries, rows, config, scorer.signature)


def run(corpus: Iterable[Example], summarizers: Iterable[str | Summarizer] = DEFAULT_SUMMARIZERS,
        config: ScoreConfig | None = None, out: str | Path | None = None, **execution) -> Result:
    """Summarize, score and write a run folder (a temporary one when `out` is None).

    `corpus` is a Corpus or any iterable of examples: they stream through in
    batches and the run's rows are written as they finish, never all held
    in memory; `Result.rows` and `Result.summaries` read them back from the
    folder. `execution` options (see `harness.runner.execute`): `executor`
    ("auto", "serial", "process", "dask" or an Executor), `workers`,
    `scheduler`, `batch_size`, `on_error` ("raise" or "record"), `resume`,
    `progress`, `log`.
    """
    from .runner import RunRows, RunSummaries, execute, system_specs

    config = config or ScoreConfig()
    summarizers = list(summarizers)
    names = [name for name, _ in system_specs(summarizers)]
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="harness-run-")
        out = tmp.name
    outcome = execute(corpus, summarizers, config, out, extra_config={"summarizers": names}, **execution)
    result = Result(corpus, RunSummaries(outcome.folder), RunRows(outcome.folder / "scores.jsonl"), config,
                    outcome.summary["signature"], {"summarizers": names}, folder=outcome.folder,
                    stats=outcome.summary)
    result._tmp = tmp  # the temporary folder lives as long as the result
    return result
