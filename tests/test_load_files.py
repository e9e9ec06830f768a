"""Local data files (.jsonl .json .csv .tsv with the standard library, .parquet through `datasets`), fields,
presets, streaming."""
import csv
import json

import pytest

from harness.data import Corpus, ExampleStream
from harness.errors import DataError
from harness.loaders import load, stream

ROWS = [
    {"id": "a", "source": "The cat sat on the mat. It was warm.", "references": ["A cat sat.", "The cat was warm."]},
    {"id": "b", "source": "Rain fell all day. The river rose.", "references": ["Rain made the river rise."]},
    {"id": "c", "source": "Prices went up. Shoppers complained.", "references": ["Prices rose."]},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_csv(path, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(list(rows[0]))
        for r in rows:
            w.writerow(list(r.values()))
    return path


def flat(rows):
    return [{"id": r["id"], "source": r["source"], "references": r["references"][0]} for r in rows]


def check(corpus, rows=ROWS):
    assert isinstance(corpus, Corpus)
    assert corpus.ids == [r["id"] for r in rows]
    for r in rows:
        ex = corpus[r["id"]]
        assert ex.source == r["source"]
        refs = r["references"] if isinstance(r["references"], list) else [r["references"]]
        assert ex.reference_texts == refs


def test_jsonl(tmp_path):
    check(load(str(write_jsonl(tmp_path / "d.jsonl", ROWS))))


def test_json_array(tmp_path):
    p = tmp_path / "d.json"
    p.write_text(json.dumps(ROWS, indent=1), encoding="utf-8")
    check(load(str(p)))


def test_csv_and_tsv(tmp_path):
    check(load(str(write_csv(tmp_path / "d.csv", flat(ROWS)))), flat(ROWS))
    tsv_rows = [dict(r, source=r["source"] + ' She said "fine".') for r in flat(ROWS)]
    p = tmp_path / "d.tsv"
    p.write_text("id\tsource\treferences\n" + "".join(f"{r['id']}\t{r['source']}\t{r['references']}\n"
                                                    for r in tsv_rows), encoding="utf-8")
    check(load(str(p)), tsv_rows)


def test_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), p)
    check(load(str(p)))


def test_csv_keeps_ids_and_text_as_written(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("id,source,references\n007,NA,null\n008,\"Line one.\nLine two.\",ok\n", encoding="utf-8")
    c = load(str(p))
    assert c.ids == ["007", "008"]
    assert c["007"].source == "NA" and c["007"].reference_texts == ["null"]
    assert c["008"].source == "Line one.\nLine two."


def test_field_options_and_one_column_per_reference(tmp_path):
    rows = [{"doc": f"d{i}", "text": f"Text {i}. More text.", "ref1": f"R{i} one", "ref2": f"R{i} two",
             "ref3": "" if i == 1 else f"R{i} three", "query": f"What about {i}?"} for i in range(3)]
    p = write_jsonl(tmp_path / "multi.jsonl", rows)
    options = dict(id_field="doc", source_field="text", reference_fields=["ref1", "ref2", "ref3"],
                   question_field="query")
    with pytest.raises(DataError, match=r"multi.jsonl:2: reference 3 of 3 is empty for id 'd1'"):
        load(str(p), **options)  # an empty reference beside others is never dropped silently
    c = load(str(p), **options, allow_missing=True)
    assert c.ids == ["d0", "d1", "d2"]
    assert c["d0"].reference_texts == ["R0 one", "R0 two", "R0 three"]
    assert c["d1"].reference_texts == ["R1 one", "R1 two"]  # left out, and counted in a note
    assert c.notes[-1] == "1 empty reference(s) were left out of the examples that have others: d1"
    assert [r.annotator for r in c["d0"].references] == ["ref1", "ref2", "ref3"]
    assert c["d2"].question == "What about 2?"


def test_no_id_field_means_row_numbers_and_says_so(tmp_path):
    p = write_jsonl(tmp_path / "noid.jsonl", [{k: v for k, v in r.items() if k != "id"} for r in ROWS])
    c = load(str(p))
    assert c.ids == ["0", "1", "2"]
    assert any("ids are row numbers" in n for n in c.notes)
    c = load(str(write_jsonl(tmp_path / "d.jsonl", ROWS)), id_field="")
    assert c.ids == ["0", "1", "2"]


def test_single_string_and_mixed_reference_types(tmp_path):
    rows = [dict(ROWS[0]), dict(ROWS[1], references="Rain made the river rise."), dict(ROWS[2])]
    check(load(str(write_jsonl(tmp_path / "mixed.jsonl", rows))), rows)
    rows = [dict(ROWS[0], id=1), dict(ROWS[1]), dict(ROWS[2])]  # an int id among strings
    assert load(str(write_jsonl(tmp_path / "ids.jsonl", rows))).ids == ["1", "b", "c"]


def test_source_given_as_a_list_of_sentences(tmp_path):
    rows = [dict(r, source=r["source"].split(". ")) for r in ROWS]
    c = load(str(write_jsonl(tmp_path / "sents.jsonl", rows)))
    assert c["a"].source == "The cat sat on the mat\nIt was warm."
    assert c["a"].sentences == ("The cat sat on the mat", "It was warm.")


def test_preset_columns_found_when_defaults_absent(tmp_path):
    rows = [{"id": r["id"], "article": r["source"], "highlights": "\n".join(r["references"])} for r in ROWS]
    c = load(str(write_jsonl(tmp_path / "cnn.jsonl", rows)))
    assert c["a"].source == ROWS[0]["source"]
    assert c["a"].reference_texts == ["A cat sat.\nThe cat was warm."]  # one reference, sentences on lines
    assert any("cnn_dailymail preset" in n for n in c.notes)


def test_blank_lines_are_skipped_and_errors_name_the_real_line(tmp_path):
    p = tmp_path / "gaps.jsonl"
    p.write_text("\n" + json.dumps(ROWS[0]) + "\n\n" + json.dumps(dict(ROWS[1], source="  ")) + "\n")
    with pytest.raises(DataError, match=r"gaps\.jsonl:4: empty source for id 'b'"):
        load(str(p))


def test_stream_is_lazy_and_validates_as_it_goes(tmp_path):
    rows = [dict(ROWS[0], id=f"x{i}") for i in range(2500)] + [dict(ROWS[0], id="x7")]
    p = write_jsonl(tmp_path / "big.jsonl", rows)
    s = stream(str(p))
    assert isinstance(s, ExampleStream) and s.origin == str(p)
    it = iter(s)
    first = [next(it) for _ in range(3)]  # examples arrive before the file is read to the end
    assert [e.id for e in first] == ["x0", "x1", "x2"]
    with pytest.raises(DataError, match=r"big\.jsonl:2501: duplicate id 'x7' \(first at .*big\.jsonl:8\)"):
        for _ in it:
            pass


def test_stream_reads_again_on_each_iteration(tmp_path):
    s = stream(str(write_jsonl(tmp_path / "d.jsonl", ROWS)))
    assert [e.id for e in s] == [e.id for e in s] == ["a", "b", "c"]


def test_inspect_does_not_need_references(tmp_path, capsys):
    from harness.cli import main

    rows = [{"id": r["id"], "source": r["source"]} for r in ROWS]
    p = write_jsonl(tmp_path / "norefs.jsonl", [dict(r, references=[]) for r in rows])
    assert main(["inspect", "--data", str(p)]) == 0
    out = capsys.readouterr().out
    assert "3 example(s)" in out and "3 without references" in out and "a  (0 references)" in out
    assert main(["inspect", "--data", str(p), "--json", "--limit", "1"]) == 0
    cap = capsys.readouterr()
    assert [json.loads(l) for l in cap.out.splitlines()] == [
        {"id": "a", "question": None, "source": ROWS[0]["source"], "references": []}]
    assert "3 example(s)" in cap.err and "first 1 shown" in cap.err


def test_unknown_format_and_missing_file(tmp_path, capsys):
    from harness.cli import main

    p = tmp_path / "data.xml"
    p.write_text("<x/>")
    assert main(["inspect", "--data", str(p)]) == 2
    assert "unknown data format '.xml'" in capsys.readouterr().err
    assert main(["inspect", "--data", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err


def test_empty_file(tmp_path, capsys):
    from harness.cli import main

    p = tmp_path / "empty.jsonl"
    p.write_text("")
    assert main(["inspect", "--data", str(p)]) == 2
    assert "empty.jsonl: no examples" in capsys.readouterr().err


def test_fields_that_change_type_after_the_first_block(tmp_path):
    """A column whose type changes midway (numbers, then strings; a string, then a list) is read as written."""
    rows = [{"id": i, "source": f"Sentence {i}. More.", "references": f"ref {i}"} for i in range(200)]
    rows += [{"id": f"s{i}", "source": f"Sentence {i}.", "references": [f"ref {i}", "two"]} for i in range(3)]
    c = load(str(write_jsonl(tmp_path / "types.jsonl", rows)))
    assert len(c) == 203
    assert c["199"].reference_texts == ["ref 199"]
    assert c["s2"].reference_texts == ["ref 2", "two"]


def test_options_of_the_other_kind_of_data_are_errors(tmp_path, capsys):
    from harness.cli import main

    data = write_jsonl(tmp_path / "d.jsonl", ROWS)
    assert main(["inspect", "--data", str(data), "--answerer", "MR. X"]) == 2
    assert "--answerer apply to transcript pages" in capsys.readouterr().err
    assert main(["inspect", "--data", "interview", "--source-field", "text"]) == 2
    assert "--source-field apply to tabular data, not to a transcript page" in capsys.readouterr().err
