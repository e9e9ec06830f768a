"""Score summaries against references with ROUGE, exactly as rouge-score does.

Two engines give the same floats: "harness" (default, harness.scoring.engine)
and "rouge-score" (rouge-score 0.1.2 itself, the reference). The Scorer adds
what both share: sentence splitting for rougeLsum, length limits, several
references and the persistent cache. A Scorer scores one example or one
batch in this process; where batches run (worker processes, Dask) is
harness.executors' business.
"""
from __future__ import annotations

import math
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

from ..data import Example
from ..errors import HarnessError
from ..rouge155.api import Rouge155
from ..rouge155.text import units_from_lines
from ..sentences import split_sentences
from .cache import CacheUnavailable, CacheWarning, ScoreCache, example_key, summary_key, text_hash
from .config import ScoreConfig
from .engine import gc_paused
from .length import apply_limit
from .multiref import combine_scores, combine_stats
from .backend import get_tokenizer, make_engine
from .signature import score_signature
from .tokenize import lost_letters

_REF_CACHE_SIZE = 64     # examples whose prepared references `Scorer.references` keeps


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
    """Scores (example, summary) pairs under one `ScoreConfig`.

    Cheap to build and to pickle (only the config travels), so worker
    processes can each hold one.
    """

    def __init__(self, config: ScoreConfig | None = None) -> None:
        self.config = config = config or ScoreConfig()
        self.score_signature = score_signature(config)
        self._types = config.rouge_types
        tokenizer = get_tokenizer(config.tokenizer, config.use_stemmer)
        self._check_letters = config.tokenizer == "rouge-score"
        self._r155 = Rouge155(config.rouge155, config.rouge155_exceptions) if config.rouge155 is not None else None
        if self._r155 is not None:  # ROUGE-1.5.5 mode: harness.rouge155 reads and scores
            self._engine = self._rouge = None
        elif config.engine == "harness":
            self._engine = make_engine(config.rouge_types, tokenizer)
            self._rouge = None
        else:
            from rouge_score import rouge_scorer

            self._engine = None
            self._rouge = rouge_scorer.RougeScorer(
                list(config.rouge_types), use_stemmer=config.use_stemmer,
                tokenizer=None if config.tokenizer == "rouge-score" else tokenizer)
        self._ref_cache: OrderedDict = OrderedDict()
        self._warned_letters = False

    def __getstate__(self) -> dict:
        return {"config": self.config}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["config"])

    # -- texts ------------------------------------------------------------------------
    def prepare(self, text: str) -> str:
        """A text with its sentences on separate lines, as rougeLsum needs."""
        if self.config.lsum_split == "newline":
            return text
        return "\n".join(split_sentences(text, self.config.lsum_split))

    def summary_sentences(self, summary: Sequence[str]) -> list[str]:
        """The summary as scored: sentences without line breaks, cut to the length limit."""
        sents = [s.replace("\n", " ") for s in summary]
        return apply_limit(sents, self.config.max_words, self.config.max_bytes)

    def _letters(self, text: str, example_id: str) -> None:
        if self._check_letters and not self._warned_letters and lost_letters(text) > 0.5:
            self._warned_letters = True
            warnings.warn(f"example {example_id!r}: the rouge-score tokenizer deletes most letters of a text "
                          "(it keeps only ASCII a-z and 0-9, so this text scores near 0); "
                          "consider --tokenizer unicode", UserWarning, stacklevel=3)

    def _prepare_references(self, example_id: str, texts: Sequence[str]) -> list:
        if not texts:
            raise HarnessError(f"example {example_id!r} has no references to score against")
        for t in texts:
            self._letters(t, example_id)
        prepared = [self.prepare(t) for t in texts]
        if self._r155 is not None:
            return [self._r155.read(units_from_lines(t.split("\n"))) for t in prepared]
        return [self._engine.text(t) for t in prepared] if self._engine else prepared

    def references(self, example: Example) -> list:
        """The example's references, prepared once and kept for a while (for `score` called
        once per system); `score_example` prepares them once for all its systems anyway."""
        key = (example.id, tuple(example.reference_texts))
        refs = self._ref_cache.get(key)
        if refs is not None:
            self._ref_cache.move_to_end(key)
            return refs
        refs = self._ref_cache[key] = self._prepare_references(example.id, example.reference_texts)
        if len(self._ref_cache) > _REF_CACHE_SIZE:
            self._ref_cache.popitem(last=False)
        return refs

    # -- scoring ----------------------------------------------------------------------
    def _score_flat(self, example_id: str, refs: list, summary: Sequence[str]) -> list[float]:
        """[P, R, F of the first type, P, R, F of the second, ...]: the internal form of one summary's scores."""
        if self.config.max_words is None and self.config.max_bytes is None:
            text = "\n".join(summary)
            if text.count("\n") != len(summary) - 1:  # a sentence with a line break in it
                text = summary_text(summary)
        else:
            text = "\n".join(self.summary_sentences(summary))
        self._letters(text, example_id)
        if self.config.lsum_split != "newline":
            text = self.prepare(text)
        if self._r155 is not None:
            return self._rouge155_flat(refs, text)
        if self._engine is not None:
            pred = self._engine.text(text)
            stats = self._engine.stats
            rule = self.config.multiref
            if len(refs) == 1 and rule != "pooled":
                return self._engine.scores(refs[0], pred)  # every rule gives the one reference's scores
            if rule == "max":  # per type, the first reference with the highest F (multiref._best)
                scores = self._engine.scores
                best = scores(refs[0], pred)
                for other in (scores(r, pred) for r in refs[1:]):
                    for j in range(2, len(best), 3):
                        if other[j] > best[j]:
                            best[j - 2:j + 1] = other[j - 2:j + 1]
                return best
            combined = combine_stats(rule, [stats(r, pred) for r in refs])
            return [x for s in combined for x in s]
        per_ref = [self._rouge.score(r, text) for r in refs]
        combined = combine_scores(self.config.multiref, [[(s[t].precision, s[t].recall, s[t].fmeasure)
                                                          for t in self._types] for s in per_ref])
        return [float(x) for s in combined for x in s]  # rouge-score's 0 for empty texts is an int

    def _rouge155_flat(self, refs: list, text: str) -> list[float]:
        """ROUGE-1.5.5's per-summary scores: the text's lines are its units (sentences)."""
        scores = self._r155.evaluate(self._r155.read(units_from_lines(text.split("\n"))), refs)
        return [x for t in self._types for x in (scores[t].precision, scores[t].recall, scores[t].f)]

    def score(self, example: Example, summary: Sequence[str]) -> dict[str, PairScore]:
        """Per ROUGE type, the summary's score against the example's references (see `multiref`)."""
        with gc_paused():
            flat = self._score_flat(example.id, self.references(example), summary)
        return {t: PairScore(*flat[3 * j:3 * j + 3]) for j, t in enumerate(self._types)}

    def score_example(self, example: Example, summaries: dict[str, Sequence[str]]) -> dict[str, dict[str, PairScore]]:
        """Every system's summary of one example: `{system: {rouge_type: PairScore}}`.

        The unit of work the pipeline hands out: references are tokenized (and
        stemmed, and indexed) once for all systems.
        """
        with gc_paused():
            scores = self._score_unit((example.id, example.reference_texts, summaries))
        return {system: {t: PairScore(*flat[3 * j:3 * j + 3]) for j, t in enumerate(self._types)}
                for system, flat in scores.items()}

    def _score_unit(self, unit) -> dict[str, list[float]]:
        example_id, ref_texts, summaries = unit
        refs = self._prepare_references(example_id, ref_texts)
        out, seen = {}, {}
        for system, summary in summaries.items():
            key = tuple(summary)  # systems that wrote the same summary get the same scores
            scores = seen.get(key)
            if scores is None:
                scores = seen[key] = self._score_flat(example_id, refs, summary)
            out[system] = scores
        return out

    # -- a batch: the persistent cache ------------------------------------------------
    def score_batch(self, units: Sequence[tuple[Example, dict[str, Sequence[str]]]], *,
                    store: ScoreCache | None = None) -> list[dict[str, dict[str, PairScore]]]:
        """`score_example` for each `(example, {system: sentences})`, through the persistent cache.

        The runner's unit of work: one cache look-up and one store per batch
        (when `config.cache` is on: `store`, or the default cache); what is not
        cached is scored here, serially.
        """
        if store is None and self.config.cache:
            try:
                store = ScoreCache()
            except CacheUnavailable as e:
                warnings.warn(f"{e}; scoring without it", CacheWarning, stacklevel=2)
        keys = {}
        if store is not None:
            for i, (ex, by_system) in enumerate(units):
                shared = example_key(self.score_signature, ex.id, text_hash(ex.source), ex.reference_texts)
                keys.update(((i, s), summary_key(shared, summ)) for s, summ in by_system.items())
        found = {}
        if store is not None:
            try:
                found = store.get_many(list(dict.fromkeys(keys.values())))
            except CacheUnavailable as e:
                warnings.warn(f"{e}; scoring without it", CacheWarning, stacklevel=2)
                store = None
        out, new = [], {}
        for i, (ex, by_system) in enumerate(units):
            cached = {}
            for s in by_system:
                value = found.get(keys.get((i, s)))
                if value is not None and _flat(value, self._types) is not None:
                    cached[s] = {t: PairScore(*value[3 * j:3 * j + 3]) for j, t in enumerate(self._types)}
            missing = {s: summ for s, summ in by_system.items() if s not in cached}
            scored = self.score_example(ex, missing) if missing else {}
            if store is not None:
                for s, by_type in scored.items():
                    new[keys[i, s]] = [x for v in by_type.values() for x in (v.precision, v.recall, v.fmeasure)]
            out.append({s: cached.get(s) or scored[s] for s in by_system})
        if store is not None and new:
            try:
                store.put_many(new)
            except CacheUnavailable as e:
                warnings.warn(f"{e}; scoring without it", CacheWarning, stacklevel=2)
        return out


def _flat(value: list[float], types) -> list[float] | None:
    """A cached value: [P, R, F, ...] in `types` order (the key's signature fixes the order), or
    None unless it is 3 finite numbers in [0, 1] per type (anything else is recomputed)."""
    if len(value) != 3 * len(types) or not math.isfinite(sum(value)) or min(value) < 0.0 or max(value) > 1.0:
        return None
    return value
