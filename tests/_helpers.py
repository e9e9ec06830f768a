"""Synthetic examples and test summarizers shared by the executor, resume and failure tests.

Summarizers are defined here, in an importable module, so that worker
processes (forkserver) and Dask workers can unpickle them.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

from harness.data import Example, Reference
from harness.summarizers import Summarizer
from harness.summarizers.lead import Lead

WORDS = ("the minister said talks on trade resumed after a long pause while officials in both capitals "
         "expect a deal before the summit next month although critics warn that tariffs could rise again "
         "and farmers worry about exports of grain steel cars and energy to markets abroad").split()


def _sentence(rng: random.Random, lo: int = 6, hi: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def synthetic_record(i: int, seed: int = 0) -> dict:
    """A short news-like example: five sentences of source, one or two references."""
    rng = random.Random(seed * 1_000_003 + i)
    return {"id": f"ex{i:07d}", "source": " ".join(_sentence(rng) for _ in range(5)),
            "references": [" ".join(_sentence(rng) for _ in range(2)) for _ in range(rng.randint(1, 2))]}


def to_example(record: dict) -> Example:
    return Example(record["id"], record["source"], [Reference(t) for t in record["references"]])


def synthetic(n: int, seed: int = 0) -> list[Example]:
    return [to_example(synthetic_record(i, seed)) for i in range(n)]


def write_jsonl(path: Path, n: int, seed: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(synthetic_record(i, seed)) + "\n")
    return path


def read_jsonl(path: Path):
    """A minimal streaming reader for the tests (harness.loaders owns the real ones)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield to_example(json.loads(line))


class Slow(Lead):
    """Lead, slowed down; optionally appends each example id it summarizes to a file."""

    name = "slow"

    def __init__(self, delay: float = 0.01, calls: str | None = None, slow_ids: tuple = (), k: int = 3) -> None:
        from harness.summarizers import Budget

        super().__init__(Budget(k=k))
        self.delay, self.calls, self.slow_ids = delay, calls, tuple(slow_ids)

    def summarize(self, example: Example) -> list[str]:
        time.sleep(self.delay * (20 if example.id in self.slow_ids else 1))
        if self.calls:
            with open(self.calls, "a", encoding="utf-8") as fh:
                fh.write(example.id + "\n")
        return super().summarize(example)


class Boom(Summarizer):
    """Lead, except that it raises on the examples named in `bad`."""

    name = "boom"

    def __init__(self, budget=None, bad: tuple = (), message: str = "cannot summarize") -> None:
        super().__init__(budget)
        self.bad, self.message = tuple(bad), message

    def summarize(self, example: Example) -> list[str]:
        if example.id in self.bad:
            raise ValueError(f"{self.message} {example.id}")
        return list(example.sentences[:3])


class ReturnsText(Summarizer):
    """A common mistake: returning the summary as one string."""

    name = "text"

    def summarize(self, example: Example):
        return " ".join(example.sentences[:2])


def files(folder: Path, names=("summaries.jsonl", "scores.jsonl", "summary.json", "table.md")) -> dict[str, bytes]:
    return {name: (Path(folder) / name).read_bytes() for name in names}
