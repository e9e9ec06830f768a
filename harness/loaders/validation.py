"""Checks every example passes on its way out of a loader (and into a run, from Python).

Examples are validated one at a time, as they stream: an id seen before, an
empty source, an example without a reference, an empty reference beside
others, a text that is not valid Unicode (a lone surrogate) each stop the
load with a message naming the file, the line (or row) and the id. With
`allow_missing` an example without a reference is left out instead, and an
empty reference beside others is left out of its example, each counted in a
note the run prints and records (docs/reliability.md).
"""
from __future__ import annotations

import hashlib
from typing import Callable, Iterable, Iterator

import numpy as np

from ..data import Example
from ..errors import DataError

Where = Callable[[int], str]  # row index -> "file:line 12" / "hf:xsum:test row 12", for messages

class IdRegistry:
    """Remembers every id seen in a stream, in 16 bytes per id, to find duplicates.

    The ids of the latest block (up to `block` of them) are held as strings in
    a dict, which finds a repeat within the block at once. When the block is
    full its ids become arrays of 96-bit blake2b digests (a 64-bit sort key
    and a 32-bit check) and row numbers, 16 bytes per id, kept as a few
    sorted runs that merge as they grow (a log-structured merge): a million
    ids take 16 MB, and checking costs O(log n) per id. A repeat of an id
    from an earlier block is found when the block is flushed: at most `block`
    examples later, and always before the stream ends (call `finish`). Two
    different ids share a digest with probability about n^2 / 2^97 (1e-17 for
    a million ids).
    """

    def __init__(self, block: int = 65536) -> None:
        self.block = block
        self._pending: dict[str, int] = {}
        self._runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (sorted k1, k2, rows)

    def __len__(self) -> int:
        return len(self._pending) + sum(len(r[0]) for r in self._runs)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for run in self._runs for a in run)

    def add(self, id_: str, row: int) -> tuple[str, int, int] | None:
        """Record `id_` at `row`; return (duplicate id, earlier row, later row) when one is found."""
        first = self._pending.get(id_)
        if first is not None:
            return id_, first, row
        self._pending[id_] = row
        if len(self._pending) >= self.block:
            return self.flush()
        return None

    def finish(self) -> tuple[str, int, int] | None:
        return self.flush()

    def flush(self) -> tuple[str, int, int] | None:
        if not self._pending:
            return None
        ids = list(self._pending)
        digests = np.frombuffer(b"".join(hashlib.blake2b(i.encode("utf-8", "surrogatepass"), digest_size=12).digest()
                                         for i in ids), dtype=np.dtype([("k1", "<u8"), ("k2", "<u4")]))
        k1, k2 = digests["k1"].copy(), digests["k2"].copy()
        rows = np.fromiter(self._pending.values(), dtype=np.uint32, count=len(ids))
        self._pending = {}
        for run in self._runs:
            hit = self._find(run, k1, k2)
            if hit is not None:
                j, i = hit
                return ids[j], int(run[2][i]), int(rows[j])
        order = np.argsort(k1, kind="stable")
        self._runs.append((k1[order], k2[order], rows[order]))
        # Merge runs of similar size so there are O(log n) of them.
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            self._merge_last_two()
        return None

    def _merge_last_two(self) -> None:
        """Merge the two newest runs, sorted by k1, without sorting again (ties in k1 may sit in any order).

        Each old array is let go as soon as its merged copy exists, so the
        merge needs about half the registry's size again, not all of it.
        """
        b, a = list(self._runs.pop()), list(self._runs.pop())
        at = np.searchsorted(a[0], b[0]) + np.arange(len(b[0]))
        keep = np.ones(len(a[0]) + len(b[0]), dtype=bool)
        keep[at] = False
        out = []
        for i in range(3):
            merged = np.empty(len(keep), dtype=a[i].dtype)
            merged[at] = b[i]
            merged[keep] = a[i]
            a[i] = b[i] = None
            out.append(merged)
        self._runs.append(tuple(out))

    @staticmethod
    def _find(run, k1: np.ndarray, k2: np.ndarray) -> tuple[int, int] | None:
        """(index in the new keys, index in the run) of the first new id already in the run."""
        lo = np.searchsorted(run[0], k1, side="left")
        hi = np.searchsorted(run[0], k1, side="right")
        for j in np.flatnonzero(hi > lo):  # equal 64-bit keys: a repeat, or (rarely) a collision
            for i in range(lo[j], hi[j]):
                if run[1][i] == k2[j]:
                    return int(j), int(i)
        return None


def text_problem(ex: Example) -> str | None:
    """What is wrong with an example's texts, if anything: each must be a str of valid Unicode (a lone
    surrogate cannot be written as UTF-8, so no output file could hold it)."""
    texts = [("id", ex.id), ("source", ex.source)] + ([("question", ex.question)] if ex.question is not None else [])
    texts += [(f"reference {i + 1}", getattr(r, "text", r)) for i, r in enumerate(ex.references)]
    for what, text in texts:
        if not isinstance(text, str):
            return f"the {what} of id {ex.id!r} should be a string, not {type(text).__name__}"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            return (f"the {what} of id {ex.id!r} is not valid Unicode: a lone surrogate {text[e.start]!r} at "
                    f"character {e.start + 1}")
    return None


def check_example(ex: Example, where: str) -> None:
    """The checks a run makes of an example it is given directly (harness.run from Python): the loaders'."""
    problem = text_problem(ex)
    if problem:
        raise DataError(f"{where}: {problem}")
    if not ex.id:
        raise DataError(f"{where}: empty id")
    if not ex.source.strip():
        raise DataError(f"{where}: empty source for id {ex.id!r}")
    empty = [i + 1 for i, r in enumerate(ex.references) if not r.text.strip()]
    if len(empty) == len(ex.references):
        raise DataError(f"{where}: no reference for id {ex.id!r}")
    if empty:
        raise DataError(_empty_reference(where, ex, empty))


def _empty_reference(where: str, ex: Example, empty: list[int]) -> str:
    return (f"{where}: reference {empty[0]} of {len(ex.references)} is empty for id {ex.id!r} "
            "(pass --allow-missing to leave empty references out and record the count)")


class _Counts:
    """What `allow_missing` left out: examples without a reference, empty references beside others."""

    def __init__(self) -> None:
        self.examples, self.example_ids = 0, []
        self.references, self.reference_ids = 0, []

    def notes(self) -> list[str]:
        out = []
        for n, ids, what in ((self.examples, self.example_ids, "example(s) without references were left out"),
                             (self.references, self.reference_ids,
                              "empty reference(s) were left out of the examples that have others")):
            if n:
                out.append(f"{n} {what}: {', '.join(ids)}{', ...' if n > len(ids) else ''}")
        return out


def _usable_references(ex: Example, where: Where, row: int, counts: _Counts, allow_missing: bool) -> bool:
    """Drop the empty references beside others (allow_missing) or refuse them; False: the example has none."""
    kept = [r for r in ex.references if r.text.strip()]
    if not kept or len(kept) == len(ex.references):
        return bool(kept)
    if not allow_missing:
        raise DataError(_empty_reference(where(row), ex, [i + 1 for i, r in enumerate(ex.references)
                                                          if not r.text.strip()]))
    counts.references += len(ex.references) - len(kept)
    if len(counts.reference_ids) < 10:
        counts.reference_ids.append(ex.id)
    ex.references = kept
    return True


def validate(examples: Iterable[tuple[int, Example]], where: Where, notes: list[str],
             left_out: list[tuple[int, str]] | None = None, *, allow_missing: bool = False,
             require_references: bool = True) -> Iterator[Example]:
    """Yield each (row, example) that passes; raise DataError at the first that does not.

    `require_references=False` (used by `harness inspect`) lets examples
    without references through, so a new layout can be checked before any
    reference is written.
    """
    registry = IdRegistry()
    counts = _Counts()

    def duplicate(hit: tuple[str, int, int]) -> DataError:
        dup_id, first, later = hit
        return DataError(f"{where(later)}: duplicate id {dup_id!r} (first at {where(first)})")

    for row, ex in examples:
        if not ex.id:
            raise DataError(f"{where(row)}: empty id")
        hit = registry.add(ex.id, row)
        if hit is not None:
            raise duplicate(hit)
        if not ex.source.strip():
            raise DataError(f"{where(row)}: empty source for id {ex.id!r}")
        problem = text_problem(ex)
        if problem:
            raise DataError(f"{where(row)}: {problem}")
        usable = _usable_references(ex, where, row, counts, allow_missing)
        if require_references and not usable:
            if not allow_missing:
                raise DataError(f"{where(row)}: no reference for id {ex.id!r} "
                                "(pass --allow-missing to score the others and record the count)")
            counts.examples += 1
            if len(counts.example_ids) < 10:
                counts.example_ids.append(ex.id)
            if left_out is not None:
                left_out.append((row, ex.id))
            continue
        yield ex
    hit = registry.finish()
    if hit is not None:
        raise duplicate(hit)
    notes.extend(counts.notes())

