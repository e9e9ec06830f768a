"""The units the harness works on: an Example with its References, a Corpus."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator, Sequence

from .errors import DataError
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

    def __post_init__(self) -> None:
        # The id rule of the loaders (harness.loaders.fields.example_id): an integer id is its digits.
        if isinstance(self.id, int) and not isinstance(self.id, bool):
            self.id = str(self.id)
        if not isinstance(self.id, str):
            raise DataError(f"Example id should be a string or an integer, not {type(self.id).__name__} {self.id!r}")
        # A reference given as its text is a Reference without annotator; anything else is refused.
        self.references = [Reference(r) if isinstance(r, str) else r for r in self.references]
        for r in self.references:
            if not isinstance(r, Reference):
                raise DataError(f"Example {self.id!r}: a reference should be a str or a Reference, "
                                f"not {type(r).__name__} {r!r}")

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
    # (row, id) of examples the loader left out under allow_missing (no reference),
    # so files aligned with the data's rows (text predictions) stay aligned.
    left_out: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        seen: dict[str, int] = {}
        for i, ex in enumerate(self.examples):
            if ex.id in seen:
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

    @classmethod
    def from_stream(cls, stream: "ExampleStream") -> "Corpus":
        """Read a whole stream into memory (for data that fits)."""
        examples = list(stream)
        return cls(name=stream.name, examples=examples, origin=stream.origin, notes=list(stream.notes),
                   left_out=list(stream.left_out))

    def all_ids(self) -> list[str]:
        """The ids of every example of the data, in data order, including those left out."""
        if not self.left_out:
            return list(self.ids)
        kept = iter(self.ids)
        gone = dict(self.left_out)
        return [gone[row] if row in gone else next(kept) for row in range(len(self.examples) + len(gone))]


class ExampleStream:
    """The examples of a data source, read one at a time: for data too large to hold.

    Each iteration reads the source again from the start and validates as it
    goes (duplicate ids, empty sources, examples without references): an
    error is raised when the bad example is reached, never skipped over.
    `notes` (things a user must be told, e.g. how many examples were left out
    under `allow_missing`) are complete once an iteration has ended.
    `shard_plan(batch_size)`, where the source can be cut into pieces that
    workers read themselves, gives those pieces (`harness.loaders.shards`).
    """

    def __init__(self, name: str, origin: str,
                 open_examples: Callable[[list[str], list[tuple[int, str]]], Iterable[Example]],
                 shard_plan: Callable[[int], object] | None = None) -> None:
        self.name = name
        self.origin = origin
        self.notes: list[str] = []
        self.left_out: list[tuple[int, str]] = []  # (row, id) left out under allow_missing
        self._open = open_examples  # given the lists to fill, yields validated examples
        self.shard_plan = shard_plan

    def __iter__(self) -> Iterator[Example]:
        self.notes, self.left_out = [], []
        return iter(self._open(self.notes, self.left_out))

    def __repr__(self) -> str:
        return f"ExampleStream({self.name!r}, origin={self.origin!r})"
