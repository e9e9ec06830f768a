"""Checks every example passes on its way out of a loader.

Examples are validated one at a time, as they stream: an id seen before, an
empty source, an example without a reference each stop the load with a
message naming the file, the line (or row) and the id. With `allow_missing`
an example without a reference is left out instead and counted in a note
the run prints and records.
"""
from __future__ import annotations

import hashlib
from typing import Callable, Iterable, Iterator

import numpy as np

from ..data import Example
from ..errors import DataError

Where = Callable[[int], str]  # row index -> "file:line 12" / "hf:xsum:test row 12", for messages

_KEY = np.dtype([("k1", "<u8"), ("k2", "<u4")])  # a 96-bit digest of an id


class IdRegistry:
    """Remembers every id seen in a stream, in 16 bytes per id, to find duplicates.

    The ids of the latest block (up to `block` of them) are held as strings in
    a dict, which finds a repeat within the block at once. When the block is
    full its ids become sorted arrays of 96-bit blake2b digests plus their row
    numbers (12 + 4 bytes each), kept as a few sorted runs that merge as they
    grow (a log-structured merge), so a million ids take 16 MB and checking
    costs O(log n) per id. A repeat of an id from an earlier block is found
    when the block is flushed: at most `block` examples later, and always
    before the stream ends (call `finish`). Two different ids share a digest
    with probability about n^2 / 2^97 (1e-17 for a million ids).
    """

    def __init__(self, block: int = 65536) -> None:
        self.block = block
        self._pending: dict[str, int] = {}
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted keys, rows)

    def __len__(self) -> int:
        return len(self._pending) + sum(len(k) for k, _ in self._runs)

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + r.nbytes for k, r in self._runs)

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
        keys = np.frombuffer(b"".join(hashlib.blake2b(i.encode("utf-8", "surrogatepass"), digest_size=12).digest()
                                      for i in ids), dtype=_KEY)
        rows = np.fromiter(self._pending.values(), dtype=np.uint32, count=len(ids))
        self._pending = {}
        for run_keys, run_rows in self._runs:
            hit = self._find(run_keys, keys)
            if hit is not None:
                j, i = hit
                return ids[j], int(run_rows[i]), int(rows[j])
        order = np.argsort(keys, order=("k1", "k2"), kind="stable")
        self._runs.append((keys[order], rows[order]))
        # Merge runs of similar size so there are O(log n) of them.
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (k2, r2), (k1, r1) = self._runs.pop(), self._runs.pop()
            k, r = np.concatenate([k1, k2]), np.concatenate([r1, r2])
            order = np.argsort(k, order=("k1", "k2"), kind="stable")
            self._runs.append((k[order], r[order]))
        return None

    @staticmethod
    def _find(run: np.ndarray, keys: np.ndarray) -> tuple[int, int] | None:
        """(index in keys, index in run) of the first key present in the sorted run."""
        lo = np.searchsorted(run["k1"], keys["k1"], side="left")
        hi = np.searchsorted(run["k1"], keys["k1"], side="right")
        for j in np.flatnonzero(hi > lo):  # equal first halves: rare unless a true repeat
            for i in range(lo[j], hi[j]):
                if run["k2"][i] == keys["k2"][j]:
                    return int(j), int(i)
        return None


def validate(examples: Iterable[tuple[int, Example]], where: Where, notes: list[str],
             left_out: list[tuple[int, str]] | None = None, *, allow_missing: bool = False,
             require_references: bool = True) -> Iterator[Example]:
    """Yield each (row, example) that passes; raise DataError at the first that does not.

    `require_references=False` (used by `harness inspect`) lets examples
    without references through, so a new layout can be checked before any
    reference is written.
    """
    registry = IdRegistry()
    skipped: list[str] = []
    n_skipped = 0

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
        if require_references and not any(r.text.strip() for r in ex.references):
            if not allow_missing:
                raise DataError(f"{where(row)}: no reference for id {ex.id!r} "
                                "(pass --allow-missing to score the others and record the count)")
            n_skipped += 1
            if len(skipped) < 10:
                skipped.append(ex.id)
            if left_out is not None:
                left_out.append((row, ex.id))
            continue
        yield ex
    hit = registry.finish()
    if hit is not None:
        raise duplicate(hit)
    if n_skipped:
        more = ", ..." if n_skipped > len(skipped) else ""
        notes.append(f"{n_skipped} example(s) without references were left out: {', '.join(skipped)}{more}")
