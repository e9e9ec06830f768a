"""A run folder on disk: what `harness run` writes and what `report`, `compare` and `check` read.

    <run>/summaries.jsonl  one line per (example, system): {"id", "system", "summary"}
                           (sentences joined by "\n"; null and an "error" for a failure kept)
    <run>/scores.jsonl     one line per (example, system, ROUGE type):
                           {"id", "system", "rouge_type", "precision", "recall", "fmeasure"}
    <run>/summary.json     signature, configuration, and per system and type the corpus statistics
    <run>/failures.jsonl   the failed (example, system) pairs, when there are any
    <run>/table.*, report.html, plots/   written from summary.json and scores.jsonl (harness.report)
    <run>/examples.html    the per-example page, from the files above and the data (harness.explore)
    <run>/.harness/        the harness's own: the lock, the manifest of the files above, and
                           parts/, the checkpoints of a run under way (`Parts`; removed when it
                           finishes), and staging/, the next run's files until they are committed
                           (harness.folder)

This module owns the format: the row builders every writer uses, the
checkpoint folder, and the readers. Every file is written atomically
(harness.storage), and a run's files become visible together (harness.folder);
the readers read between two commits (`folder.reading`).
"""
from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from . import folder, storage
from .errors import HarnessError

SUMMARIES, SCORES, SUMMARY, FAILURES = "summaries.jsonl", "scores.jsonl", "summary.json", "failures.jsonl"
RUN_FILES = (SUMMARIES, SCORES, SUMMARY, FAILURES)  # what `runner.execute` writes
PARTS = f"{folder.OWN}/{folder.PARTS}"  # the checkpoints, relative to the run folder
FORMAT = 2  # of the parts folder; part of a run's fingerprint (2: F in NNNNNNNN.f64)


def default_location(data, root: Path = Path("runs")) -> Path:
    """Where `harness run` writes when no --out is given: `runs/<data name>`.

    A data file is named with its folder too (`dialogsum/test.jsonl` ->
    `runs/dialogsum-test`), since sets ship their splits under the same file
    names and one must not replace another's run.
    """
    from .loaders.files import FORMATS  # the data-file suffixes

    origin = Path(getattr(data, "origin", "") or "")
    if origin.suffix.lower() in FORMATS and origin.parent.name:
        return root / f"{origin.parent.name}-{origin.stem}"
    return root / data.name


# --- rows -----------------------------------------------------------------------------------------

def summary_line(example_id: str, system: str, sentences: Sequence[str] | None, error: str | None = None) -> str:
    """The summaries.jsonl line of one (example, system); `sentences` None for a failure."""
    if sentences is None:
        return storage.dumps_line({"id": example_id, "system": system, "summary": None, "error": error})
    return storage.dumps_line({"id": example_id, "system": system, "summary": "\n".join(sentences)})


def score_row(example_id: str, system: str, rouge_type: str, precision: float | None, recall: float | None,
              fmeasure: float | None, error: str | None = None) -> dict:
    """One scores.jsonl row; a failure has null scores and its error."""
    row = {"id": example_id, "system": system, "rouge_type": rouge_type,
           "precision": precision, "recall": recall, "fmeasure": fmeasure}
    if error is not None:
        row["error"] = error
    return row


# --- the checkpoints of a run under way ----------------------------------------------------------

@dataclass
class BatchResult:
    """A finished batch: its output lines and the compact record of its scores."""

    n: int
    summaries: str  # summaries.jsonl lines of the batch
    scores: str  # scores.jsonl lines of the batch
    f: np.ndarray  # (n, columns) F per example, NaN where failed
    precision: list[list[float]]  # per column: exact_sum parts of the precisions
    recall: list[list[float]]
    failures: list[dict] = field(default_factory=list)
    # summaries.jsonl lines per system, and empty summaries per system in the order first seen
    rows: dict[str, int] = field(default_factory=dict)
    empty: dict[str, int] = field(default_factory=dict)
    # the 8-byte hashes of the batch's ids, when a worker read the examples itself (a shard): the
    # driver never saw them, and a resume must find them again without reading the shard
    ids: np.ndarray | None = None
    data: dict | None = None  # and for the same reason the batch's data fingerprint (harness.data_fingerprint)


def _write_part(path: Path, data: str | bytes) -> None:
    # A rename makes each part whole or absent for a killed process; parts
    # are not fsynced (the run folder's final files are): after a power cut
    # the sizes recorded in the batch's marker catch a torn part.
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


class Parts:
    """The checkpoint folder of a run: a manifest and four files per finished batch (five for a shard).

    `NNNNNNNN.summaries.jsonl` and `.scores.jsonl` are the batch's lines,
    `.f64` its `(n, columns)` F values (little-endian float64, NaN where
    failed) for the statistics pass, `.ids.u64` a shard's id hashes.

    A batch's marker, written last, is `NNNNNNNN.batch.json`, or
    `NNNNNNNN.failed.json` when some of its (example, system) pairs failed:
    only the first kind is reused by a resume.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def name(self, index: int, kind: str) -> Path:
        return self.folder / f"{index:08d}.{kind}"

    def open(self, run_key: str, resume: bool, log: Callable[[str], None]) -> set[int]:
        """Indices of the batches already done by a run with this fingerprint (none if a fresh start)."""
        manifest = self.folder / "manifest.json"
        if self.folder.exists():
            try:
                old = json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint")
            except (OSError, ValueError, AttributeError):
                old = None
            if resume and old == run_key:
                done = {int(p.name.split(".")[0]) for p in self.folder.glob("*.batch.json")}
                if done:
                    log(f"resuming: {len(done)} finished batch(es) found in {self.folder}")
                return done
            if old is not None or any(self.folder.iterdir()):
                why = "--restart" if not resume else "a run with other settings"
                log(f"discarding the checkpoints in {self.folder} ({why})")
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        storage.write_json(manifest, {"fingerprint": run_key, "format": FORMAT})
        return set()

    def load(self, index: int, kind: str = "batch.json") -> dict | None:
        """The marker of a finished batch, or None if it is missing, torn or unreadable."""
        try:
            rec = json.loads(self.name(index, kind).read_text(encoding="utf-8"))
            for kind in ("summaries", "scores"):
                if self.name(index, f"{kind}.jsonl").stat().st_size != rec["bytes"][kind]:
                    return None
            return rec
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, index: int, digest: str, result: BatchResult) -> dict:
        if result.ids is not None:
            _write_part(self.name(index, "ids.u64"), result.ids.astype("<u8").tobytes())
        _write_part(self.name(index, "f64"), result.f.astype("<f8").tobytes())
        _write_part(self.name(index, "summaries.jsonl"), result.summaries)
        _write_part(self.name(index, "scores.jsonl"), result.scores)
        rec = {"digest": digest, "n": result.n,
               "bytes": {"summaries": len(result.summaries.encode("utf-8")),
                         "scores": len(result.scores.encode("utf-8"))},
               "precision": result.precision, "recall": result.recall, "failures": result.failures,
               "rows": result.rows, "empty": result.empty}
        if result.data is not None:
            rec["data"] = result.data
        kind = "failed.json" if result.failures else "batch.json"
        _write_part(self.name(index, kind), json.dumps(rec, ensure_ascii=False))  # written last: the commit
        self.name(index, "batch.json" if result.failures else "failed.json").unlink(missing_ok=True)
        return rec

    def f_values(self, index: int, k: int) -> np.ndarray:
        """`(n, k)` F of a finished batch's examples (NaN where failed), from its marker."""
        rec = self.load(index) or self.load(index, "failed.json")
        if rec is None:
            raise HarnessError(f"{self.name(index, 'batch.json')}: the checkpoint of batch {index} is missing or "
                               "damaged; run the same command again to redo it")
        f = np.fromfile(self.name(index, "f64"), dtype="<f8") if self.name(index, "f64").is_file() else None
        if f is None or len(f) != rec["n"] * k:
            raise HarnessError(f"{self.name(index, 'f64')}: the F values of batch {index} are missing or damaged; "
                               "run the same command again to redo it")
        return f.astype(np.float64).reshape(rec["n"], k)

    def marker(self, index: int) -> dict:
        """The marker of a finished batch, with or without failures."""
        return self.load(index) or self.load(index, "failed.json") or {}

    def ids(self, index: int) -> np.ndarray | None:
        """The id hashes a shard's worker sent back, or None if the part has none."""
        try:
            return np.fromfile(self.name(index, "ids.u64"), dtype="<u8").astype(np.uint64)
        except OSError:
            return None

    def failures(self, index: int) -> list[dict]:
        return (self.load(index, "failed.json") or {}).get("failures", [])

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class IdSpill:
    """The 8-byte hashes of a run's ids, spilled to 256 bucket files (by the hash's top byte).

    Batches add their hashes as they arrive; at most `BUFFER` are held before
    they are appended to their buckets. `duplicates` then reads one bucket at
    a time (1/256 of the ids), so the check takes flat memory for any number
    of examples. The folder is rebuilt by every attempt of a run: a resumed
    run hashes every batch again, reused or not.
    """

    BUFFER = 1 << 16

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self._pending: list[np.ndarray] = []
        self._held = 0

    def add(self, hashes: np.ndarray) -> None:
        self._pending.append(hashes)
        self._held += len(hashes)
        if self._held >= self.BUFFER:
            self.flush()

    def flush(self) -> None:
        if not self._held:
            return
        h = np.sort(np.concatenate(self._pending))  # sorted by value, so grouped by top byte
        self._pending, self._held = [], 0
        bounds = np.searchsorted(h >> np.uint64(56), np.arange(257, dtype=np.uint64))
        for bucket in range(256):
            lo, hi = bounds[bucket], bounds[bucket + 1]
            if hi > lo:
                with open(self.folder / f"{bucket:02x}.u64", "ab") as fh:
                    fh.write(h[lo:hi].tobytes())

    def duplicates(self) -> set[int]:
        """The hashes that occur more than once."""
        self.flush()
        out: set[int] = set()
        for path in sorted(self.folder.glob("*.u64")):
            h = np.sort(np.fromfile(path, dtype=np.uint64))
            out.update(h[1:][h[1:] == h[:-1]].tolist())
        return out


# --- reading a run folder back --------------------------------------------------------------

def read_summary(run_dir: str | Path) -> dict:
    """A run folder's summary.json, or a HarnessError naming what is wrong with it."""
    with folder.reading(run_dir):
        return _read_summary(run_dir)


def _read_summary(run_dir: str | Path) -> dict:
    path = Path(run_dir) / SUMMARY
    if not path.is_file():
        raise HarnessError(f"{path}: missing; is {run_dir} a run folder written by `harness run`?")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise HarnessError(f"{path}: malformed JSON: {e.msg} (line {e.lineno})") from None
    if not isinstance(summary, dict):
        raise HarnessError(f"{path}: not a run summary (no 'systems')")
    return summary


def load_run(run_dir: str | Path) -> tuple[dict, list[dict]]:
    """`summary.json` and the scores.jsonl rows of a run folder, or a HarnessError naming what is missing.

    Both are read between two commits (harness.folder): they belong to the same run.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise HarnessError(f"{run_dir}: no such run folder")
    with folder.reading(run_dir):
        return _load_run(run_dir)


def _load_run(run_dir: Path) -> tuple[dict, list[dict]]:
    summary_path, scores_path = run_dir / SUMMARY, run_dir / SCORES
    summary = _read_summary(run_dir)
    if not scores_path.is_file():
        raise HarnessError(f"{scores_path}: missing; is {run_dir} a run folder written by `harness run`?")
    if "systems" not in summary:
        raise HarnessError(f"{summary_path}: not a run summary (no 'systems')")
    try:
        rows = list(storage.read_jsonl(scores_path))
    except ValueError as e:
        raise HarnessError(str(e)) from None
    for i, r in enumerate(rows, 1):
        missing = {"id", "system", "rouge_type", "fmeasure"} - set(r) if isinstance(r, dict) else {"an object"}
        if missing:
            raise HarnessError(f"{scores_path}: row {i} lacks {', '.join(sorted(missing))}")
    check_rows(summary, rows, scores_path)
    return summary, rows


def check_rows(summary: dict, rows: Sequence[dict], path: Path) -> None:
    """The rows of scores.jsonl against themselves and summary.json, before anything is computed from them.

    Every score is a number in [0, 1] (NaN or infinity is an error: a gate must never pass on NaN), or
    null in a failure's row; no (id, system, ROUGE type) comes twice; each (system, ROUGE type) has the
    n + failed rows summary.json counted (a truncated or doubled file is found). Rows are numbered as
    the file's non-blank lines.
    """
    seen: set[tuple] = set()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for line, r in enumerate(rows, 1):
        key = (r["id"], r["system"], r["rouge_type"])
        if key in seen:
            raise HarnessError(f"{path}:{line}: example {r['id']!r}, {r['system']} / {r['rouge_type']} is scored twice")
        seen.add(key)
        counts[key[1:]] += 1
        for name in ("precision", "recall", "fmeasure"):
            value = r.get(name)
            if value is None and r.get("error") is not None:
                continue
            _finite_score(value, f"{path}:{line}", name)
    for system, by_type in summary.get("systems", {}).items():
        for rouge_type, stats in by_type.items():
            for name in ("precision", "recall", "fmeasure"):
                _finite_score(stats.get(name), f"{path.parent / SUMMARY}: {system} / {rouge_type}", name)
            expected = stats.get("n", 0) + stats.get("failed", 0)
            if counts.get((system, rouge_type), 0) != expected:
                raise HarnessError(f"{path}: {counts.get((system, rouge_type), 0)} row(s) of {system} / {rouge_type} "
                                   f"where {path.parent / SUMMARY} counts {expected}: the file is truncated, "
                                   "doubled or from another run")


@dataclass
class RunScores:
    """The per-example F of a run folder: `f[system][rouge_type][example id]`.

    A failure kept with `--on-error record` has no F: its id is in
    `failed[system]` instead, and comparisons leave it out.
    """

    path: Path
    summary: dict
    ids: list[str]  # every example id of the run, in first-seen order
    f: dict[str, dict[str, dict[str, float]]]
    failed: dict[str, set[str]] = field(default_factory=dict)

    @property
    def n_failed(self) -> int:
        """Failed (example, system) pairs."""
        return sum(map(len, self.failed.values()))

    @property
    def signature(self) -> str:
        return self.summary.get("signature", "")

    @property
    def data_fingerprint(self) -> dict | None:
        """What the run's data was (harness.data_fingerprint); None for a run written before there was one."""
        return self.summary.get("config", {}).get("data_fingerprint")

    @property
    def rouge_types(self) -> list[str]:
        types = self.summary.get("config", {}).get("rouge_types")
        return list(types) if types else list(dict.fromkeys(t for by in self.f.values() for t in by))

    def summaries(self) -> dict[tuple[str, str], str]:
        """(id, system) -> summary text, from summaries.jsonl when the folder has it."""
        path = self.path / SUMMARIES
        if not path.is_file():
            return {}
        with folder.reading(self.path):
            return {(r["id"], r["system"]): r.get("summary", "") for r in storage.read_jsonl(path)}


def load_scores(run_dir: str | Path) -> RunScores:
    summary, rows = load_run(run_dir)
    f: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    failed: dict[str, set[str]] = defaultdict(set)
    ids: dict[str, None] = {}
    for line, r in enumerate(rows, 1):
        by_id = f[r["system"]][r["rouge_type"]]  # each (id, system, type) once: checked by load_run
        ids.setdefault(r["id"])
        if r["fmeasure"] is None and r.get("error") is not None:
            failed[r["system"]].add(r["id"])
            continue
        by_id[r["id"]] = _finite_score(r["fmeasure"], f"{run_dir}/{SCORES}:{line}")
    return RunScores(Path(run_dir), summary, list(ids), {s: dict(bt) for s, bt in f.items()}, dict(failed))


def _finite_score(value, where: str, name: str = "fmeasure") -> float:
    """A score from a file: a finite number in [0, 1] (not NaN), else a HarnessError naming where it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise HarnessError(f"{where}: {name} must be a number between 0 and 1, not {value!r}")
    return float(value)


class RunRows(Sequence):
    """scores.jsonl of a run folder as a sequence of row dicts.

    Iterating reads the file line by line (nothing held); indexing or `len`
    reads it once and keeps the rows.
    """

    def __init__(self, path: Path, owner: object = None) -> None:
        self.path = Path(path)
        self._owner = owner  # what keeps a temporary folder alive (a `Result`)
        self._rows: list[dict] | None = None

    def __iter__(self) -> Iterator[dict]:
        # a generator method: the iterator holds `self` (and its owner) while it reads
        yield from (self._rows if self._rows is not None else storage.read_jsonl(self.path))

    def _all(self) -> list[dict]:
        if self._rows is None:
            self._rows = list(storage.read_jsonl(self.path))
        return self._rows

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        # `if rows:` (the report does it) must not read every row into memory, as `len` would
        if self._rows is not None:
            return bool(self._rows)
        with open(self.path, encoding="utf-8") as fh:
            return any(line.strip() for line in fh)

    def __getitem__(self, i):
        return self._all()[i]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"RunRows({str(self.path)!r})"


class RunSummaries(Mapping):
    """summaries.jsonl of a run folder as `{system: {example id: sentences}}`, read on first use.

    A failed (example, system) kept with `--on-error record` maps to None.
    """

    def __init__(self, folder: Path, owner: object = None) -> None:
        self.path = Path(folder) / SUMMARIES
        self._owner = owner
        self._by_system: dict[str, dict[str, list[str] | None]] | None = None

    def _all(self) -> dict:
        if self._by_system is None:
            out: dict[str, dict] = {}
            for r in storage.read_jsonl(self.path):
                s = r["summary"]
                out.setdefault(r["system"], {})[r["id"]] = None if s is None else (s.split("\n") if s else [])
            self._by_system = out
        return self._by_system

    def __getitem__(self, system: str):
        return self._all()[system]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def empty_notes(empty: Mapping[str, int], total: Mapping[str, int]) -> list[str]:
    """The notes on empty summaries, given their counts per system (in the order first seen) and the rows'."""
    return [f"system {s!r}: {n} of {total[s]} summaries are empty (scored 0)" for s, n in empty.items()]
