"""Property tests: arbitrary bytes, unicode, huge lines and truncated files thrown at every loader.

The only acceptable outcomes are a correct load (every example has a unique
string id, a non-empty source and non-empty string references) or the
loader's validation error (DataError); never another exception, a hang or a
silently wrong corpus.
"""
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import harness
from harness.data import Corpus, Example, Reference
from harness.errors import DataError
from harness.loaders.references import REFERENCES_DIR, read_reference_set
from harness.loaders.transcript import parse_transcript

pytestmark = pytest.mark.slow  # long fuzzing

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TRANSCRIPT = REFERENCES_DIR / "lavrov-2018-12-24.txt"
REFS = REFERENCES_DIR / "lavrov-2018-12-24.references.jsonl"
# Every file format `--data` may be given. Formats a loader does not handle
# must be refused with a DataError too, so this list can only grow.
SUFFIXES = (".txt", ".jsonl", ".json", ".csv", ".tsv")


def check_examples(examples) -> None:
    """What a correct load guarantees about its examples."""
    ids = set()
    for ex in examples:
        assert isinstance(ex, Example)
        assert isinstance(ex.id, str) and ex.id and ex.id not in ids
        ids.add(ex.id)
        assert isinstance(ex.source, str) and ex.source.strip()
        assert ex.question is None or isinstance(ex.question, str)
        for r in ex.references:
            assert isinstance(r, Reference) and isinstance(r.text, str) and r.text.strip()
            assert r.annotator is None or isinstance(r.annotator, str)
            assert r.kind is None or isinstance(r.kind, str)
        ex.sentences  # splitting never fails on what a loader accepted


def load_or_reject(spec, **options):
    """A Corpus that passes `check_examples`, or None when the loader refused with a DataError."""
    try:
        corpus = harness.load(spec, **options)
    except DataError as e:
        assert str(e)  # the message is the user's only guide
        return None
    assert isinstance(corpus, Corpus)
    check_examples(corpus)
    if not options.get("allow_missing"):
        assert all(ex.references for ex in corpus)
    return corpus


def stream_or_reject(path: Path) -> None:
    """The streaming loader (`harness.loaders.stream`), where there is one: the same contract."""
    stream = getattr(harness.loaders, "stream", None)
    if stream is None:
        return
    try:
        check_examples(list(stream(str(path))))
    except DataError as e:
        assert str(e)


# --- the transcript parser ---------------------------------------------------------------------

MARKERS = st.sampled_from(["Question:", "Q:", "QUESTION:", "Sergey Lavrov:", "MR. PRICE:", "A:", "Notify of",
                           "Support SouthFront", "Moderator:", ":", "Question :", "Question:Question:"])
SEPARATORS = st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\r\n", "\u2028", "\x0b", "\x0c", " \n \n", "\n\n\n"])
FRAGMENTS = st.one_of(MARKERS, st.text(max_size=80), st.sampled_from(["Yes.", "No", "Thank you.", "…", "?"]))


@st.composite
def transcript_like(draw) -> str:
    """Text made of the pieces transcripts are made of, in any order."""
    parts = draw(st.lists(st.tuples(FRAGMENTS, FRAGMENTS, SEPARATORS), max_size=30))
    return "".join(f"{a} {b}{sep}" for a, b, sep in parts)


@FUZZ
@given(text=st.one_of(st.text(), transcript_like()))
@example(text="Question: Why?\n\nSergey Lavrov: Because.")
@example(text="Question:\n\nA B C D E: x.\n\n" * 3)
def test_parse_transcript_any_text(text):
    try:
        examples = parse_transcript(text, name="fuzz")
    except DataError as e:
        assert "no question/answer pair" in str(e)
        return
    check_examples(examples)
    assert all(ex.id.startswith("fuzz:q") for ex in examples)


def test_parse_transcript_huge_lines():
    answer = "Sergey Lavrov: " + "word " * 400_000 + "end."
    for text in ("Question: " + "why " * 400_000 + "?\n\n" + answer,  # 2 MB paragraphs
                 "Question: x?\n" + "\n".join(["y"] * 200_000) + "\n\n" + answer,
                 "Question: x?\n\n" + "." * 1_000_000 + "\n\n" + answer):
        check_examples(parse_transcript(text, name="huge"))


# --- files given to --data ----------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    return tmp_path


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"Question: a?\n\nSergey Lavrov: \xff\xfe b.")
@example(data="Question: \u00e9?\n\nSergey Lavrov: Yes.".encode("utf-8")[:-1] + b"\xc3")
def test_transcript_file_any_bytes(folder, data):
    path = _write(folder, "page.txt", data)
    assert load_or_reject(path) is None  # no references anywhere: refused, never scored as if complete
    load_or_reject(path, allow_missing=True)


@FEW
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES[1:]))
def test_data_file_any_bytes(folder, data, suffix):
    path = _write(folder, "data" + suffix, data)
    load_or_reject(path)
    stream_or_reject(path)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)
RECORD = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=10), JSON_VALUES), "source": st.one_of(st.text(max_size=60), JSON_VALUES),
    "references": st.one_of(st.lists(st.text(max_size=40), max_size=3), st.text(max_size=40), JSON_VALUES),
    "summary": st.one_of(st.text(max_size=40), JSON_VALUES), "annotator": JSON_VALUES, "kind": JSON_VALUES})


@FEW
@given(records=st.lists(RECORD, max_size=8), suffix=st.sampled_from([".jsonl", ".json"]))
def test_data_file_json_records_of_any_shape(folder, records, suffix):
    text = json.dumps(records) if suffix == ".json" else "".join(json.dumps(r) + "\n" for r in records)
    path = _write(folder, "data" + suffix, text.encode())
    load_or_reject(path)
    stream_or_reject(path)


@FEW
@given(rows=st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=4), max_size=8),
       header=st.sampled_from([["id", "source", "references"], ["source", "references"], ["id", "text"], []]),
       suffix=st.sampled_from([".csv", ".tsv"]))
def test_data_file_csv_cells_of_any_text(folder, rows, header, suffix):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if suffix == ".tsv" else ",")
    for row in ([header] if header else []) + rows:
        writer.writerow(row)
    path = _write(folder, "data" + suffix, buf.getvalue().encode())
    load_or_reject(path)
    stream_or_reject(path)


def test_data_files_with_huge_lines(folder):
    big = "word " * 1_000_000  # one 5 MB line
    record = {"id": "a", "source": big + ".", "references": [big]}
    for suffix, content in ((".jsonl", json.dumps(record) + "\n"), (".json", json.dumps([record])),
                            (".csv", f'id,source,references\na,"{big}.","{big}"\n'),
                            (".tsv", f"id\tsource\treferences\na\t{big}.\t{big}\n"),
                            (".txt", f"Question: {big}?\n\nSergey Lavrov: {big}.\n")):
        path = _write(folder, "huge" + suffix, content.encode())
        load_or_reject(path)
        load_or_reject(path, allow_missing=True)
        stream_or_reject(path)


# --- reference sets -----------------------------------------------------------------------------

def read_refs_or_reject(path: Path):
    try:
        refs = read_reference_set(path)
    except DataError as e:
        assert str(path) in str(e)  # the message names the file
        return None
    for ex_id, rs in refs.items():
        assert isinstance(ex_id, str) and rs
        check_examples([Example(ex_id or "x", "A source.", rs)])
    return refs


@FUZZ
@given(data=st.binary(max_size=3000))
@example(data=b'{"id": "a", "summary": "ok"}\n{"id": "b", "summ')
@example(data=b'{"id": "a", "summary": "ok", "annotator": 5}\n')
@example(data=b'[1, 2]\n')
def test_reference_file_any_bytes(folder, data):
    read_refs_or_reject(_write(folder, "refs.jsonl", data))


@FUZZ
@given(records=st.lists(RECORD, max_size=8))
def test_reference_records_of_any_shape(folder, records):
    text = "".join(json.dumps(r) + "\n" for r in records)
    read_refs_or_reject(_write(folder, "refs.jsonl", text.encode()))


# --- truncated files ----------------------------------------------------------------------------

@FUZZ
@given(cut_page=st.integers(0, TRANSCRIPT.stat().st_size), cut_refs=st.integers(0, REFS.stat().st_size))
@example(cut_page=TRANSCRIPT.stat().st_size, cut_refs=REFS.stat().st_size)  # whole: loads
def test_truncated_transcript_and_references(folder, cut_page, cut_refs):
    page = _write(folder, "lavrov-2018-12-24.txt", TRANSCRIPT.read_bytes()[:cut_page])
    refs = _write(folder, "lavrov-2018-12-24.references.jsonl", REFS.read_bytes()[:cut_refs])
    corpus = load_or_reject(page, references=refs)
    if cut_page == TRANSCRIPT.stat().st_size and cut_refs == REFS.stat().st_size:
        assert corpus is not None and len(corpus) == 6
    if corpus is not None:
        # a corpus that loads from truncated files is one whose examples are all whole
        whole = {ex.id: ex for ex in harness.load("interview")}
        for ex in corpus:
            assert ex.id in whole
            assert [r.text for r in ex.references] == [r.text for r in whole[ex.id].references][:len(ex.references)]
    read_refs_or_reject(refs)


@FEW
@given(cut=st.integers(1, 4000))
def test_truncated_data_files(folder, cut):
    """JSONL/CSV data files cut anywhere, even inside a multi-byte character."""
    records = [{"id": f"r{i}", "source": f"Ünïcödé source number {i}. Second sentence.",
                "references": [f"Réference {i}."]} for i in range(40)]
    for suffix, text in ((".jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)),
                         (".csv", "id,source,references\n" + "".join(
                             f'{r["id"]},"{r["source"]}","{r["references"][0]}"\n' for r in records))):
        data = text.encode("utf-8")
        path = _write(folder, "cut" + suffix, data[:cut % len(data)])
        corpus = load_or_reject(path)
        if corpus is not None:
            assert len(corpus) <= 40
        stream_or_reject(path)
