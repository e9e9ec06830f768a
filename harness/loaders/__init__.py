"""Load a corpus from a data spec.

    load("interview")                      the bundled interview page
    load("page.txt") / load("transcript:page.html")   a question/answer transcript
    load("data.jsonl")  (.json .csv .tsv .parquet)     a local file, streamed through `datasets`
    load("hf:xsum") / load("hf:abisee/cnn_dailymail:3.0.0:test")   a Hugging Face dataset
    load("saved_dir")                      a folder written by `datasets`' save_to_disk

`load` returns a `Corpus` (all examples in memory); `stream` returns an
`ExampleStream` that reads and validates one example at a time, for data
too large to hold. Every example carries its references; an example
without one is an error (or, with `allow_missing`, left out and counted in
the notes), never a silent drop.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

from ..data import Corpus, Example, ExampleStream
from ..errors import DataError
from .fields import PRESETS, FieldOptions, Fields
from .files import FORMATS, file_source
from .hub import hub_source, saved_folder_source
from .shards import ShardPlan, plan
from .references import REFERENCES_DIR, find_reference_set, read_reference_set
from .tables import TableSource, table_examples
from .transcript import DEFAULT_LAYOUT, Layout, load_transcript
from .validation import validate

DEFAULT_CORPUS = REFERENCES_DIR / "lavrov-2018-12-24.txt"
ALIASES = {"interview": DEFAULT_CORPUS, "default": DEFAULT_CORPUS}


def stream(spec: str | Path | None = None, *, id_field: str | None = None, source_field: str | None = None,
           reference_fields: Iterable[str] = (), question_field: str | None = None, split: str | None = None,
           references: str | Path | None = None, layout: Layout | None = None, answerers: Iterable[str] = (),
           question_markers: Iterable[str] = (), moderators: Iterable[str] = (), allow_missing: bool = False,
           require_references: bool = True, extra_fields: Iterable[str] = ()) -> ExampleStream:
    """The examples `spec` names, read and validated one at a time.

    Field options name the columns of tabular data; `split` picks a split of
    a hub dataset or saved folder; `references` is a reference file for a
    transcript (default: `<name>.references.jsonl` beside it or in
    references/); `answerers`, `question_markers` and `moderators` adjust
    the transcript layout. `allow_missing` leaves out examples without
    references (counted in the notes) instead of failing;
    `require_references=False` lets them through (for inspecting new data).
    `extra_fields` are tabular columns kept as they are in `Example.meta`.
    """
    spec = str(spec) if spec is not None else "interview"
    check = dict(allow_missing=allow_missing, require_references=require_references)
    layout = _layout(layout or DEFAULT_LAYOUT, tuple(answerers), tuple(question_markers), tuple(moderators))
    opts = FieldOptions(id_field, source_field, tuple(reference_fields), question_field, tuple(extra_fields))
    transcript_opts = [name for name, v in (("--answerer", answerers), ("--question-marker", question_markers),
                                            ("--moderator", moderators), ("--references", references)) if v]
    table_opts = [name for name, v in (("--id-field", id_field is not None), ("--source-field", source_field),
                                       ("--reference-field", opts.reference_fields),
                                       ("--question-field", question_field), ("--split", split),
                                       ("--system-outputs", tuple(extra_fields))) if v]
    page = _transcript_path(spec)
    if page is not None:
        if table_opts:
            raise DataError(f"{spec}: {', '.join(table_opts)} apply to tabular data, not to a transcript page")
        return _transcript_stream(page, references, layout, check)
    if transcript_opts:
        raise DataError(f"{spec}: {', '.join(transcript_opts)} apply to transcript pages (.txt or transcript:PATH), "
                        "not to tabular data")
    return _table_stream(_tabular_source(spec, opts, split), check)


def _layout(layout: Layout, answerers: tuple, question_markers: tuple, moderators: tuple) -> Layout:
    """The transcript layout with the user's overrides."""
    for name, value in (("answerers", answerers), ("question_markers", question_markers), ("moderators", moderators)):
        if value:
            layout = replace(layout, **{name: value})
    return layout


def _transcript_path(spec: str) -> Path | None:
    """The transcript page `spec` names (an alias, `transcript:PATH`, a .txt file), or None for tabular data."""
    if spec in ALIASES:
        return ALIASES[spec]
    if spec.startswith("transcript:"):
        return Path(spec[len("transcript:"):])
    if Path(spec).suffix.lower() == ".txt":
        return Path(spec)
    return None


def _tabular_source(spec: str, opts: FieldOptions, split: str | None):
    """The table source of a hub dataset, a saved folder or a data file."""
    if spec.startswith("hf:"):
        return hub_source(spec, opts, split=split)
    path = Path(spec)
    if not path.exists() and ":" in spec and Path(spec.rsplit(":", 1)[0]).is_dir():
        path, split = Path(spec.rsplit(":", 1)[0]), spec.rsplit(":", 1)[1]  # DIR:SPLIT
    if path.is_dir():
        if (path / "dataset_dict.json").is_file() or (path / "state.json").is_file():
            return saved_folder_source(path, opts, split=split)
        return hub_source(f"hf:{path}" + (f"::{split}" if split else ""), opts)
    if path.suffix.lower() in FORMATS:
        if split:
            raise DataError(f"{spec}: --split applies to hub datasets and saved folders, not to a data file")
        return file_source(path, opts)
    if not path.exists():
        raise DataError(f"{spec}: no such file, folder or data spec (expected 'interview', a .txt transcript, "
                        f"a {'/'.join(FORMATS)} file, a saved dataset folder, 'hf:NAME[:CONFIG][:SPLIT]' "
                        f"or 'transcript:PATH')")
    raise DataError(f"{spec}: unknown data format {path.suffix!r} (expected a .txt transcript, "
                    f"a {'/'.join(FORMATS)} file, or 'transcript:PATH' to read it as a transcript)")


def load(spec: str | Path | None = None, **options) -> Corpus:
    """Load the corpus named by `spec` (default: the bundled interview) into memory.

    Options are those of `stream`.
    """
    return Corpus.from_stream(stream(spec, **options))


def _table_stream(src: TableSource, check: dict) -> ExampleStream:
    def open_examples(notes: list[str], left_out: list) -> Iterator[Example]:
        return validate(table_examples(src, notes), src.where, notes, left_out, **check)

    def shard_plan(batch_size: int) -> ShardPlan | None:
        return plan(src, batch_size, check)

    return ExampleStream(src.name, src.origin, open_examples, shard_plan if src.reader else None)


def _transcript_stream(path: Path, references, layout: Layout, check: dict) -> ExampleStream:
    def open_examples(notes: list[str], left_out: list) -> Iterator[Example]:
        examples = load_transcript(path, layout)
        ref_path = Path(references) if references else find_reference_set(path)
        refs = read_reference_set(ref_path) if ref_path else {}
        _attach(examples, refs, str(ref_path) if ref_path else None, str(path))
        found = f"references from {ref_path}" if ref_path else f"no {path.stem}.references.jsonl found"
        where = {i: f"{path} (answer {ex.id}; {found})" for i, ex in enumerate(examples)}
        return validate(enumerate(examples), where.__getitem__, notes, left_out, **check)

    if not path.is_file():
        raise DataError(f"{path}: no such file")
    return ExampleStream(path.stem, str(path), open_examples)


def _attach(examples: list[Example], refs: dict, where: str | None, origin: str) -> None:
    """Give each example its references; references for ids the page lacks are an error."""
    ids = {ex.id for ex in examples}
    unknown = sorted(set(refs) - ids)
    if unknown:
        raise DataError(f"{where}: references for ids not in {origin}: {', '.join(unknown[:10])}"
                        + (f" (and {len(unknown) - 10} more)" if len(unknown) > 10 else ""))
    for ex in examples:
        ex.references = ex.references + refs.get(ex.id, [])


def attach_references(corpus: Corpus, refs: dict, where: str, allow_missing: bool) -> None:
    """Give each example of a loaded corpus its references (unknown ids: error; missing: see `allow_missing`)."""
    _attach(corpus.examples, refs, where, corpus.origin)
    missing = [ex.id for ex in corpus if not ex.references]
    if missing and not allow_missing:
        raise DataError(f"{where}: {len(missing)} example(s) of {corpus.origin} have no reference: "
                        f"{', '.join(missing[:10])} (pass --allow-missing to score the others and record the count)")
    if missing:
        corpus.notes.append(f"{len(missing)} example(s) without references were left out: {', '.join(missing[:10])}")
        corpus.left_out += [(row, ex.id) for row, ex in enumerate(corpus.examples) if not ex.references]
        corpus.examples[:] = [ex for ex in corpus if ex.references]
        corpus.__post_init__()


__all__ = ["load", "stream", "attach_references", "DEFAULT_CORPUS", "Layout", "Fields", "FieldOptions", "PRESETS"]
