"""Every bad input stops the CLI with exit code 2 and a message naming the file, the line and the ids."""
import json
import re

import pytest

from harness.cli import main
from harness.errors import DataError
from harness.loaders.validation import IdRegistry

ROWS = [{"id": f"e{i}", "source": f"Sentence {i} is here. Another follows.", "references": [f"Summary {i}."]}
        for i in range(4)]


def jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def fails(argv, capsys, *patterns):
    """Run the CLI; it must exit 2 and print each pattern (a regex) on stderr."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    for p in patterns:
        assert re.search(p, err), (p, err)
    return err


@pytest.fixture
def data(tmp_path):
    return jsonl(tmp_path / "data.jsonl", ROWS)


def test_malformed_json_names_file_and_line(tmp_path, capsys):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps(ROWS[0]) + "\n" + json.dumps(ROWS[1]) + "\n" + '{"id": "e2", "source": "x" "references": []}\n')
    fails(["inspect", "--data", str(p)], capsys, r"bad\.jsonl:3: malformed JSON: Expecting ',' delimiter")


def test_malformed_json_array(tmp_path, capsys):
    p = tmp_path / "bad.json"
    p.write_text("[\n" + json.dumps(ROWS[0]) + ",\n" + json.dumps(ROWS[1])[:-1] + "\n]\n")
    fails(["inspect", "--data", str(p)], capsys, r"bad\.json:4: malformed JSON")


def test_json_line_that_is_not_an_object(tmp_path, capsys):
    p = tmp_path / "list.jsonl"
    p.write_text(json.dumps(ROWS[0]) + "\n[1, 2]\n")
    fails(["inspect", "--data", str(p)], capsys, r"list\.jsonl:2: expected a JSON object")


def test_malformed_csv_field_count(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text("id,source,references\ne0,Text one.,Ref one.\ne1,Text two.,Ref two.,extra\n")
    fails(["inspect", "--data", str(p)], capsys, r"bad\.csv:3: malformed CSV: expected 3 fields, saw 4")


def test_malformed_csv_unclosed_quote(tmp_path, capsys):
    p = tmp_path / "quote.csv"
    p.write_text('id,source,references\ne0,Text one.,Ref one.\ne1,"Text two.,Ref two.\ne2,Text three.,Ref.\n')
    fails(["inspect", "--data", str(p)], capsys, r"quote\.csv:3: malformed CSV: a quoted field opened on line 3")


def test_missing_required_field(tmp_path, capsys):
    p = jsonl(tmp_path / "nosrc.jsonl", [{"id": r["id"], "text": r["source"], "references": r["references"]}
                                          for r in ROWS])
    fails(["inspect", "--data", p], capsys, r"nosrc\.jsonl: required field\(s\) 'source' missing; the data has "
          r"'id', 'text', 'references' \(name them with --source-field\)")
    p = jsonl(tmp_path / "norefcol.jsonl", [{"id": r["id"], "source": r["source"]} for r in ROWS])
    fails(["run", "--data", p], capsys, r"required field\(s\) 'references' missing")
    p = jsonl(tmp_path / "ok.jsonl", ROWS)
    fails(["inspect", "--data", p, "--id-field", "doc_id"], capsys,
          r"ok\.jsonl: id field 'doc_id' missing; the data has 'id', 'source', 'references'")


def test_missing_field_in_one_row(tmp_path, capsys):
    rows = [dict(r) for r in ROWS]
    del rows[2]["source"]
    fails(["inspect", "--data", jsonl(tmp_path / "hole.jsonl", rows)], capsys,
          r"hole\.jsonl:3: field 'source' \(the source\) is missing for id 'e2'")
    rows = [dict(r) for r in ROWS]
    del rows[1]["id"]
    fails(["inspect", "--data", jsonl(tmp_path / "noid.jsonl", rows)], capsys,
          r"noid\.jsonl:2: field 'id' \(the id\) is missing")


def test_duplicate_ids(tmp_path, capsys):
    rows = ROWS + [dict(ROWS[1])]
    fails(["inspect", "--data", jsonl(tmp_path / "dup.jsonl", rows)], capsys,
          r"dup\.jsonl:5: duplicate id 'e1' \(first at .*dup\.jsonl:2\)")
    p = tmp_path / "dup.csv"
    p.write_text("id,source,references\na,One.,R1\nb,\"Two\nlines.\",R2\na,Three.,R3\n")
    fails(["inspect", "--data", str(p)], capsys, r"dup\.csv:5: duplicate id 'a' \(first at .*dup\.csv:2\)")


def test_empty_source(tmp_path, capsys):
    rows = [dict(r) for r in ROWS]
    rows[3]["source"] = "   "
    fails(["run", "--data", jsonl(tmp_path / "empty.jsonl", rows)], capsys,
          r"empty\.jsonl:4: empty source for id 'e3'")


def test_example_without_reference(tmp_path, capsys):
    rows = [dict(r) for r in ROWS]
    rows[1]["references"] = []
    rows[2]["references"] = [""]
    p = jsonl(tmp_path / "noref.jsonl", rows)
    fails(["run", "--data", p, "--out", str(tmp_path / "o")], capsys,
          r"noref\.jsonl:2: no reference for id 'e1' \(pass --allow-missing")
    assert main(["run", "--data", p, "--summarizers", "lead", "--allow-missing", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "note: 2 example(s) without references were left out: e1, e2" in out
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["config"]["n_examples"] == 2
    assert any("2 example(s) without references were left out" in n for n in summary["config"]["notes"])


def test_not_utf8_data(tmp_path, capsys):
    p = tmp_path / "latin.jsonl"
    p.write_bytes(json.dumps(ROWS[0]).encode() + b"\n" + b'{"id": "x", "source": "caf\xe9", "references": ["r"]}\n')
    fails(["inspect", "--data", str(p)], capsys, r"latin\.jsonl:2: not UTF-8 \(byte 0xe9 at column 27")
    p = tmp_path / "latin.csv"
    p.write_bytes(b"id,source,references\na,Fine.,R\nb,Caf\xe9.,R\n")
    fails(["inspect", "--data", str(p)], capsys, r"latin\.csv:3: not UTF-8 \(byte 0xe9")


def test_predictions_with_unknown_ids(tmp_path, data, capsys):
    preds = jsonl(tmp_path / "sys.jsonl", [{"id": r["id"], "summary": "S."} for r in ROWS] +
                  [{"id": "zz", "summary": "S."}, {"id": "yy", "summary": "S."}])
    fails(["score", "--data", data, "--predictions", f"mine={preds}", "--allow-missing"], capsys,
          r"sys\.jsonl: 2 prediction id\(s\) not in the data: 'zz', 'yy' \(system 'mine'\)")


def test_predictions_missing_ids(tmp_path, data, capsys):
    preds = jsonl(tmp_path / "sys.jsonl", [{"id": r["id"], "summary": "Sentence 0 is here."} for r in ROWS[:2]])
    fails(["score", "--data", data, "--predictions", f"mine={preds}", "--out", str(tmp_path / "o")], capsys,
          r"sys\.jsonl: no prediction for 2 of 4 example\(s\): 'e2', 'e3' \(system 'mine'; pass --allow-missing")
    assert not (tmp_path / "o").exists()  # nothing was scored or written
    assert main(["score", "--data", data, "--predictions", f"mine={preds}", "--allow-missing",
                 "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "note: system 'mine': 2 of 4 example(s) have no prediction" in out
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["systems"]["mine"]["rouge1"]["n"] == 2
    assert any("have no prediction" in n for n in summary["config"]["notes"])


def test_prediction_file_errors(tmp_path, data, capsys):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "e0", "summary": "ok"}\n{"id": "e1" "summary": "x"}\n')
    fails(["score", "--data", data, "--predictions", f"s={p}"], capsys, r"bad\.jsonl:2: malformed JSON")
    p.write_text('{"id": "e0", "summary": "ok"}\n{"id": "e1"}\n')
    fails(["score", "--data", data, "--predictions", f"s={p}"], capsys, r"bad\.jsonl:2: field 'summary' missing")
    p.write_text('{"id": "e0", "summary": "ok"}\n{"id": "e0", "summary": "again"}\n')
    fails(["score", "--data", data, "--predictions", f"s={p}"], capsys,
          r"bad\.jsonl:2: duplicate id 'e0' \(first on line 1\)")
    p.write_bytes(b'{"id": "e0", "summary": "caf\xe9"}\n')
    fails(["score", "--data", data, "--predictions", f"s={p}"], capsys, r"bad\.jsonl:1: not UTF-8 \(byte 0xe9")
    fails(["score", "--data", data, "--predictions", f"s={tmp_path / 'none.jsonl'}"], capsys,
          r"none\.jsonl: predictions file not found")


def test_text_predictions_with_wrong_line_count(tmp_path, data, capsys):
    p = tmp_path / "sys.txt"
    p.write_text("One.\nTwo.\nThree.\n")
    fails(["score", "--data", data, "--predictions", f"s={p}"], capsys,
          r"sys\.txt: 3 line\(s\) but the data has 4 example\(s\)")
    p.write_bytes(b"One.\nTwo.\nTh\xffree.\nFour.\n")
    fails(["score", "--data", data, "--predictions", f"s={p}"], capsys, r"sys\.txt:3: not UTF-8 \(byte 0xff")


def test_id_registry_finds_repeats_across_blocks():
    reg = IdRegistry(block=4)
    for i in range(10):
        assert reg.add(f"id{i}", i) is None
    assert len(reg) == 10
    hits = [reg.add(id_, i) for i, id_ in enumerate(["n1", "n2", "id3", "n4", "n5", "n6"], start=10)]
    assert hits == [None, None, None, None, None, ("id3", 3, 12)]  # found when its block is flushed
    reg = IdRegistry(block=4)
    for i in range(6):
        reg.add(f"k{i}", i)
    reg.add("k0", 6)
    assert reg.finish() == ("k0", 0, 6)  # and always before the stream ends


def test_id_registry_memory_is_16_bytes_per_id():
    reg = IdRegistry(block=1000)
    for i in range(20_000):
        assert reg.add(f"document-{i}", i) is None
    reg.finish()
    assert reg.nbytes == 16 * 20_000


def test_duplicate_far_apart_in_a_stream(tmp_path, monkeypatch):
    """A repeat whose first use went into the digest runs (several blocks back) is still found."""
    from harness.loaders import stream, validation

    monkeypatch.setattr(validation, "IdRegistry", lambda: IdRegistry(block=64))
    rows = [{"id": f"r{i}", "source": "Text.", "references": ["R."]} for i in range(700)] + \
           [{"id": "r5", "source": "Text.", "references": ["R."]}]
    p = jsonl(tmp_path / "far.jsonl", rows)
    with pytest.raises(DataError, match=r"far\.jsonl:701: duplicate id 'r5' \(first at .*far\.jsonl:6\)"):
        for _ in stream(p):
            pass
