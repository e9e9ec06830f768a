"""The streaming run: examples in, a run folder out, in bounded memory, on any executor.

Examples are cut into batches of `batch_size`. Each batch is summarized and
scored on a worker (`run_batch`) and comes back as the text of its
summaries.jsonl and scores.jsonl lines and a compact record of its scores:
one F per example per (system, ROUGE type), exact sums of precision and
recall, and the failures. The driver checkpoints every finished batch in
`<out>/.harness/parts/` and keeps only exact sums of precision and recall: memory does
not grow with the input. The ids' hashes (for the duplicate check) are
spilled to bucket files in `.harness/parts/ids/` as batches arrive. When every batch
is in, the number of examples n is known: the statistics pass reads each
batch's F values back from its part, in example order, and streams them
through `aggregate.Statistics` (exact means, the bootstrap and the paired
tests in O(resamples x columns) memory); the parts are joined in example
order into the run's files in the staging folder, and the caller commits
them to the run folder together (harness.folder), removing `parts/`.

Resuming: `parts/manifest.json` holds a fingerprint of everything that
decides the output except the data (scoring signature and configuration,
summarizers, batch size); each part records a digest of its batch's
examples. Running the same command again reuses every part whose
fingerprint and digest still match, and runs the rest, so an interrupted
run (Ctrl-C, a killed process, a lost worker) ends with the same files as an
uninterrupted one. Batches with failures are always run again.

Failures: a summarizer or the scorer raising on an example is recorded as a
failure of that (example, system) and the rest of the work goes on. At the
end, `on_error="raise"` (the default) writes `failures.jsonl` and raises
`RunFailed` naming every failure, keeping the parts for a resume;
`on_error="record"` writes the run with the failed rows in it (null scores
and an "error" field) and their count in summary.json and the table.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import pickle
import shutil
import signal
import threading
import time
import traceback
import uuid
from collections.abc import Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from . import stats, storage
from .aggregate import ChunkStatistics, Column, Statistics, chunk_statistics, exact_sum
from .data import Example
from .data_fingerprint import DataFingerprint
from .errors import DataError, HarnessError
from .executors import DaskExecutor, Executor, SerialExecutor, available_cores, make_executor
from .folder import Writer, writing
from .loaders.shards import Shard, ShardPlan, read_shard
from .loaders.validation import check_example
from .run_folder import (FAILURES, FORMAT, PARTS, RUN_FILES, SCORES, SUMMARIES, SUMMARY, BatchResult, IdSpill, Parts,
                         empty_notes,
                         score_row, summary_line)
from .scoring import ScoreConfig, Scorer
from .scoring.signature import make_signature
from .summarizers import Summarizer, build

DEFAULT_BATCH_SIZE = 256
# Below this many examples `auto` runs serially: starting worker processes
# (about a second) costs more than a second core saves on fewer examples.
AUTO_PROCESS_MIN = 2000
ON_ERROR = ("raise", "record")
REPORT_LINES = 50  # failures printed in an error message; failures.jsonl has them all


class RunFailed(HarnessError):
    """Some (example, system) pairs failed; `failures` holds the first few, the file all."""

    exit_code = 1

    def __init__(self, message: str, failures: list[dict], count: int, path: Path | None) -> None:
        super().__init__(message)
        self.failures, self.count, self.path = failures, count, path

    def without_folder(self) -> "RunFailed":
        """The same failures, told without the paths of a temporary run folder that is already removed."""
        lines = [f"{self.count} (example, system) pair(s) failed:", *_failure_lines(self.failures, self.count),
                 "The run had a temporary folder, now removed: give it a folder (out=...) to keep failures.jsonl "
                 "and resume, or pass on_error='record' to keep the run with the failed rows marked."]
        return RunFailed("\n".join(lines), self.failures, self.count, None)


# --- the work of one batch (runs on a worker) ----------------------------------------------------

@dataclass(frozen=True)
class Job:
    """What every batch of a run does: the systems, and how summaries are scored."""

    systems: tuple[tuple[str, Any], ...]  # (name, spec string or Summarizer object)
    config: ScoreConfig
    run_id: str  # new for every run: a worker builds the summarizers once per run
    timeout: float | None = None  # seconds a summarizer may take on one example (--timeout)

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(name, t) for name, _ in self.systems for t in self.config.rouge_types]


_BUILT: dict[str, list] = {}
_BUILT_LOCK = threading.Lock()  # Dask workers may run several tasks at once, in threads


def _summarizers(job: Job) -> list[tuple[str, Summarizer]]:
    with _BUILT_LOCK:
        built = _BUILT.get(job.run_id)
        if built is None:
            _BUILT.clear()  # one run at a time per worker: don't keep old runs' summarizers alive
            built = _BUILT[job.run_id] = build_systems(job.systems)
        return built


def build_systems(systems: Iterable[tuple[str, Any]]) -> list[tuple[str, Summarizer]]:
    """`(name, Summarizer)` for each `(name, spec)` of `system_specs`: specs are built, objects kept."""
    return [(name, build(spec) if isinstance(spec, str) else spec) for name, spec in systems]


def _failure(example_id: str, system: str, stage: str, error: BaseException) -> dict:
    return {"id": example_id, "system": system, "stage": stage, "error": f"{type(error).__name__}: {error}",
            "traceback": "".join(traceback.format_exception(error))}


class ExampleTimeout(TimeoutError):
    """A summarizer took longer than --timeout on one example: a failure of that example."""


@contextmanager
def time_limit(seconds: float | None, name: str):
    """Raise ExampleTimeout in the block after `seconds` (None: no limit).

    A real-time timer (SIGALRM) interrupts the Python code of the summarizer wherever it is; it needs
    the process's main thread, as the serial executor and the process workers have (`execute` refuses
    the Dask executor, whose tasks run in threads). Code running inside a C call (a long numpy
    operation) is interrupted when it returns to Python.
    """
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise ExampleTimeout(f"summarizer {name!r} took longer than --timeout {seconds:g} s on this example")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def summarize_example(summarizer: Summarizer, example: Example) -> list[str]:
    """The summarizer's sentences; anything but a list (or tuple) of str is a TypeError, a failure of this
    example (a str would otherwise be read as one sentence per character, a generator as nothing)."""
    out = summarizer(example)
    if not isinstance(out, (list, tuple)) or not all(isinstance(s, str) for s in out):
        bad = next((s for s in out if not isinstance(s, str)), None) if isinstance(out, (list, tuple)) else out
        raise TypeError(f"a summarizer must return a list of sentences (str), not {type(out).__name__}"
                        + (f" holding {type(bad).__name__}" if isinstance(out, (list, tuple)) else "")
                        + f": {str(bad)[:60]!r}")
    return list(out)


def run_batch(job: Job, examples: Sequence[Example]) -> BatchResult:
    """Summarize and score one batch; a failure costs only its (example, system)."""
    systems = _summarizers(job)
    # A scorer per batch: its reference cache then lives as long as the batch.
    scorer = Scorer(job.config)
    types = job.config.rouge_types
    f = np.full((len(examples), len(systems) * len(types)), np.nan)
    precision: list[list[float]] = [[] for _ in range(f.shape[1])]
    recall: list[list[float]] = [[] for _ in range(f.shape[1])]
    summaries, scores, failures = [], [], []
    rows: dict[str, int] = {}
    empty: dict[str, int] = {}
    per_example = []  # (outputs, failed) of each example
    for ex in examples:
        outputs, failed = {}, {}
        for name, summarizer in systems:
            covers = getattr(summarizer, "covers", None)
            if covers is not None and not covers(ex):
                continue  # an outside system without this id (--allow-missing): no row, counted in the notes
            try:
                with time_limit(job.timeout, name):
                    outputs[name] = summarize_example(summarizer, ex)
            except Exception as e:
                failed[name] = _failure(ex.id, name, "summarize", e)
        per_example.append((outputs, failed))
    try:  # the whole batch at once: one persistent-cache look-up
        all_scored = scorer.score_batch([(ex, outputs) for ex, (outputs, _) in zip(examples, per_example)])
    except Exception:
        all_scored = None
    for i, ex in enumerate(examples):
        outputs, failed = per_example[i]
        scored = all_scored[i] if all_scored is not None else {}
        if all_scored is None:
            for name, sentences in outputs.items():  # find which system's summary the scorer fails on
                try:
                    scored.update(scorer.score_example(ex, {name: sentences}))
                except Exception as e:
                    failed[name] = _failure(ex.id, name, "score", e)
        for j, (name, _) in enumerate(systems):
            if name not in outputs and name not in failed:
                continue
            rows[name] = rows.get(name, 0) + 1
            if name in failed:
                error = failed[name]["error"]
                failures.append(failed[name])
                summaries.append(summary_line(ex.id, name, None, error))
                scores.extend(storage.dumps_line(score_row(ex.id, name, t, None, None, None, error)) for t in types)
                continue
            summaries.append(summary_line(ex.id, name, outputs[name]))
            if not "".join(outputs[name]):  # its summaries.jsonl text is ""
                empty[name] = empty.get(name, 0) + 1
            for c, t in enumerate(types):
                s = scored[name][t]
                col = j * len(types) + c
                f[i, col] = s.fmeasure
                precision[col].append(s.precision)
                recall[col].append(s.recall)
                scores.append(storage.dumps_line(score_row(ex.id, name, t, s.precision, s.recall, s.fmeasure)))
    return BatchResult(len(examples), "".join(summaries), "".join(scores), f,
                       [exact_sum(v) for v in precision], [exact_sum(v) for v in recall], failures, rows, empty)


def run_shard(job: Job, shard: Shard) -> BatchResult:
    """Read, parse and validate a shard of the data here on the worker, then run it as a batch."""
    examples = read_shard(shard)
    result = run_batch(job, examples)
    result.ids = _id_hashes(examples)
    data = DataFingerprint()
    data.add(examples)
    result.data = data.to_dict()
    return result


# --- the driver ---------------------------------------------------------------------------------

def system_specs(summarizers: Iterable[str | Summarizer]) -> tuple[tuple[str, Any], ...]:
    """`(name, spec)` per system; specs are built once here so that a bad one fails before any work."""
    out = []
    for spec in summarizers:
        if isinstance(spec, str):
            build(spec)
            out.append((spec, spec))
        elif isinstance(spec, Summarizer):
            out.append((spec.name, spec))
        else:
            raise HarnessError(f"not a summarizer: {spec!r} (give a spec such as 'lead:k=3' or a Summarizer)")
    if not out:
        raise HarnessError("no system to run: the list of summarizers is empty (--summarizers \"\") and no "
                           "--predictions were given")
    names = [n for n, _ in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise HarnessError(f"two systems are named {', '.join(map(repr, dup))}: give each its own options or name")
    return tuple(out)


def _spec_key(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    cls = type(spec)
    try:
        state = hashlib.sha256(pickle.dumps(spec, protocol=4)).hexdigest()
    except Exception:  # not picklable: only the serial executor can run it
        state = repr(sorted(vars(spec).items(), key=lambda kv: kv[0]))
    return f"{cls.__module__}.{cls.__qualname__}:{state}"


def fingerprint(systems, config: ScoreConfig, signature: str, batch_size: int, sharded: bool = False) -> str:
    """What decides a run's output besides its data: equal fingerprints, interchangeable parts.

    Parts of a run that sent examples and of one whose workers read shards
    are cut differently, so they do not mix.
    """
    key = {"format": FORMAT, "signature": signature, "config": config.to_dict(), "batch_size": batch_size,
           "systems": [[name, _spec_key(spec)] for name, spec in systems]}
    if sharded:
        key["shards"] = True
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


def batch_digest(examples: Sequence[Example]) -> str:
    """A digest of everything in a batch's examples that a summarizer or the scorer can read."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps([ex.id, ex.source, [[r.text, r.annotator, r.kind] for r in ex.references],
                             ex.question, ex.speaker, list(ex.paragraphs), ex.splitter, ex.meta],
                            sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _id_hashes(examples: Sequence[Example]) -> np.ndarray:
    return np.array([int.from_bytes(hashlib.blake2b(ex.id.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                                    "little") for ex in examples], dtype=np.uint64)


def _chunks(examples: Iterable[Example], size: int, where: str) -> Iterator[list[Example]]:
    """The examples in batches of `size`, each given the loaders' checks (it may come from Python directly)."""
    it = iter(examples)
    while batch := list(itertools.islice(it, size)):
        for ex in batch:
            if not isinstance(ex, Example):
                raise DataError(f"expected harness.data.Example objects, got {type(ex).__name__}")
            check_example(ex, where)
        yield batch


def choose_executor(examples: Iterable[Example], name: str | Executor, workers: int | None,
                    scheduler: str | None) -> tuple[Executor, Iterable[Example]]:
    """The executor for a run; `auto` is `process` for large inputs on a multi-core machine.

    The size of a stream without a length is found by reading ahead up to
    `AUTO_PROCESS_MIN` examples (kept and run first).
    """
    if isinstance(name, Executor):
        return name, examples
    if name != "auto":
        return make_executor(name, workers, scheduler), examples
    if scheduler:
        return make_executor("dask", workers, scheduler), examples
    if workers == 1 or (workers is None and available_cores() < 2):
        return SerialExecutor(), examples
    if isinstance(examples, Sized):
        large = len(examples) >= AUTO_PROCESS_MIN
    else:
        it = iter(examples)
        head = list(itertools.islice(it, AUTO_PROCESS_MIN))
        large = len(head) >= AUTO_PROCESS_MIN
        examples = itertools.chain(head, it)
    return (make_executor("process", workers) if large or workers else SerialExecutor()), examples


@dataclass
class Outcome:
    """What a finished run wrote: its folder and the content of its summary.json."""

    folder: Path
    summary: dict
    n_examples: int
    n_failed: int
    # wall-clock seconds of the driver's final passes: "statistics" (reading the
    # F values back from the parts, means, bootstrap and paired tests), "join"
    # (the parts into summaries.jsonl / scores.jsonl)
    seconds: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # on empty summaries (`run_folder.empty_notes`)


@dataclass
class Tally:
    """What the driver keeps of finished batches: exact sums of P and R per column, counts, failures.

    F stays in each batch's part: the statistics pass reads it back.
    """

    columns: list[tuple[str, str]]
    precision: list[list[float]]
    recall: list[list[float]]
    failed_by_system: dict[str, int]
    first_failures: list[dict] = field(default_factory=list)
    examples: int = 0
    batches: int = 0
    failures: int = 0

    @classmethod
    def start(cls, job: Job) -> "Tally":
        k = len(job.columns)
        return cls(job.columns, [[] for _ in range(k)], [[] for _ in range(k)], {name: 0 for name, _ in job.systems})

    def add(self, n: int, precision: list, recall: list, failures: list[dict]) -> None:
        for c in range(len(self.columns)):
            self.precision[c] = exact_sum(self.precision[c] + list(precision[c]))
            self.recall[c] = exact_sum(self.recall[c] + list(recall[c]))
        for fail in failures:
            self.failed_by_system[fail["system"]] += 1
            if len(self.first_failures) < REPORT_LINES:
                self.first_failures.append(fail)
        self.examples += n
        self.batches += 1
        self.failures += len(failures)

    def columns_totals(self) -> dict[tuple[str, str], Column]:
        return {(system, t): Column(np.zeros(0), math.fsum(self.precision[c]), math.fsum(self.recall[c]),
                                    self.failed_by_system[system])
                for c, (system, t) in enumerate(self.columns)}


def _check_timeout(timeout) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < math.inf:
        raise HarnessError(f"--timeout must be a positive number of seconds, not {timeout!r}")
    return float(timeout)


def _check_options(on_error: str, batch_size: int | None, workers: int | None) -> int:
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise HarnessError(f"--workers must be at least 1, not {workers!r}")
    if on_error not in ON_ERROR:
        raise HarnessError(f"--on-error must be one of {', '.join(ON_ERROR)}, not {on_error!r}")
    batch_size = DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    if batch_size < 1:
        raise HarnessError(f"--batch-size must be at least 1, not {batch_size}")
    return batch_size


class Batches:
    """The input cut into numbered batches, with what is done to each as it is read.

    Every batch's id hashes go to the spill (the duplicate check covers the
    whole input); a batch whose checkpoint is reusable is tallied from its
    part and not yielded; the others are yielded, with their digests kept for
    `Parts.save`.
    """

    def __init__(self, examples: Iterable[Example], batch_size: int, parts: Parts, reusable: set[int],
                 ids: IdSpill, tally: Tally, source) -> None:
        self.examples, self.batch_size, self.parts, self.reusable = examples, batch_size, parts, reusable
        self.ids, self.tally, self.source = ids, tally, source
        self.seen = 0
        self.digests: dict[int, str] = {}  # of the batches in flight
        self.data = DataFingerprint()  # of every example, reused batches included

    def __iter__(self) -> Iterator[tuple[int, list[Example]]]:
        for index, batch in enumerate(_chunks(self.examples, self.batch_size, _where(self.source))):
            self.seen += 1
            digest = batch_digest(batch)
            self._add_ids(batch)
            self.data.add(batch)
            if index in self.reusable and self._reuse(index, digest):
                continue
            self.digests[index] = digest
            yield index, batch

    def _add_ids(self, batch: list[Example]) -> None:
        hashes = _id_hashes(batch)
        self.ids.add(hashes)
        if len(set(hashes.tolist())) < len(batch):
            dups = sorted({ex.id for ex in batch if sum(e.id == ex.id for e in batch) > 1})
            if dups:
                raise DataError(f"{_where(self.source)}: duplicate example id(s): {', '.join(map(repr, dups[:10]))}")

    def _reuse(self, index: int, digest: str) -> bool:
        rec = self.parts.load(index)
        if rec is None or rec["digest"] != digest or rec["failures"]:
            return False
        self.tally.add(rec["n"], rec["precision"], rec["recall"], [])
        return True

    def arrived(self, result: BatchResult) -> None:
        """A finished batch came back (its ids were hashed as it went out)."""


class ShardBatches(Batches):
    """The shards of a plan as numbered batches: the workers read them, and send back their ids' hashes.

    The driver reads no example: a shard's digest is its place in the data
    and the file's size and modification time, and a reused part gives back
    the id hashes its worker sent.
    """

    def __init__(self, plan: ShardPlan, parts: Parts, reusable: set[int], ids: IdSpill, tally: Tally,
                 source) -> None:
        super().__init__((), 0, parts, reusable, ids, tally, source)
        self.plan = plan

    def __iter__(self) -> Iterator[tuple[int, Shard]]:
        for index, shard in enumerate(self.plan.shards):
            self.seen += 1
            digest = shard.digest()
            if index in self.reusable and self._reuse(index, digest):
                continue
            self.digests[index] = digest
            yield index, shard

    def _reuse(self, index: int, digest: str) -> bool:
        hashes = self.parts.ids(index)
        data = (self.parts.load(index) or {}).get("data")
        if hashes is None or data is None or not super()._reuse(index, digest):
            return False
        self.ids.add(hashes)
        self.data.merge(data)
        return True

    def arrived(self, result: BatchResult) -> None:
        self.ids.add(result.ids)
        self.data.merge(result.data)


def execute(examples: Iterable[Example], summarizers: Iterable[str | Summarizer], config: ScoreConfig,
            out: str | Path | Writer, *, executor: str | Executor = "auto", workers: int | None = None,
            scheduler: str | None = None, batch_size: int | None = None, on_error: str = "raise",
            resume: bool = True, progress: Callable[[int], None] | None = None,
            log: Callable[[str], None] | None = None, extra_config: dict | None = None,
            timeout: float | None = None) -> Outcome:
    """Summarize and score `examples` batch by batch and write the run folder `out`.

    `examples` is any iterable of `Example` (a Corpus, a list, a generator
    reading a file); its `name`/`origin`/`notes` attributes, where it has
    them, are recorded in summary.json. `progress(n)` is called with the
    number of examples finished so far; `log(message)` with notes for the
    user (a resume, discarded checkpoints). `timeout` (seconds) makes a summarizer that takes longer on
    an example a failure of that example (serial and process executors). `out` is a folder (locked, and
    its files committed together at the end: harness.folder) or the `Writer` of one, whose staging
    folder receives the files and whose caller commits.
    """
    batch_size = _check_options(on_error, batch_size, workers)
    log = log or (lambda message: None)
    with _writer(out, log) as writer:
        source = examples
        systems = system_specs(summarizers)
        signature = make_signature(config, stats.RESAMPLER)
        job = Job(systems, config, uuid.uuid4().hex, _check_timeout(timeout))
        executor, examples = choose_executor(examples, executor, workers, scheduler)
        if timeout and (executor.name == "dask" or (executor.name == "serial" and
                                                    threading.current_thread() is not threading.main_thread())):
            raise HarnessError(f"--timeout needs the main thread of the process summarizing (the serial executor "
                               f"from the main thread, or the process executor), not the {executor.name} executor here")
        plan = shard_plan(source, executor, batch_size)
        parts = Parts(writer.parts)
        reusable = parts.open(fingerprint(systems, config, signature, batch_size, plan is not None), resume, log)
        tally = Tally.start(job)
        if plan is None:
            batches = Batches(examples, batch_size, parts, reusable, IdSpill(parts.folder / "ids"), tally, source)
        else:
            batches = ShardBatches(plan, parts, reusable, IdSpill(parts.folder / "ids"), tally, source)
        with executor:  # open until the statistics are done: on Dask the workers resample too
            return _finish(executor, job, batches, parts, tally, progress, log, writer, plan, source, on_error,
                           config, signature, extra_config)


def _finish(executor, job, batches, parts, tally, progress, log, writer, plan, source, on_error, config,
            signature, extra_config) -> "Outcome":
    """The batches run, then the checks, the join and the statistics, with the executor open."""
    _run_batches(executor, job, batches, parts, tally, progress, log, run_batch if plan is None else run_shard)
    if not tally.examples:
        notes = "; ".join(getattr(source, "notes", []))
        raise DataError(f"{_where(source)}: no example to score" + (f" ({notes})" if notes else ""))
    _check_unique_ids(batches.ids, batches.seen, parts, source)
    _report_failures(writer, parts, tally, batches.seen, on_error)
    stage = writer.staging
    t0 = time.perf_counter()
    _join_parts(stage, parts, batches.seen)
    t1 = time.perf_counter()
    summary = {
        "signature": signature,
        "config": {**config.to_dict(), "data": _where(source, "examples"), "n_examples": tally.examples,
                   "data_fingerprint": batches.data.to_dict(),
                   "notes": list(plan.notes if plan else getattr(source, "notes", [])),
                   **(extra_config or {})},
        "systems": _statistics(config, job, tally, parts, batches.seen, executor),
    }
    t2 = time.perf_counter()
    storage.write_json(stage / SUMMARY, summary)
    return Outcome(writer.path, summary, tally.examples, tally.failures, {"join": t1 - t0, "statistics": t2 - t1},
                   _empty_notes(parts, batches.seen))


@contextmanager
def _writer(out: str | Path | Writer, log: Callable[[str], None]) -> Iterator[Writer]:
    """The writer of `out`: the caller's, or one held for this run alone and committed when it ends."""
    if isinstance(out, Writer):
        yield out
        return
    with writing(out, log, RUN_FILES) as writer:
        yield writer
        writer.commit(replace=True, drop_parts=True)


def shard_plan(source, executor: Executor, batch_size: int) -> ShardPlan | None:
    """The shards workers read themselves, on Dask, where the source can be cut; else None (examples are sent)."""
    make = getattr(source, "shard_plan", None)
    if make is None or not isinstance(executor, DaskExecutor):
        return None
    return make(batch_size)


def _run_batches(executor: Executor, job: Job, batches: Batches, parts: Parts, tally: Tally,
                 progress: Callable[[int], None] | None, log: Callable[[str], None], task: Callable) -> None:
    """Every batch not reused, on the executor; each is checkpointed as it finishes."""
    finished = False
    try:
        for index, result in executor.imap_unordered(task, job, iter(batches)):
            batches.arrived(result)
            parts.save(index, batches.digests.pop(index), result)
            tally.add(result.n, result.precision, result.recall, result.failures)
            if progress:
                progress(tally.examples)
        finished = True
    finally:
        if not finished:
            log(f"stopped: {tally.batches} finished batch(es) are saved in {parts.folder}; "
                "run the same command again to resume")
    assert tally.batches == batches.seen, (tally.batches, batches.seen)


def _report_failures(writer: Writer, parts: Parts, tally: Tally, n_batches: int, on_error: str) -> None:
    """failures.jsonl (staged with the run's files), and RunFailed under on_error="raise".

    A failed run commits failures.jsonl alone: the folder keeps its previous
    run beside the report of what failed in this one.
    """
    if not tally.failures:
        return  # the commit removes a stale failures.jsonl of an earlier run
    with storage.atomic_open(writer.staging / FAILURES) as fh:
        for index in range(n_batches):
            for fail in parts.failures(index):
                fh.write(storage.dumps_line(fail))
    if on_error == "raise":
        writer.commit(replace=False)
        out = writer.path
        raise RunFailed(_failure_report(tally.first_failures, tally.failures, out, parts), tally.first_failures,
                        tally.failures, out / FAILURES)


def _join_parts(out: Path, parts: Parts, n_batches: int) -> None:
    """The parts, in example order, into summaries.jsonl and scores.jsonl (each written atomically)."""
    with storage.atomic_open(out / SUMMARIES) as fs, storage.atomic_open(out / SCORES) as fc:
        for index in range(n_batches):
            for kind, fh in (("summaries", fs), ("scores", fc)):
                with open(parts.name(index, f"{kind}.jsonl"), encoding="utf-8") as part:
                    shutil.copyfileobj(part, fh, 1 << 20)


def _statistics(config: ScoreConfig, job: Job, tally: Tally, parts: Parts, n_batches: int,
                executor: Executor) -> dict:
    """summary.json's "systems": the F of each batch, back from its part in example order, streamed.

    On Dask the workers compute each resampling chunk's share (`aggregate.chunk_statistics`: exact
    sums, the bootstrap and the randomization), the driver only adds them up in chunk order: the same
    bits as here.
    """
    statistics = Statistics(job.columns, tally.examples, n_resamples=config.bootstrap, seed=config.seed,
                            baseline=config.baseline_system)
    f_blocks = (parts.f_values(index, len(job.columns)) for index in range(n_batches))
    if isinstance(executor, DaskExecutor) and statistics.resampler is not None:
        _resample_on_workers(executor, statistics, f_blocks)
    else:
        for f in f_blocks:
            statistics.add(f)
    return statistics.result(tally.columns_totals())


def _resample_on_workers(executor: Executor, statistics: Statistics, f_blocks: Iterator[np.ndarray]) -> None:
    """Each resampling chunk's F to a worker; the parts back, added in chunk order (held until their turn)."""
    spec = (len(statistics.keys), statistics.pairs, statistics.resampler.seed)
    chunks = ((index, (index, f, draws)) for (index, _, draws), f in zip(statistics.chunks(), _rechunk(f_blocks, statistics)))
    done: dict[int, ChunkStatistics] = {}
    merged = 0
    for index, part in executor.imap_unordered(_chunk_task, spec, chunks):
        done[index] = part
        while merged in done:
            statistics.merge(done.pop(merged), _chunk_rows(statistics, merged))
            merged += 1


def _chunk_rows(statistics: Statistics, index: int) -> int:
    chunk = statistics.resampler.chunk
    return min(chunk, statistics.n - index * chunk)


def _rechunk(blocks: Iterator[np.ndarray], statistics: Statistics) -> Iterator[np.ndarray]:
    """The rows of `blocks` (each batch's F) cut into the resampler's chunks."""
    chunk = statistics.resampler.chunk
    pending: list[np.ndarray] = []
    held = 0
    for block in blocks:
        pending.append(block)
        held += len(block)
        while held >= chunk:
            rows = np.concatenate(pending)
            yield rows[:chunk]
            pending, held = [rows[chunk:]], held - chunk
    if held:
        yield np.concatenate(pending)


def _chunk_task(spec: tuple, item: tuple) -> ChunkStatistics:
    """On a worker: one chunk's share of the statistics."""
    k, pairs, seed = spec
    index, f, draws = item
    return chunk_statistics(f, k, pairs, draws, seed, index)


def _empty_notes(parts: Parts, n_batches: int) -> list[str]:
    """Notes on empty summaries, from the counts each batch's worker made (in the order first seen)."""
    empty: dict[str, int] = {}
    total: dict[str, int] = {}
    for index in range(n_batches):
        rec = parts.marker(index)
        for system, n in rec.get("empty", {}).items():
            empty[system] = empty.get(system, 0) + n
        for system, n in rec.get("rows", {}).items():
            total[system] = total.get(system, 0) + n
    return empty_notes(empty, total)


def _check_unique_ids(ids: IdSpill, n_batches: int, parts: Parts, source) -> None:
    """Ids must be unique across the whole stream: checked on 8-byte hashes, then named."""
    if not n_batches:
        return
    dup_hashes = ids.duplicates()
    if not dup_hashes:
        return
    dups: dict[str, int] = {}
    for index in range(n_batches):
        with open(parts.name(index, "summaries.jsonl"), encoding="utf-8") as fh:
            seen_here = set()
            for line in fh:
                ex_id = json.loads(line)["id"]
                if ex_id in seen_here:
                    continue  # one line per system
                seen_here.add(ex_id)
                if int(_id_hashes([Example(ex_id, "")])[0]) in dup_hashes:
                    dups[ex_id] = dups.get(ex_id, 0) + 1
    named = [f"{i!r} ({n} times)" for i, n in dups.items() if n > 1]
    raise DataError(f"{_where(source)}: duplicate example id(s): {', '.join(named[:10])}")


def _where(source, default: str = "the examples") -> str:
    return getattr(source, "origin", "") or getattr(source, "name", "") or default


def _failure_lines(failures: list[dict], count: int) -> list[str]:
    lines = [f"  {f['id']}  {f['system']}  [{f['stage']}] {f['error']}" for f in failures]
    if count > len(failures):
        lines.append(f"  ... and {count - len(failures)} more")
    return lines


def _failure_report(failures: list[dict], count: int, out: Path, parts: Parts) -> str:
    lines = [f"{count} (example, system) pair(s) failed; every one is listed in {out / 'failures.jsonl'}:"]
    lines += _failure_lines(failures, count)
    lines.append(f"The other work is saved in {parts.folder}: fix the cause and run the same command to resume "
                 "(only the failed batches run again), or pass --on-error record to write the run with the "
                 "failed rows marked.")
    return "\n".join(lines)
