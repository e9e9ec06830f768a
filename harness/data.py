"""The units the harness works on: an Example with its References, a Corpus."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Sequence

from .sentences import DEFAULT_SPLITTER, split_sentences


@dataclass(frozen=True)
class Reference:
    """One human reference summary of an example."""

    text: str
    annotator: str | None = None
    kind: str | None = None  # e.g. "gist", "abstract": what the annotator was asked for


@dataclass
class Example:
    """A source text to summarize and the references to score summaries against.

    `question` holds the context the source answers (a transcript question, a
    query), when the data has one. `sentences` are the units extractive
    summarizers choose from; they are split on demand unless a loader gives them.
    """

    id: str
    source: str
    references: list[Reference] = field(default_factory=list)
    question: str | None = None
    speaker: str | None = None
    paragraphs: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
    splitter: str = DEFAULT_SPLITTER

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        return tuple(split_sentences(self.source, self.splitter))

    @property
    def reference_texts(self) -> list[str]:
        return [r.text for r in self.references]


@dataclass
class Corpus:
    """An ordered collection of examples with unique ids, and where it came from."""

    name: str
    examples: list[Example]
    origin: str = ""
    notes: list[str] = field(default_factory=list)  # things a user must be told, e.g. "ids are row numbers"

    def __post_init__(self) -> None:
        seen: dict[str, int] = {}
        for i, ex in enumerate(self.examples):
            if ex.id in seen:
                from .errors import DataError

                raise DataError(f"{self.origin or self.name}: duplicate id {ex.id!r} (examples {seen[ex.id] + 1} and {i + 1})")
            seen[ex.id] = i
        self._index = seen

    def __len__(self) -> int:
        return len(self.examples)

    def __iter__(self) -> Iterator[Example]:
        return iter(self.examples)

    def __getitem__(self, key: int | str) -> Example:
        if isinstance(key, str):
            return self.examples[self._index[key]]
        return self.examples[key]

    @property
    def ids(self) -> Sequence[str]:
        return [ex.id for ex in self.examples]
