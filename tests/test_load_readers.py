"""JSON Lines, JSON and CSV/TSV files are read with the standard library (issue 14: no `datasets`/pyarrow
import for a local file); they give exactly the examples (and notes) that `datasets`' readers gave."""
import csv
import io
import itertools
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from harness.data import Corpus
from harness.errors import DataError
from harness.loaders import FieldOptions, _table_stream
from harness.loaders import files

SHARED = Path(os.environ.get("HARNESS_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data"


def through_datasets(src, path: Path):
    """`src` read as the loader read local files before: Arrow batches from `datasets`' json/csv builders
    (every CSV column as text, no NaN), the same Fields and checks; a JSON file `datasets` failed on was
    read on with the standard library from the row it stopped at."""
    import datasets

    def recover(err, done):
        if path.suffix == ".json":
            return iter(files._json_array(path)[done:])
        if path.suffix == ".jsonl":
            return itertools.islice(files.json_lines(path), done, None)
        raise DataError(f"{path}: {err}")

    if path.suffix in (".csv", ".tsv"):
        header, dialect = files._csv_header(path), files.csv_dialect(path)
        batches = files._batches("csv", path, sep=dialect["delimiter"],
                                 quoting=dialect.get("quoting", csv.QUOTE_MINIMAL), encoding="utf-8-sig",
                                 keep_default_na=False, na_filter=False,
                                 features=datasets.Features({c: datasets.Value("string") for c in header}))
    else:
        batches = files._batches("json", path)
    return replace(src, batches=batches, rows=None, recover=recover)


def outcome(src, **check):
    try:
        corpus = Corpus.from_stream(_table_stream(src, dict(allow_missing=False, require_references=True) | check))
    except DataError as e:
        return "error", type(e).__name__
    return corpus.examples, corpus.notes, corpus.left_out


def both_ways(path: Path, opts: FieldOptions = FieldOptions(), **check):
    src = files.file_source(path, opts)
    assert src.rows is not None and src.batches is None  # the standard library's reader
    mine = outcome(src, **check)
    assert mine == outcome(through_datasets(src, path), **check)
    return mine


def test_the_run_reads_no_datasets(tmp_path):
    """Reading a JSON Lines or CSV file imports neither datasets nor pyarrow."""
    import subprocess

    rows = [{"id": "a", "source": "One. Two.", "references": ["One."]}]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,source,references\na,One. Two.,One.\n", encoding="utf-8")
    code = ("import sys; from harness.loaders import load; "
            f"[load(p) for p in {[str(tmp_path / 'd.jsonl'), str(tmp_path / 'd.csv')]!r}]; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasets', 'pyarrow', 'pandas')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


JSONL_CASES = {
    "plain": [{"id": "a", "source": "The cat sat. It was warm.", "references": ["A cat.", "Warm."]},
              {"id": "b", "source": "Rain fell.", "references": ["Rain."]}],
    "integer ids, one reference as a string": [{"id": i, "source": f"S {i}. T.", "references": f"r {i}"}
                                               for i in range(5)],
    "a key missing in some rows, extra columns": [
        {"id": "a", "source": "One. Two.", "references": ["One."], "system_outputs": {"x": "y"}},
        {"id": "b", "source": "Three.", "references": ["Three."], "question": "why?"}],
    "sources as lists of sentences, unicode": [
        {"id": "ü", "source": ["Première phrase.", "Zweiter Satz — ja."], "references": ["Ja."]},
        {"id": "日本", "source": ["日本語の文。"], "references": ["文。"]}],
    "no id column": [{"source": "One. Two.", "references": ["One."]}, {"source": "Three.", "references": ["x"]}],
    "a preset's columns": [{"dialogue": "#P1#: Hi.\n#P2#: Hello.", "summary": "They greet."}],
    "types change after a thousand rows": (
        [{"id": i, "source": f"Sentence {i}. More.", "references": f"ref {i}"} for i in range(1200)]
        + [{"id": f"s{i}", "source": f"Sentence {i}.", "references": [f"ref {i}", "two"]} for i in range(3)]),
}


@pytest.mark.parametrize("case", list(JSONL_CASES), ids=list(JSONL_CASES))
def test_json_lines_and_arrays_as_datasets_read_them(tmp_path, case):
    rows = JSONL_CASES[case]
    lines = tmp_path / "data.jsonl"
    lines.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    examples = both_ways(lines)[0]
    assert len(examples) == len(rows)
    array = tmp_path / "data.json"
    array.write_text(json.dumps(rows), encoding="utf-8")
    assert both_ways(array)[0] == examples


def test_missing_references_left_out_alike(tmp_path):
    rows = [{"id": "a", "source": "One.", "references": []}, {"id": "b", "source": "Two.", "references": ["Two."]},
            {"id": "c", "source": "Three."}]
    p = tmp_path / "d.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    examples, notes, left_out = both_ways(p, allow_missing=True)
    assert [ex.id for ex in examples] == ["b"] and left_out
    assert both_ways(p) == ("error", "DataError")


def _csv_text(rows, delimiter=",", quoting=csv.QUOTE_MINIMAL):
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    w.writerows(rows)
    return out.getvalue()


CSV_CASES = {
    "plain": [["id", "source", "references"], ["a", "The cat sat. It was warm.", "A cat."], ["b", "Rain.", "R."]],
    "ids as written, quotes, commas and newlines in cells": [
        ["id", "source", "references", "notes"], ["007", 'He said "hi", twice.\nThen left.', "Hi, twice.", ""],
        ["1.50", "NaN is a word here. NA too.", "NaN.", "null"]],
    "one column per reference": [["id", "source", "ref1", "ref2"], ["a", "One. Two.", "One.", "Two."],
                                 ["b", "Three.", "Four.", "Three."]],
    "no id column, unicode": [["source", "references"], ["Première phrase. Zweite.", "Première."]],
}


@pytest.mark.parametrize("case", list(CSV_CASES), ids=list(CSV_CASES))
def test_csv_and_tsv_as_datasets_read_them(tmp_path, case):
    rows = CSV_CASES[case]
    opts = FieldOptions(reference_fields=("ref1", "ref2")) if "ref1" in rows[0] else FieldOptions()
    p = tmp_path / "data.csv"
    p.write_text("\ufeff" + _csv_text(rows), encoding="utf-8")
    examples = both_ways(p, opts)[0]
    assert len(examples) == len(rows) - 1
    if "\n" not in "".join(map("".join, rows)):  # TSV has no quoting: no newline in a cell
        t = tmp_path / "data.tsv"
        t.write_text(_csv_text(rows, "\t", csv.QUOTE_NONE), encoding="utf-8")
        assert both_ways(t, opts)[0] == examples


def test_blank_lines_skipped_alike(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("id,source,references\n\na,One. Two.,One.\n\nb,Three.,x\n", encoding="utf-8")
    assert [ex.id for ex in both_ways(p)[0]] == ["a", "b"]


REAL = sorted(SHARED.glob("*/*.jsonl")) if SHARED.is_dir() else []


@pytest.mark.skipif(not REAL, reason=f"needs {SHARED}/...")
@pytest.mark.parametrize("path", REAL, ids=[f"{p.parent.name}/{p.name}" for p in REAL])
def test_real_sets_as_datasets_read_them(path):
    both_ways(path, require_references=False)
