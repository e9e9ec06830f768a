"""Score summaries against references with ROUGE, exactly as rouge-score does."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from rouge_score import rouge_scorer

from ..data import Example
from ..sentences import split_sentences
from .config import ScoreConfig
from .signature import make_signature


@dataclass(frozen=True)
class PairScore:
    """ROUGE of one summary against an example's references, for one ROUGE type."""

    precision: float
    recall: float
    fmeasure: float


def summary_text(sentences: Sequence[str]) -> str:
    """A summary as rouge-score reads it: one sentence per line (for rougeLsum)."""
    return "\n".join(s.replace("\n", " ") for s in sentences)


class Scorer:
    """Scores (example, summary) pairs under one `ScoreConfig`."""

    def __init__(self, config: ScoreConfig | None = None) -> None:
        self.config = config or ScoreConfig()
        self.signature = make_signature(self.config)
        self._rouge = rouge_scorer.RougeScorer(list(self.config.rouge_types), use_stemmer=self.config.use_stemmer)
        self._ref_cache: dict[str, list[str]] = {}

    def prepare(self, text: str) -> str:
        """A text with its sentences on separate lines, as rougeLsum needs."""
        if self.config.lsum_split == "newline":
            return text
        return "\n".join(split_sentences(text, self.config.lsum_split))

    def references(self, example: Example) -> list[str]:
        refs = self._ref_cache.get(example.id)
        if refs is None:
            refs = self._ref_cache[example.id] = [self.prepare(t) for t in example.reference_texts]
        return refs

    def score(self, example: Example, summary: Sequence[str]) -> dict[str, PairScore]:
        """Per ROUGE type, the score against the best reference (highest F; first on ties)."""
        prediction = self.prepare(summary_text(summary))
        per_ref = [self._rouge.score(ref, prediction) for ref in self.references(example)]
        out = {}
        for t in self.config.rouge_types:
            best = per_ref[int(np.argmax([s[t].fmeasure for s in per_ref]))][t]
            out[t] = PairScore(float(best.precision), float(best.recall), float(best.fmeasure))
        return out

    def score_example(self, example: Example, summaries: dict[str, Sequence[str]]) -> dict[str, dict[str, PairScore]]:
        """Every system's summary of one example: `{system: {rouge_type: PairScore}}`.

        The unit of work the pipeline hands out: references are prepared once
        for all systems.
        """
        return {system: self.score(example, summary) for system, summary in summaries.items()}

    def score_all(self, examples: Iterable[Example], summaries: dict[str, dict[str, list[str]]]):
        """Rows `{"id", "system", "rouge_type", "precision", "recall", "fmeasure"}`, example-major."""
        for ex in examples:
            scored = self.score_example(ex, {system: by_id[ex.id] for system, by_id in summaries.items()
                                             if ex.id in by_id})
            for system, by_type in scored.items():
                yield from score_rows(ex.id, system, by_type)


def score_rows(example_id: str, system: str, by_type: dict[str, PairScore]):
    """The scores.jsonl rows of one (example, system)."""
    for t, s in by_type.items():
        yield {"id": example_id, "system": system, "rouge_type": t,
               "precision": s.precision, "recall": s.recall, "fmeasure": s.fmeasure}
