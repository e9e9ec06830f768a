"""Synthetic examples and test summarizers shared by the executor, resume and failure tests.

Summarizers are defined here, in an importable module, so that worker
processes (forkserver) and Dask workers can unpickle them.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from harness.data import Example, Reference
from harness.scoring.synthetic import news_record, write_news_jsonl
from harness.summarizers import Summarizer
from harness.summarizers.lead import Lead

synthetic_record = news_record


def to_example(record: dict) -> Example:
    return Example(record["id"], record["source"], [Reference(t) for t in record["references"]])


def synthetic(n: int, seed: int = 0) -> list[Example]:
    return [to_example(synthetic_record(i, seed)) for i in range(n)]


def write_jsonl(path: Path, n: int, seed: int = 0) -> Path:
    return write_news_jsonl(path, n, seed)


def read_jsonl(path: Path):
    """A minimal streaming reader for the tests (harness.loaders owns the real ones)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield to_example(json.loads(line))


class Slow(Lead):
    """Lead, slowed down; optionally appends each example id it summarizes to a file."""

    name = "slow"
    not_in_signature = ("delay", "calls", "slow_ids", "k")  # k is the budget, already in the signature

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



def slow_lead(example: Example, delay: float = 0.01) -> list[str]:
    """Lead, slowed down: a plugin for the command line (`_helpers:slow_lead:delay=0.05`)."""
    time.sleep(delay)
    return list(example.sentences[:3])


def dies_while_flagged(example: Example, flag: str = "", bad: str = "") -> list[str]:
    """Lead, except that the process running it dies (`os._exit`) on example `bad` while the file `flag` exists."""
    import os

    if example.id == bad and os.path.exists(flag):
        os._exit(1)
    return list(example.sentences[:3])
