"""Load a corpus from a data spec: `load("interview")`, `load("page.txt")`, ...

Every loader returns a `Corpus` whose examples carry their references; an
example without a reference is an error (or, with `allow_missing`, a count
recorded in the corpus notes), never a silent drop.
"""
from __future__ import annotations

from pathlib import Path

from ..data import Corpus
from ..errors import DataError
from .references import REFERENCES_DIR, find_reference_set, read_reference_set
from .transcript import DEFAULT_LAYOUT, Layout, load_transcript

DEFAULT_CORPUS = REFERENCES_DIR / "lavrov-2018-12-24.txt"
ALIASES = {"interview": DEFAULT_CORPUS, "default": DEFAULT_CORPUS}


def load(spec: str | Path | None = None, *, references: str | Path | None = None,
         layout: Layout = DEFAULT_LAYOUT, allow_missing: bool = False) -> Corpus:
    """Load the corpus named by `spec` (default: the bundled interview)."""
    spec = str(spec) if spec is not None else "interview"
    if spec in ALIASES:
        path = ALIASES[spec]
        return _load_transcript(path, references, layout, allow_missing)
    if spec.startswith("transcript:"):
        return _load_transcript(Path(spec[len("transcript:"):]), references, layout, allow_missing)
    path = Path(spec)
    if path.suffix == ".txt":
        return _load_transcript(path, references, layout, allow_missing)
    raise DataError(f"{spec}: unsupported data spec (expected 'interview', a transcript .txt or 'transcript:PATH')")


def _load_transcript(path: Path, references, layout, allow_missing) -> Corpus:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    examples = load_transcript(path, layout)
    ref_path = Path(references) if references else find_reference_set(path)
    refs = read_reference_set(ref_path) if ref_path else {}
    corpus = Corpus(name=path.stem, examples=examples, origin=str(path))
    attach_references(corpus, refs, str(ref_path or f"{path.stem}.references.jsonl"), allow_missing)
    return corpus


def attach_references(corpus: Corpus, refs: dict, where: str, allow_missing: bool) -> None:
    """Give each example its references; unknown or missing ids are errors."""
    ids = set(corpus.ids)
    unknown = sorted(set(refs) - ids)
    if unknown:
        raise DataError(f"{where}: references for ids not in {corpus.origin}: {', '.join(unknown[:10])}")
    missing = [ex.id for ex in corpus if not refs.get(ex.id) and not ex.references]
    if missing and not allow_missing:
        raise DataError(
            f"{where}: {len(missing)} example(s) of {corpus.origin} have no reference: {', '.join(missing[:10])}"
            " (pass --allow-missing to score the others and record the count)"
        )
    for ex in corpus:
        ex.references = ex.references + refs.get(ex.id, [])
    if missing:
        corpus.notes.append(f"{len(missing)} example(s) without references were skipped: {', '.join(missing[:10])}")
        corpus.examples[:] = [ex for ex in corpus if ex.references]
        corpus.__post_init__()


__all__ = ["load", "attach_references", "DEFAULT_CORPUS", "Layout"]
