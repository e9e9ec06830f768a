"""The path of a run: load -> summarize -> score -> aggregate -> report -> write."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import io
from .aggregate import corpus_means
from .data import Corpus
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

    def summary(self) -> dict:
        return {
            "signature": self.signature,
            "config": {**self.config.to_dict(), "data": self.corpus.origin or self.corpus.name,
                       "n_examples": len(self.corpus), "notes": list(self.corpus.notes), **self.extra_config},
            "systems": corpus_means(self.rows, n_resamples=self.config.bootstrap, seed=self.config.seed,
                                    baseline=self.config.baseline_system),
        }

    def table(self, fmt: str = "github") -> str:
        return render_table(self.summary(), fmt)

    def write(self, out: str | Path) -> Path:
        """Write the run folder; each file appears whole or not at all."""
        out = Path(out)
        io.write_jsonl(out / "summaries.jsonl",
                       ({"id": ex.id, "system": sys, "summary": "\n".join(by_id[ex.id])}
                        for ex in self.corpus for sys, by_id in self.summaries.items()))
        io.write_jsonl(out / "scores.jsonl", self.rows)
        summary = self.summary()
        io.write_json(out / "summary.json", summary)
        io.write_text(out / "table.md", render_table(summary))
        return out


def score(corpus: Corpus, summaries: Summaries, config: ScoreConfig | None = None, **options) -> Result:
    """Score every system's summaries; options are `ScoreConfig` fields
    (rouge_types, use_stemmer, tokenizer, multiref, max_words, max_bytes,
    bootstrap, seed, baseline_system, engine, cache, ...)."""
    config = config or ScoreConfig(**options)
    scorer = Scorer(config)
    rows = list(scorer.score_all(corpus, summaries))
    return Result(corpus, summaries, rows, config, scorer.signature)


def run(corpus: Corpus, summarizers: Sequence[str] = DEFAULT_SUMMARIZERS, config: ScoreConfig | None = None,
        out: str | Path | None = None) -> Result:
    """Summarize, score and (when `out` is given) write a run folder."""
    result = score(corpus, summarize(corpus, summarizers), config)
    result.extra_config["summarizers"] = list(summarizers)
    if out is not None:
        result.write(out)
    return result
