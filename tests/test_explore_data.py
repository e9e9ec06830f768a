"""The explorer page's data (harness.explore.data) and how runs write it, without a browser."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import harness
import harness.explore as explore
from harness.cli import main
from harness.data import Corpus, Example, Reference
from harness.errors import DataError, HarnessError
from harness.explore import Limits, write_page
from harness.explore.data import EXTREMES, build, read_run
from harness.pipeline import run
from harness.scoring import ScoreConfig

from _runs import Named, lead
from conftest import shared_path


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S)
    return json.loads(m.group(1))


def synthetic(n: int, seed: int = 0) -> Corpus:
    import random

    rng = random.Random(seed)
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()

    def sentence():
        return " ".join(rng.choice(words) for _ in range(rng.randint(4, 12))).capitalize() + "."

    return Corpus("synthetic", [Example(f"ex{i}", " ".join(sentence() for _ in range(6)),
                                        [Reference(" ".join(sentence() for _ in range(2)))]) for i in range(n)])


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore-data") / "run"
    run(synthetic(60), ["lead", "random:seed=1"], out=out, executor="serial",
        config=ScoreConfig(bootstrap=0))
    return out


def test_every_run_writes_its_page_and_every_summary_reproduces_its_score(small_run):
    data = page_data(small_run / "examples.html")
    assert [e["id"] for e in data["examples"]] == [f"ex{i}" for i in range(60)]
    assert [s["name"] for s in data["systems"]] == ["lead", "random:seed=1"]
    assert not data["sampled"] and data["n_total"] == 60
    rows = {(r["id"], r["system"], r["rouge_type"]): r["fmeasure"] for r in map(json.loads, open(small_run / "scores.jsonl"))}
    for e in data["examples"]:
        for s, sys in enumerate(data["systems"]):
            assert e["s"][s]["ok"] == 1
            assert e["f"][s] == [round(rows[e["id"], sys["name"], t], 4) for t in data["types"]]
        ex = synthetic(60)[e["id"]]
        want = [(ex.source.index(t), len(t)) for t in ex.sentences[:3]]  # lead: the first three sentences
        x = e["s"][0]["x"]
        pos, got = 0, []
        for gap, n in zip(x[0::2], x[1::2]):
            got.append((pos + gap, n))
            pos += gap + n
        assert got == want


def test_no_explorer_and_the_automatic_skip(tmp_path, monkeypatch, capsys):
    out = tmp_path / "off"
    assert main(["run", "--summarizers", "lead", "--out", str(out), "--no-explorer", "--quiet", "--bootstrap", "0"]) == 0
    assert (out / "summary.json").is_file() and not (out / "examples.html").exists()
    monkeypatch.setattr(explore, "AUTO_MAX_EXAMPLES", 5)  # the interview has 6
    out = tmp_path / "large"
    assert main(["run", "--summarizers", "lead", "--out", str(out), "--bootstrap", "0"]) == 0
    assert (out / "summary.json").is_file() and not (out / "examples.html").exists()
    assert "examples.html not written: 6 examples is more than 5" in capsys.readouterr().err
    assert main(["explore", str(out)]) == 0  # the command writes it anyway, from the recorded data
    assert len(page_data(out / "examples.html")["examples"]) == 6


def test_the_runs_own_page_holds_the_texts_of_at_most_run_page_examples(tmp_path, monkeypatch):
    """Every example is listed with its scores; texts and marks for the first RUN_PAGE_EXAMPLES by priority (the
    extremes first), as `harness explore --limit` would choose them; `harness explore` writes the fuller page."""
    monkeypatch.setattr(explore, "RUN_PAGE_EXAMPLES", 20)
    out = tmp_path / "run"
    corpus = synthetic(60)
    run(corpus, ["lead", "random:seed=1"], out=out, executor="serial", config=ScoreConfig(bootstrap=0))
    data = page_data(out / "examples.html")
    assert data["n_total"] == 60 and data["n_detail"] == 20 and data["sampled"]
    assert len(data["examples"]) == 60
    limited = build([read_run(out)], corpus, limits=Limits(examples=20)).data
    assert data == limited
    assert any("holds the texts of 20 of the 60 examples" in n for n in data["notes"])
    payload = write_page(out / "full.html", [out], corpus)
    assert payload.n_shown == 60


def test_a_one_pass_iterator_gets_no_page_and_a_note(tmp_path):
    notes = []
    out = tmp_path / "gen"
    corpus = synthetic(5)
    run((ex for ex in corpus), ["lead"], out=out, executor="serial", log=notes.append,
        config=ScoreConfig(bootstrap=0))
    assert not (out / "examples.html").exists()
    assert any("could be read only once" in n for n in notes)
    with pytest.warns(UserWarning, match="could be read only once"):  # no log: a warning, never silence
        assert explore.write_for_run(out, (ex for ex in corpus), 5) is None


def test_a_large_run_is_sampled_keeping_the_extremes(small_run, tmp_path):
    runs = [read_run(small_run)]
    payload = build(runs, synthetic(60), limits=Limits(examples=45))
    data = payload.data
    assert payload.n_shown == 45 and data["sampled"] and data["n_detail"] == 45
    assert [e["id"] for e in data["examples"]] == [f"ex{i}" for i in range(60)]  # every row is still listed
    shown = {e["id"] for e in data["examples"] if "s" in e}
    assert len(shown) == 45
    f = runs[0].f
    for system in runs[0].systems:
        for t in runs[0].rouge_types:
            ranked = sorted((v, i) for i, v in f[system, t].items())
            assert ranked[0][1] in shown and ranked[-1][1] in shown
    # the largest gain and loss of each system against the baseline (lead)
    diff = sorted((f["random:seed=1", "rouge1"][i] - f["lead", "rouge1"][i], i) for i in runs[0].ids)
    assert {diff[0][1], diff[-1][1]} <= shown
    lite = next(e for e in data["examples"] if "s" not in e)
    assert set(lite) == {"id", "f"} and len(lite["f"]) == 2
    assert any("holds the texts of 45 of the 60 examples" in n for n in data["notes"])
    # the same run gives the same page
    assert build(runs, synthetic(60), limits=Limits(examples=45)).data == data
    # a byte budget cuts the texts, and a row budget the list
    small = build(runs, synthetic(60), limits=Limits(bytes=20_000))
    assert 1 <= small.n_shown < 60 and len(json.dumps(small.data)) < 40_000
    assert len(build(runs, synthetic(60), limits=Limits(examples=5, rows=20)).data["examples"]) == 20
    assert EXTREMES >= 1


def test_ids_give_a_page_of_exactly_those(small_run, tmp_path, capsys):
    out = tmp_path / "some.html"
    assert main(["explore", str(small_run), "--ids", "ex7", "--out", str(out)]) == 2  # in-memory data: not on disk
    assert "give it with --data" in capsys.readouterr().err
    data = tmp_path / "synthetic.jsonl"
    data.write_text("".join(json.dumps({"id": ex.id, "source": ex.source, "references": ex.reference_texts}) + "\n"
                            for ex in synthetic(60)))
    assert main(["explore", str(small_run), "--ids", "ex7,ex3", "--out", str(out), "--data", str(data)]) == 0
    assert [e["id"] for e in page_data(out)["examples"]] == ["ex7", "ex3"]
    assert "wrote" in capsys.readouterr().out
    asked = [f"ex{i}" for i in range(40)]  # --ids: exactly these, whatever the example bound
    assert build([read_run(small_run)], synthetic(60), ids=asked, limits=Limits(examples=5)).n_shown == 40
    with pytest.raises(DataError, match="'nope'"):
        write_page(out, [small_run], synthetic(60), ids=["ex1", "nope"])
    assert main(["explore", str(small_run), "--ids", "nope", "--out", str(out)]) == 2


def test_data_that_is_not_the_run_s_is_an_error(small_run, tmp_path):
    with pytest.raises(DataError, match="none of the run's examples"):
        write_page(tmp_path / "x.html", [small_run], harness.load("interview"))
    payload = build([read_run(small_run)], synthetic(30))
    assert payload.n_shown == 30 and any("30 example(s) of the run are not in the data" in n for n in payload.notes)


def test_not_a_run_folder(tmp_path):
    with pytest.raises(HarnessError, match="no such run folder"):
        read_run(tmp_path / "missing")


def test_failed_summaries_and_length_limits(tmp_path):
    def flaky(ex):
        if ex.id == "ex2":
            raise RuntimeError("boom <b>")
        return list(ex.sentences[:3])

    out = tmp_path / "rec"
    run(synthetic(4), [Named("flaky", flaky), "lead"], out=out, executor="serial", on_error="record",
        config=ScoreConfig(bootstrap=0, max_words=12))
    data = page_data(out / "examples.html")
    e2 = next(e for e in data["examples"] if e["id"] == "ex2")
    assert e2["s"][0] == {"e": "RuntimeError: boom <b>"} and e2["f"][0] == [None] * 4
    for e in data["examples"]:
        s = e["s"][1]
        assert s["ok"] == 1 and len(s["w"]) == 12 and s["c"] == 12  # 12 words scored, the rest shown struck


@pytest.mark.parametrize("options", [dict(tokenizer="unicode"), dict(lsum_split="newline"),
                                     dict(use_stemmer=False, multiref="pooled"), dict(multiref="jackknife")])
def test_marks_reproduce_the_scores_under_every_setting(tmp_path, options):
    corpus = Corpus("u", [Example(f"u{i}", f"Der Bär läuft {i} Mal. Москва — город. 東京は大きい. Café 😀 naïve.",
                                  [Reference("Der Bär läuft. Москва город."), Reference("Tokyo 東京 café.")])
                          for i in range(3)])
    out = tmp_path / "u"
    run(corpus, ["lead:k=2", "lead:k=4"], out=out, executor="serial",
        config=ScoreConfig(bootstrap=0, baseline_system=None, **options))
    data = page_data(out / "examples.html")
    assert all(s["ok"] == 1 for e in data["examples"] for s in e["s"])
    e = data["examples"][0]
    text, k = e["s"][1]["t"], e["s"][1]["k"]  # lead:k=4 ends with "Café 😀 naïve."
    # spans are in UTF-16 code units (what the page's JavaScript indexes): the emoji counts two
    units = text.encode("utf-16-le")
    pos, shown = 0, []
    for gap, n in zip(k[0::2], k[1::2]):
        pos += gap
        shown.append(units[2 * pos:2 * (pos + n)].decode("utf-16-le"))
        pos += n
    assert shown[-1] == ("naïve" if options.get("tokenizer") == "unicode" else "ve")


def test_real_set_summeval_every_mark_reproduces(tmp_path):
    data_file = shared_path("summeval", "summeval100.jsonl")
    rows = [json.loads(line) for line in open(data_file, encoding="utf-8")][:8]
    preds = []
    for system in sorted(rows[0]["system_outputs"])[:3]:
        p = tmp_path / f"{system}.jsonl"
        p.write_text("".join(json.dumps({"id": r["id"], "summary": r["system_outputs"][system]}) + "\n" for r in rows))
        preds += ["--predictions", f"{system}={p}"]
    small = tmp_path / "summeval8.jsonl"
    small.write_text("".join(json.dumps({k: r[k] for k in ("id", "source", "references")}) + "\n" for r in rows))
    out = tmp_path / "run"
    assert main(["score", "--data", str(small), *preds, "--out", str(out), "--quiet", "--bootstrap", "0"]) == 0
    data = page_data(out / "examples.html")
    assert len(data["examples"]) == 8 and len(data["examples"][0]["refs"]) == 11
    assert all(s["ok"] == 1 for e in data["examples"] for s in e["s"])


def test_compare_points_to_the_page(small_run, tmp_path, capsys):
    """`harness compare`'s examples that changed most link to the explorer, sorted by that difference."""
    assert main(["compare", str(small_run), str(small_run), "--pair", "lead=random:seed=1", "--bootstrap", "50"]) == 0
    out = capsys.readouterr().out
    link = (small_run / "examples.html").resolve().as_uri() + "#a=lead&b=random%3Aseed%3D1&by=rouge1&sort=gain"
    assert f"Side by side, sorted by this difference: {link}" in out
    other = tmp_path / "b"
    run(synthetic(60), ["lead:k=2"], out=other, executor="serial", config=ScoreConfig(bootstrap=0), explorer=False)
    assert main(["compare", str(small_run), str(other), "--pair", "lead=lead:k=2", "--format", "json",
                 "--bootstrap", "50"]) == 0
    e = json.loads(capsys.readouterr().out)["changed_most"]["systems"]["lead -> lead:k=2"]["explore"]
    assert e["command"] == f"harness explore {small_run} {other}" and not e["exists"]
    assert e["link"].endswith("#a=A%3Alead&b=B%3Alead%3Ak%3D2&by=rouge1&sort=gain")
    assert e["page"] == str(other / f"examples-vs-{small_run.name}.html")
