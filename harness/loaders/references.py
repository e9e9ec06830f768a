"""Reference summary sets stored as JSONL: one `{"id", "annotator", "kind", "summary"}` per line."""
from __future__ import annotations

from pathlib import Path

from ..data import Reference
from ..errors import DataError
from ..package_data import data_dir
from .files import numbered_json_lines

# Shipped reference sets (and the bundled corpus): the repository's references/ folder, or its copy in a wheel.
REFERENCES_DIR = data_dir("references")


def read_reference_set(path: str | Path) -> dict[str, list[Reference]]:
    """Map each example id to its references, in file order."""
    path = Path(path)
    refs: dict[str, list[Reference]] = {}
    if not path.is_file():
        raise DataError(f"{path}: reference file not found")
    for lineno, row in numbered_json_lines(path):
        for key in ("id", "summary"):
            if not isinstance(row.get(key), str):
                raise DataError(f"{path}:{lineno}: field {key!r} missing or not a string")
        for key in ("annotator", "kind"):
            if row.get(key) is not None and not isinstance(row[key], str):
                raise DataError(f"{path}:{lineno}: field {key!r} must be a string or null")
        if not row["summary"].strip():
            raise DataError(f"{path}:{lineno}: empty reference for id {row['id']!r}")
        refs.setdefault(row["id"], []).append(
            Reference(row["summary"], annotator=row.get("annotator"), kind=row.get("kind")))
    return refs


def find_reference_set(corpus_path: str | Path) -> Path | None:
    """`<name>.references.jsonl` beside the corpus file, else in references/."""
    p = Path(corpus_path)
    for cand in (p.with_name(p.stem + ".references.jsonl"), REFERENCES_DIR / (p.stem + ".references.jsonl")):
        if cand.is_file():
            return cand
    return None
