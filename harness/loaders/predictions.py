"""Outside systems' summaries, read from files and scored like built-in summarizers.

Two formats, chosen by suffix:

- `.jsonl` / `.json`: one `{"id": ..., "summary": ...}` object per line (field
  names configurable). A summary is a string whose lines are its sentences,
  or a list of sentence strings.
- anything else (`.txt`): one summary per line, in data order, sentences
  separated by `<n>` (the convention of PEGASUS/BART output files). Its line
  count must equal the number of examples.

An empty summary is legal: it scores 0 and is counted. Before anything is
scored, the ids are checked against the data: ids the data lacks are always
an error; ids the data has but the file lacks are an error unless
`allow_missing`, which leaves those examples out of that system's scores and
says how many in a note.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..data import Example
from ..errors import DataError
from ..summarizers.base import Summarizer
from .files import numbered_json_lines, read_text

JSON_SUFFIXES = (".jsonl", ".json")
TEXT_SENTENCE_SEP = "<n>"


def parse_prediction_arg(arg: str) -> tuple[str, Path]:
    """`NAME=PATH` -> (NAME, PATH); a bare PATH is named after its file."""
    name, eq, path = arg.partition("=")
    if not eq:
        name, path = Path(arg).stem, arg
    name, path = name.strip(), path.strip()
    if not name or not path:
        raise DataError(f"--predictions {arg!r}: expected NAME=PATH")
    return name, Path(path)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in text.split("\n") if s.strip()]


def _read_lines(path: Path) -> list[str]:
    """The file's lines ('\\n', '\\r\\n' or '\\r' endings); a final newline ends the last line."""
    text = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def read_jsonl_predictions(path: Path, id_field: str = "id", summary_field: str = "summary") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    for lineno, row in numbered_json_lines(path):
        for key in (id_field, summary_field):
            if key not in row or row[key] is None:
                raise DataError(f"{path}:{lineno}: field {key!r} missing")
        id_ = row[id_field]
        if not isinstance(id_, (str, int)) or isinstance(id_, bool):
            raise DataError(f"{path}:{lineno}: field {id_field!r} should be a string or a number")
        id_ = str(id_)
        summary = row[summary_field]
        if isinstance(summary, str):
            sents = _sentences(summary)
        elif isinstance(summary, list) and all(isinstance(s, str) for s in summary):
            sents = [s.strip() for s in summary if s.strip()]
        else:
            raise DataError(f"{path}:{lineno}: field {summary_field!r} should be a string or a list of strings "
                            f"(id {id_!r})")
        if id_ in out:
            raise DataError(f"{path}:{lineno}: duplicate id {id_!r} (first on line {first_line[id_]})")
        out[id_] = sents
        first_line[id_] = lineno
    return out


def read_text_predictions(path: Path, ids: Sequence[str]) -> dict[str, list[str]]:
    lines = _read_lines(path)
    if len(lines) != len(ids):
        raise DataError(f"{path}: {len(lines)} line(s) but the data has {len(ids)} example(s); a text file needs "
                        "one summary per line in data order (an empty line is an empty summary)")
    return {id_: [s.strip() for s in line.split(TEXT_SENTENCE_SEP) if s.strip()] for id_, line in zip(ids, lines)}


class Predictions(Summarizer):
    """A system whose summaries were made elsewhere: `summarize(example)` returns the stored sentences."""

    description = "Summaries read from a file (an outside system's output)."

    def __init__(self, name: str, summaries: dict[str, list[str]], origin: str = "") -> None:
        super().__init__()
        self.name = name
        self.summaries = summaries
        self.origin = origin or f"the summaries of {name!r}"
        self.notes: list[str] = []  # what `check` found that the run must record
        self.checked = False  # `check` ran: harness.run checks the others against its examples

    @classmethod
    def from_file(cls, name: str, path: str | Path, ids: Sequence[str], *, id_field: str = "id",
                  summary_field: str = "summary", allow_missing: bool = False,
                  scored: Sequence[str] | None = None) -> "Predictions":
        """Read a predictions file and `check` its ids; `ids` are the data's ids in order (a text file's
        lines follow them), `scored` those of the examples to score when the loader left some out."""
        path = Path(path)
        if not path.is_file():
            raise DataError(f"{path}: predictions file not found (for system {name!r})")
        if path.suffix.lower() in JSON_SUFFIXES:
            summaries = read_jsonl_predictions(path, id_field, summary_field)
        else:
            summaries = read_text_predictions(path, ids)
        p = cls(name, summaries, str(path))
        p.check(ids if scored is None else scored, allow_missing=allow_missing, all_ids=ids)
        return p

    def covers(self, example: Example) -> bool:
        return example.id in self.summaries

    def summarize(self, example: Example) -> list[str]:
        try:
            return list(self.summaries[example.id])
        except KeyError:
            raise DataError(f"{self.origin}: no summary for id {example.id!r} (system {self.name!r})") from None

    @property
    def n_empty(self) -> int:
        return sum(1 for s in self.summaries.values() if not s)

    def check(self, ids: Iterable[str], *, allow_missing: bool = False, all_ids: Iterable[str] = ()) -> list[str]:
        """Check the file's ids against the data's (`ids`: the examples to score); return notes for the run.

        Ids the data lacks are always an error (`all_ids` may add examples the
        loader left out, whose predictions are then ignored). Ids the file
        lacks are an error unless `allow_missing`; then they are counted in a
        note and those examples are left out of this system's scores.
        """
        ids = list(ids)
        self.checked = True
        known = set(ids) | set(all_ids)
        unknown = [i for i in self.summaries if i not in known]
        if unknown:
            raise DataError(f"{self.origin}: {len(unknown)} prediction id(s) not in the data: "
                            f"{_list(unknown)} (system {self.name!r})")
        missing = [i for i in ids if i not in self.summaries]
        notes = []
        if missing:
            if not allow_missing:
                raise DataError(f"{self.origin}: no prediction for {len(missing)} of {len(ids)} example(s): "
                                f"{_list(missing)} (system {self.name!r}; pass --allow-missing to score the rest "
                                "and record the count)")
            notes.append(f"system {self.name!r}: {len(missing)} of {len(ids)} example(s) have no prediction in "
                         f"{self.origin} and are left out of its scores: {_list(missing)}")
        self.notes = notes
        return notes


def _list(ids: list[str], n: int = 10) -> str:
    shown = ", ".join(repr(i) for i in ids[:n])
    return shown + (f" and {len(ids) - n} more" if len(ids) > n else "")


def load_predictions(args: Iterable[str], corpus, *, allow_missing: bool = False, id_field: str = "id",
                     summary_field: str = "summary") -> tuple[list[Predictions], list[str]]:
    """Read and check every `NAME=PATH` against a loaded corpus, before anything is scored: (systems, notes).

    A text file's lines follow every example of the data, including any the
    loader left out (`corpus.all_ids()`), so they stay aligned.
    """
    ids, all_ids = list(corpus.ids), corpus.all_ids()
    systems: list[Predictions] = []
    notes: list[str] = []
    for arg in args:
        name, path = parse_prediction_arg(arg)
        if any(s.name == name for s in systems):
            raise DataError(f"--predictions: system name {name!r} given twice")
        p = Predictions.from_file(name, path, all_ids, id_field=id_field, summary_field=summary_field,
                                  allow_missing=allow_missing, scored=ids)
        notes += p.notes
        systems.append(p)
    return systems, notes


def _field_summary(value, origin: str, field: str, id_: str, system) -> list[str]:
    if isinstance(value, str):
        return _sentences(value)
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return [s.strip() for s in value if s.strip()]
    raise DataError(f"{origin}: id {id_!r}: field {field!r}: the output of system {system!r} should be a string or "
                    f"a list of strings, not {type(value).__name__}")


def _field_outputs(corpus, field: str) -> dict[str, dict[str, list[str]]]:
    """`{system: {id: sentences}}` from every example's `meta[field]` ({system: summary}), in first-seen order."""
    by_system: dict[str, dict[str, list[str]]] = {}
    for ex in corpus:
        outputs = ex.meta.pop(field, None)  # out of meta: the run's batch digest reads only what it scores
        if outputs is None:
            continue  # no outputs for this example: each system's check counts it as missing
        if not isinstance(outputs, dict):
            raise DataError(f"{corpus.origin}: id {ex.id!r}: field {field!r} should be an object "
                            f"{{system: summary}}, not {type(outputs).__name__}")
        for system, value in outputs.items():
            if value is not None:
                by_system.setdefault(system, {})[ex.id] = _field_summary(value, corpus.origin, field, ex.id, system)
    return by_system


def field_predictions(corpus, field: str, *, allow_missing: bool = False) -> tuple[list[Predictions], list[str]]:
    """One `Predictions` per system of a data field holding `{system: summary}` per example: (systems, notes).

    The corpus must have been loaded with `extra_fields=(field,)`. A system
    without an output for some example is an error unless `allow_missing`
    (then counted in a note, as for `--predictions`).
    """
    outputs = _field_outputs(corpus, field)
    if not outputs:
        raise DataError(f"{corpus.origin}: field {field!r} holds no system output in any example")
    ids = list(corpus.ids)
    systems, notes = [], []
    for name, summaries in outputs.items():
        p = Predictions(name, summaries, f"{corpus.origin}:{field}")
        notes += p.check(ids, allow_missing=allow_missing)
        systems.append(p)
    return systems, notes
