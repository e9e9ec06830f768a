"""Run folders for the report, compare and gate tests, with summarizers changed on purpose."""
from __future__ import annotations

from pathlib import Path

import harness
from harness.summarizers import Summarizer, build, uses_references


class Named(Summarizer):
    """A summarizer under a chosen name: `fn(example)` returns the summary's sentences."""

    def __init__(self, name: str, fn, uses_references: bool = False) -> None:
        super().__init__()
        self.name, self.fn, self.uses_references = name, fn, uses_references

    def summarize(self, example):
        return list(self.fn(example))


def lead(example, k=3):
    return list(example.sentences[:k])


def worse_lead(example):
    """Lead made worse on purpose: the first three words of the first sentence."""
    return [" ".join(example.sentences[0].split()[:3])]


def nudged_lead(example):
    """Lead with its third sentence dropped on one example: a change within the tolerance."""
    k = 2 if example.id.endswith(":q1") else 3
    return list(example.sentences[:k])


def one_example_worse(example):
    """Lead cut to one sentence on one example: a drop beyond the tolerance, carried by one example."""
    k = 1 if example.id.endswith(":q4") else 3
    return list(example.sentences[:k])


def reference_oracle(example):
    """An 'oracle' that copies a reference: it reads the references, so it is an upper bound."""
    return [example.references[0].text]


def lead_failing_on_q2(example):
    """Lead, except that it raises on one example (a failure kept with on_error="record")."""
    if example.id.endswith(":q2"):
        raise RuntimeError("this summarizer cannot read q2")
    return lead(example)


def make_run(out: Path, systems: dict[str, object], corpus=None, full: bool = True, on_error: str = "raise",
             **score_options) -> Path:
    """Write a run folder with `harness.run`, the path `harness run` takes; `systems` maps names to specs
    or functions.

    `full=False` skips the tables and plots (slow to draw), which compare and the gate do not read.
    """
    corpus = corpus or harness.load("interview")
    specs = [spec if spec == name else
             Named(name, build(spec), uses_references(spec)) if isinstance(spec, str) else
             Named(name, spec, name.startswith("oracle")) for name, spec in systems.items()]
    harness.run(corpus, specs, harness.ScoreConfig(**score_options), out=out, report=full, executor="serial",
                on_error=on_error)
    return out
