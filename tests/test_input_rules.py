"""Input is never changed silently (issue 13, items 6, 7, 8 and the smaller ones of 9).

Each case is one the issue found accepted with a changed value, or ending in a traceback: it is now an
error naming the file, the line and the id (exit 2), a recorded failure of that example, or a documented
rule with a note (docs/reliability.md).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import harness
from harness.cli import main
from harness.data import Example, Reference
from harness.errors import DataError, HarnessError
from harness.loaders.predictions import Predictions
from harness.runner import RunFailed

ROWS = [{"id": "a", "source": "The cat sat on the mat. It was happy.", "references": ["The cat sat."]},
        {"id": "b", "source": "Rain fell all day. The river rose.", "references": ["The river rose."]},
        {"id": "c", "source": "Stocks rallied. Bonds fell.", "references": ["Stocks rallied."]}]


def write(tmp_path: Path, first: dict | None = None, name: str = "data.jsonl", raw_first: str | None = None) -> Path:
    path = tmp_path / name
    rows = [json.dumps({**ROWS[0], **(first or {})})] + [json.dumps(r) for r in ROWS[1:]]
    if raw_first is not None:
        rows[0] = raw_first
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def load_error(path: Path, **options) -> str:
    with pytest.raises(DataError) as caught:
        harness.load(str(path), **options)
    return str(caught.value)


@pytest.mark.parametrize("references, found", [
    ([123, "x y"], "not int 123"),
    ([["a b"], "x y"], "not list ['a b']"),
    ([{"text": "x"}], "not dict"),
])
def test_a_reference_that_is_not_a_string_is_an_error_naming_file_line_and_id(tmp_path, references, found):
    message = load_error(write(tmp_path, {"references": references}))
    assert f"{tmp_path / 'data.jsonl'}:1:" in message and "'a'" in message and found in message


def test_mixed_types_keep_the_other_references_as_written(tmp_path):
    # A column of mixed types arrives JSON-encoded from `datasets`: decoded, never kept as JSON text.
    path = write(tmp_path, {"references": "one string, not a list"})
    corpus = harness.load(str(path))
    assert corpus["a"].reference_texts == ["one string, not a list"]
    assert corpus["b"].reference_texts == ["The river rose."]


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_reference_beside_others_is_an_error(tmp_path, empty):
    message = load_error(write(tmp_path, {"references": [empty, "The cat sat."]}))
    assert f"{tmp_path / 'data.jsonl'}:1:" in message
    assert "reference 1 of 2 is empty for id 'a'" in message and "--allow-missing" in message


def test_allow_missing_leaves_an_empty_reference_out_with_a_note(tmp_path, capsys):
    path = write(tmp_path, {"references": ["", "The cat sat."]})
    corpus = harness.load(str(path), allow_missing=True)
    assert corpus["a"].reference_texts == ["The cat sat."]
    assert corpus.notes == ["1 empty reference(s) were left out of the examples that have others: a"]
    assert main(["run", "--data", str(path), "--summarizers", "lead", "--allow-missing", "--quiet",
                 "--no-explorer", "--out", str(tmp_path / "run")]) == 0
    assert "note: 1 empty reference(s) were left out" in capsys.readouterr().out
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["config"]["notes"] == corpus.notes


@pytest.mark.parametrize("raw_id, shown", [(1.5, "float 1.5"), (True, "bool True"), ([1], "list")])
def test_an_id_is_a_string_or_an_integer(tmp_path, raw_id, shown):
    message = load_error(write(tmp_path, {"id": raw_id}))
    assert f"{tmp_path / 'data.jsonl'}:1:" in message and shown in message


def test_integer_ids_become_their_digits(tmp_path):
    path = tmp_path / "ints.jsonl"
    path.write_text("".join(json.dumps({**r, "id": i + 7}) + "\n" for i, r in enumerate(ROWS)))
    assert harness.load(str(path)).ids == ["7", "8", "9"]


def test_a_lone_surrogate_names_file_line_and_id(tmp_path):
    path = write(tmp_path, raw_first='{"id": "a", "source": "Bad \\ud800 text.", "references": ["The cat sat."]}')
    message = load_error(path)
    assert f"{path}:1:" in message and "'source'" in message and "'a'" in message and "surrogate" in message


def test_a_surrogate_pair_is_one_character(tmp_path):
    path = write(tmp_path, raw_first='{"id": "a", "source": "Smile \\ud83d\\ude00 now.", "references": ["x"]}')
    assert harness.load(str(path))["a"].source == "Smile \U0001F600 now."


def test_a_lone_surrogate_from_python_is_an_error_naming_the_id():
    with pytest.raises(DataError, match=r"source of id 'x' is not valid Unicode: a lone surrogate"):
        harness.run([Example("x", "Bad \ud800 text.", ["A reference."])], ["lead"])


def text_summary(example):
    return "one string, not a list of sentences"


def generator_summary(example):
    return (s for s in example.sentences[:1])


@pytest.mark.parametrize("plugin, returned", [("text_summary", "not str"), ("generator_summary", "not generator")])
def test_a_summarizer_must_return_a_list_of_strings(plugin, returned):
    from harness.summarizers import build

    system = build(f"{__name__}:{plugin}")
    with pytest.raises(RunFailed) as caught:
        harness.run(harness.load("interview"), [system], executor="serial")
    assert caught.value.count == 6 and returned in caught.value.failures[0]["error"]


@pytest.mark.parametrize("argv, message", [
    (["--summarizers", "luhn:gap=-1"], "gap must be >= 0"),
    (["--summarizers", "lexrank:threshold=2"], "threshold must be in [0, 1]"),
    (["--summarizers", "lead:k"], "option 'k' is not key=value (e.g. lead:k=3)"),
    (["--summarizers", ""], "no system to run"),
])
def test_bad_options_are_exit_2(argv, message, tmp_path, capsys):
    assert main(["run", *argv, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--workers", "--batch-size"])
def test_zero_workers_or_batch_size_are_refused(option, tmp_path, capsys):
    # `auto` (the default executor) used to ignore --workers 0 on a small input
    assert main(["run", "--summarizers", "lead", option, "0", "--out", str(tmp_path / "o")]) == 2
    assert f"{option} must be at least 1" in capsys.readouterr().err


def test_zero_workers_are_refused_from_python():
    with pytest.raises(HarnessError, match="--workers must be at least 1"):
        harness.run(harness.load("interview"), ["lead"], workers=0)


def test_allow_missing_with_no_reference_at_all_is_an_error_not_an_empty_table(tmp_path, capsys):
    path = tmp_path / "none.jsonl"
    path.write_text("".join(json.dumps({**r, "references": [""]}) + "\n" for r in ROWS))
    assert main(["run", "--data", str(path), "--summarizers", "lead", "--allow-missing", "--quiet",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "no example to score" in err and "3 example(s) without references were left out" in err


def test_run_of_no_example_is_an_error():
    with pytest.raises(DataError, match="no example to score"):
        harness.run([], ["lead"])


def test_predictions_from_file_check_their_ids(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a", "summary": "x"}\n{"id": "zzz", "summary": "y"}\n')
    with pytest.raises(DataError, match=r"1 prediction id\(s\) not in the data: 'zzz'"):
        Predictions.from_file("p", path, ["a", "b"])
    path.write_text('{"id": "a", "summary": "x"}\n')
    with pytest.raises(DataError, match=r"no prediction for 1 of 2 example\(s\): 'b'"):
        Predictions.from_file("p", path, ["a", "b"])
    assert Predictions.from_file("p", path, ["a", "b"], allow_missing=True).notes


def test_run_checks_predictions_made_in_python(interview):
    partial = Predictions("mine", {interview.ids[0]: ["A summary."]})
    with pytest.raises(DataError, match=r"no prediction for 5 of 6 example\(s\)"):
        harness.run(interview, [partial])


@pytest.mark.parametrize("summary, shown", [(None, "not NoneType"), (3, "not int"), ("a str", "not str")])
def test_score_refuses_a_summary_that_is_not_a_list_of_sentences(interview, summary, shown):
    summaries = {"mine": {i: ["A sentence."] for i in interview.ids}}
    summaries["mine"][interview.ids[0]] = summary
    with pytest.raises(DataError, match=shown):
        harness.score(interview, summaries)


def test_score_refuses_extra_ids(interview):
    summaries = {"mine": {**{i: ["A sentence."] for i in interview.ids}, "not-an-id": ["x"]}}
    with pytest.raises(DataError, match="not in the data: 'not-an-id'"):
        harness.score(interview, summaries)


def test_example_takes_reference_texts_and_integer_ids():
    ex = Example(id=1, source="A source.", references=["A reference."])
    assert ex.id == "1" and ex.references == [Reference("A reference.")]
    with pytest.raises(DataError, match="should be a string or an integer, not float"):
        Example(id=1.5, source="A source.")
    with pytest.raises(DataError, match="should be a str or a Reference, not int"):
        Example(id="x", source="A source.", references=[3])


def test_a_system_that_scored_no_example_has_no_number_in_the_table(interview):
    nothing = Predictions("nothing", {})
    notes = nothing.check(interview.ids, allow_missing=True)
    assert notes and "6 of 6 example(s) have no prediction" in notes[0]
    result = harness.run(interview, ["lead", nothing], harness.ScoreConfig(bootstrap=0), executor="serial")
    row = next(line for line in result.table().splitlines() if line.startswith("| nothing"))
    assert "0.00" not in row and "–" in row
