"""A fingerprint of a run's data: its ids, its sources and its references, each hashed on its own.

Two runs (or a run and the gate's baseline) are comparable only over the same data: the same ids
with other sources or references give other numbers for reasons no paired test can see. Each part is
the sum, modulo 2^128, of a 128-bit blake2b digest per example (of its id; of its id and source; of
its id and reference texts): the order of the examples does not matter, a change to one example
does, and the run computes it as the examples stream by, in constant memory. Two different sets
share a part with probability about 2^-128.
"""
from __future__ import annotations

import hashlib
import json
from typing import Iterable

from .data import Example

PARTS = ("ids", "sources", "references")
_MOD = 1 << 128


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=16).digest(), "little")


class DataFingerprint:
    """Accumulates the fingerprint of the examples it is given (summary.json's `config.data_fingerprint`)."""

    def __init__(self) -> None:
        self.n = 0
        self._sums = [0] * len(PARTS)

    def add(self, examples: Iterable[Example]) -> None:
        for ex in examples:
            key = ex.id.encode("utf-8", "surrogatepass") + b"\0"
            parts = (key, key + ex.source.encode("utf-8", "surrogatepass"),
                     key + json.dumps(ex.reference_texts, ensure_ascii=False).encode("utf-8", "surrogatepass"))
            for i, data in enumerate(parts):
                self._sums[i] = (self._sums[i] + _digest(data)) % _MOD
            self.n += 1

    def merge(self, other: dict) -> None:
        """Add the fingerprint of other examples (a shard's, computed where it was read)."""
        self.n += other["n"]
        for i, part in enumerate(PARTS):
            self._sums[i] = (self._sums[i] + int(other[part], 16)) % _MOD

    def to_dict(self) -> dict:
        return {"n": self.n, **{part: f"{s:032x}" for part, s in zip(PARTS, self._sums)}}


def difference(a: dict | None, b: dict | None, name_a: str, name_b: str) -> str | None:
    """Why the data of `a` and `b` differ (a sentence naming the parts), or None when they agree.

    Different ids are the comparisons' own business (they pair the shared examples); with the same
    ids, other sources or references mean other data. A run written before fingerprints has none:
    nothing can be said, and the caller notes it.
    """
    if not a or not b or a.get("ids") != b.get("ids"):
        return None
    parts = [p for p in PARTS[1:] if a.get(p) != b.get(p)]
    if not parts:
        return None
    return (f"{name_a} and {name_b} have the same example ids but different {' and '.join(parts)}: "
            "they were not run on the same data")
