"""Score summaries against references with ROUGE, exactly as rouge-score does.

Two engines give the same floats: "harness" (default, harness.scoring.engine)
and "rouge-score" (rouge-score 0.1.2 itself, the reference). The Scorer adds
what both share: sentence splitting for rougeLsum, length limits, several
references, the persistent cache and the worker processes.
"""
from __future__ import annotations

import gc
import math
import os
import pickle
import sys
import warnings
from array import array
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from ..data import Example
from ..errors import HarnessError
from ..sentences import split_sentences
from .cache import CacheUnavailable, CacheWarning, ScoreCache, example_key, summary_key, text_hash
from .config import ScoreConfig
from .engine import gc_paused
from .length import apply_limit
from .multiref import combine_scores, combine_stats
from . import native
from .native import make_engine
from .signature import make_signature, score_signature
from .tokenize import get_tokenizer, learn_stems, lost_letters, stem_memo_size, stems_since

_REF_CACHE_SIZE = 64     # examples whose prepared references `Scorer.references` keeps
_BATCH = 500             # examples per cache lookup / scoring round in score_all (two in flight)
_PARALLEL_MIN_PAIRS = 1000  # (summary, reference) pairs per batch below which worker processes do not pay
# With the native core a short summary is scored in about the time this
# process spends handing it to a worker and turning its scores into rows, so
# workers pay only when each summary brings enough text to compare: its
# characters times its references plus the references' characters. (Measured
# on 2 idle cores: 1 reference of ~55 words, 600 chars, or 3, 1,800 chars:
# slower with workers; 5 systems x 3 references, 2,100 chars: 1.55x faster;
# 400-word texts, 4,800 chars: 1.66x faster.)
_PARALLEL_MIN_CHARS = 2000
_PARALLEL_MIN_WORK = 1_000_000  # and per batch, characters so counted (starting workers costs ~0.1 s)


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
        self.signature = make_signature(config)
        self.score_signature = score_signature(config)
        self._types = config.rouge_types
        tokenizer = get_tokenizer(config.tokenizer, config.use_stemmer)
        self._check_letters = config.tokenizer == "rouge-score"
        if config.engine == "harness":
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

    # -- whole corpora: cache and worker processes -------------------------------------
    def _worth_workers(self, todo: list) -> bool:
        """Whether worker processes would finish `todo` (units to score) sooner than this process."""
        n_pairs = sum(len(u[2]) * len(u[1]) for _, u in todo)
        if n_pairs < _PARALLEL_MIN_PAIRS:
            return False
        if not isinstance(self._engine, native.NativeEngine):
            return True
        chars = sum(sum(map(len, refs)) * len(summ) + sum(sum(map(len, s)) for s in summ.values()) * len(refs)
                    for _, (_, refs, summ) in todo)
        return chars >= max(_PARALLEL_MIN_WORK, _PARALLEL_MIN_CHARS * sum(len(summ) for _, (_, _, summ) in todo))

    def score_batch(self, units: Sequence[tuple[Example, dict[str, Sequence[str]]]]
                    ) -> list[dict[str, dict[str, PairScore]]]:
        """`score_example` for each `(example, {system: sentences})`, through the persistent cache.

        The executors' unit of work: one cache look-up and one store per batch
        (when `config.cache` is on); what is not cached is scored here, serially.
        """
        store = None
        if self.config.cache:
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

    def score_all(self, examples: Iterable[Example], summaries: dict[str, dict[str, Sequence[str]]], *,
                  cache: ScoreCache | bool | None = None, jobs: int | None = None) -> Iterator[dict]:
        """Rows `{"id", "system", "rouge_type", "precision", "recall", "fmeasure"}`, example-major.

        Scores found in the cache are reused, the rest is computed (in
        `jobs` worker processes when there is enough of it) and stored.
        `cache=None` follows `config.cache`; `jobs=None` follows `config.jobs`,
        else picks by the amount of work.
        """
        if cache is None:
            cache = self.config.cache
        store = ScoreCache() if cache is True else (cache if isinstance(cache, ScoreCache) else None)
        jobs = jobs or self.config.jobs
        systems = list(summaries)
        types = self._types
        pool = None

        def prepare(batch: list[Example]) -> dict:
            """Units of work, what the cache already holds, and what is left to score."""
            nonlocal store, pool
            units = []
            for ex in batch:
                by_system = {}
                for s in systems:
                    try:
                        by_system[s] = summaries[s][ex.id]
                    except KeyError:
                        raise HarnessError(f"system {s!r} has no summary for example {ex.id!r}") from None
                units.append((ex, by_system))
            done: dict[tuple[int, str], list] = {}
            keys: dict[tuple[int, str], str] = {}
            if store is not None:
                for i, (ex, by_system) in enumerate(units):
                    shared = example_key(self.score_signature, ex.id, text_hash(ex.source), ex.reference_texts)
                    for s, summ in by_system.items():
                        keys[i, s] = summary_key(shared, summ)
                try:
                    found = store.get_many(list(dict.fromkeys(keys.values())))
                except CacheUnavailable as e:
                    warnings.warn(f"{e}; scoring without it", CacheWarning, stacklevel=2)
                    store, found = None, {}
                for ik, key in keys.items():
                    value = found.get(key)
                    if value is not None and (flat := _flat(value, types)) is not None:
                        done[ik] = flat
            todo = []
            for i, (ex, by_system) in enumerate(units):
                missing = {s: summ for s, summ in by_system.items() if (i, s) not in done}
                if missing:
                    todo.append((i, (ex.id, ex.reference_texts, missing)))
            pending = None
            if todo:
                workers = jobs or (_cpu_count() if self._worth_workers(todo) else 1)
                if workers > 1 and len(todo) > 1:
                    if pool is None:
                        pool = _make_pool(workers, self.config)
                    pending = _dispatch(pool, workers, [u for _, u in todo])
            return {"units": units, "done": done, "keys": keys, "todo": todo, "pending": pending}

        def finish(state: dict) -> list[dict]:
            """Score what is left (or collect it from the workers), store it, and make the rows."""
            nonlocal store
            units, done, keys, todo = state["units"], state["done"], state["keys"], state["todo"]
            if todo:
                if state["pending"] is not None:
                    results = _collect(state["pending"], len(types))
                else:
                    results = [self._score_unit(u) for _, u in todo]
                new = {}
                for (i, _), res in zip(todo, results):
                    for s, flat in res.items():
                        done[i, s] = flat
                        if store is not None:
                            new[keys[i, s]] = flat
                if store is not None:
                    try:
                        store.put_many(new)
                    except CacheUnavailable as e:
                        warnings.warn(f"{e}; scoring without it", CacheWarning, stacklevel=2)
                        store = None
            rows = []
            for i, (ex, by_system) in enumerate(units):
                eid = ex.id
                for s in by_system:
                    v = done[i, s]
                    for j, t in enumerate(types):
                        rows.append({"id": eid, "system": s, "rouge_type": t,
                                     "precision": v[3 * j], "recall": v[3 * j + 1], "fmeasure": v[3 * j + 2]})
            return rows

        # Two batches in flight: while the workers score one, this process
        # prepares the next and turns the one before into rows. Each stage
        # runs with the collector paused (see engine.gc_paused).
        in_flight: deque = deque()
        try:
            for batch in _batches(examples, _BATCH):
                with gc_paused():
                    in_flight.append(prepare(batch))
                if len(in_flight) > 1:
                    with gc_paused():
                        rows = finish(in_flight.popleft())
                    yield from rows
            while in_flight:
                with gc_paused():
                    rows = finish(in_flight.popleft())
                yield from rows
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()


def score_rows(example_id: str, system: str, by_type: dict[str, PairScore]):
    """The scores.jsonl rows of one (example, system)."""
    for t, s in by_type.items():
        yield {"id": example_id, "system": system, "rouge_type": t,
               "precision": s.precision, "recall": s.recall, "fmeasure": s.fmeasure}


def _flat(value: list[float], types) -> list[float] | None:
    """A cached value: [P, R, F, ...] in `types` order (the key's signature fixes the order), or
    None unless it is 3 finite numbers in [0, 1] per type (anything else is recomputed)."""
    if len(value) != 3 * len(types) or not math.isfinite(sum(value)) or min(value) < 0.0 or max(value) > 1.0:
        return None
    return value


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for x in items:
        batch.append(x)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# -- worker processes ---------------------------------------------------------------------
# One pool serves every batch of a `score_all` call. Workers get (id,
# references, summaries) per example, send back scores as packed floats and,
# with NLTK's stemmer, the tokens they stemmed, which the parent keeps: workers
# of the next call start with them (on Linux workers are forked, and inherit
# the parent's memo).
_WORKER_SCORER: Scorer | None = None


def _init_worker(config: ScoreConfig) -> None:
    global _WORKER_SCORER
    _WORKER_SCORER = Scorer(config)
    gc.disable()  # a worker only scores (see engine.gc_paused)


def _work(blob: bytes) -> tuple[bytes, list]:
    units = pickle.loads(blob)
    before = stem_memo_size()
    flat = array("d")
    for unit in units:
        for scores in _WORKER_SCORER._score_unit(unit).values():
            flat.extend(scores)
    # NLTK's stemmer is slow enough that stems are worth sending back to the
    # parent (the next pool inherits them); the C stemmer is not
    return flat.tobytes(), (stems_since(before) if native.porter_stem is None else [])


def _make_pool(workers: int, config: ScoreConfig):
    import multiprocessing as mp

    # fork starts workers in milliseconds; where it is unsafe or missing (macOS, Windows), spawn
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return mp.get_context(method).Pool(workers, initializer=_init_worker, initargs=(config,))


def _dispatch(pool, workers: int, units: list):
    """Send `units` to the workers in chunks; `_collect` gets the results, in order."""
    size = max(8, min(256, len(units) // (workers * 4) or 1))
    chunks = [units[i:i + size] for i in range(0, len(units), size)]
    # Pickled here, so the pool's feeder thread only copies bytes: pickling
    # in that thread would compete for the GIL with this one
    return chunks, pool.map_async(_work, [pickle.dumps(c, pickle.HIGHEST_PROTOCOL) for c in chunks], chunksize=1)


def _collect(pending, n_types: int) -> list:
    chunks, result = pending
    width = 3 * n_types
    out = []
    for chunk, (blob, stems) in zip(chunks, result.get()):
        learn_stems(stems)
        packed = array("d")
        packed.frombytes(blob)
        flat = packed.tolist()
        k = 0
        for _, _, summaries in chunk:
            res = {}
            for system in summaries:
                res[system] = flat[k:k + width]
                k += width
            out.append(res)
    return out
