"""The path of a run: load -> summarize -> score -> aggregate -> report -> write."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import io
from .aggregate import corpus_means
from .data import Corpus
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
    has_questions = all(ex.question for ex in corpus)
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

    def summary(self) -> dict:
        return {
            "signature": self.signature,
            "config": {**self.config.to_dict(), "data": self.corpus.origin or self.corpus.name,
                       "n_examples": len(self.corpus), "notes": list(self.corpus.notes), **self.extra_config},
            "systems": corpus_means(self.rows, n_resamples=self.config.bootstrap, seed=self.config.seed,
                                    baseline=self.config.baseline_system),
        }

    def table(self, fmt: str = "github") -> str:
        return render_table(self.summary(), fmt, self.rows)

    def write(self, out: str | Path) -> Path:
        """Write the run folder; each file appears whole or not at all."""
        out = Path(out)
        io.write_jsonl(out / "summaries.jsonl",
                       ({"id": ex.id, "system": sys, "summary": "\n".join(by_id[ex.id])}
                        for ex in self.corpus for sys, by_id in self.summaries.items() if ex.id in by_id))
        io.write_jsonl(out / "scores.jsonl", self.rows)
        summary = self.summary()
        io.write_json(out / "summary.json", summary)
        write_report(out, summary, self.rows)  # table.md/.csv/.json/.tex, report.html, plots/
        return out


def score(corpus: Corpus, summaries: Summaries, config: ScoreConfig | None = None, **options) -> Result:
    """Score every system's summaries; options are `ScoreConfig` fields
    (rouge_types, use_stemmer, tokenizer, multiref, max_words, max_bytes,
    bootstrap, seed, baseline_system, engine, cache, ...)."""
    config = config or ScoreConfig(**options)
    scorer = Scorer(config)
    rows = list(scorer.score_all(progress(corpus, "score", unit="example"), summaries))
    return Result(corpus, summaries, rows, config, scorer.signature)


def run(corpus: Corpus, summarizers: Sequence[str | Summarizer] = DEFAULT_SUMMARIZERS,
        config: ScoreConfig | None = None, out: str | Path | None = None) -> Result:
    """Summarize, score and (when `out` is given) write a run folder."""
    result = score(corpus, summarize(corpus, summarizers), config)
    names = [s if isinstance(s, str) else s.name for s in summarizers]
    result.extra_config["summarizers"] = names
    # Oracles read the references: tables set them apart as upper bounds.
    result.extra_config["upper_bound"] = [n for n, s in zip(names, summarizers) if uses_references(s)]
    if out is not None:
        result.write(out)
    return result
