"""Scoring options: CLI and library API spell them the same; the signature names every one of them."""
import json
import pickle

import pytest

import harness
from harness.loaders.predictions import Predictions
from harness.scoring.signature import make_signature
from harness.stats import RESAMPLER
from harness.cli import build_parser, main, score_config
from harness.scoring import ScoreConfig, Scorer, parse_signature
from harness.scoring.synthetic import TextMaker
from harness.data import Example, Reference

ALL = ["--rouge-types", "rouge1,rouge3,rougeLsum", "--no-stemmer", "--tokenizer", "unicode", "--lsum-split", "newline",
       "--multiref", "pooled", "--max-words", "30", "--bootstrap", "50", "--seed", "3", "--baseline-system", "random",
       "--no-cache"]


def test_cli_options_make_the_config():
    args = build_parser().parse_args(["run", *ALL])
    assert score_config(args) == ScoreConfig(rouge_types=("rouge1", "rouge3", "rougeLsum"), use_stemmer=False,
                                             tokenizer="unicode", lsum_split="newline", multiref="pooled",
                                             max_words=30, bootstrap=50, seed=3, baseline_system="random")
    assert score_config(args).cache is False
    args = build_parser().parse_args(["run", "--max-bytes", "75", "--engine", "rouge-score"])
    assert score_config(args).max_bytes == 75 and score_config(args).engine == "rouge-score"


@pytest.mark.parametrize("bad, message", [
    (["--multiref", "median"], "invalid choice"),
    (["--max-words", "0"], "must be at least 1"),
    (["--max-words", "5", "--max-bytes", "5"], "not allowed with"),
    (["--tokenizer", "spacy"], "invalid choice"),
    (["--bootstrap", "-1"], "must be 0 or more"),
])
def test_bad_options_are_rejected(bad, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["run", "--out", str(tmp_path), *bad])
    assert e.value.code == 2 and message in capsys.readouterr().err


def test_bad_rouge_type_is_an_error(capsys, tmp_path):
    assert main(["run", "--out", str(tmp_path), "--rouge-types", "rouge1,rouge0"]) == 2
    assert "invalid ROUGE type" in capsys.readouterr().err
    with pytest.raises(ValueError, match="engine 'harness'"):
        ScoreConfig(multiref="pooled", engine="rouge-score")


def test_run_with_every_option(tmp_path):
    assert main(["run", "--out", str(tmp_path), *ALL]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    sig = parse_signature(summary["signature"])
    assert sig == {**sig, "types": "rouge1+rouge3+rougeLsum", "stem": "none", "tok": "unicode", "lsum": "newline",
                   "multiref": "pooled", "limit": "words=30", "boot": "50", "seed": "3", "base": "random",
                   "engine": "harness"}
    assert summary["config"]["max_words"] == 30 and summary["config"]["multiref"] == "pooled"
    assert "cache" not in summary["config"]
    rows = [json.loads(l) for l in (tmp_path / "scores.jsonl").read_text().splitlines()]
    assert {r["rouge_type"] for r in rows} == {"rouge1", "rouge3", "rougeLsum"}


def test_library_api_uses_the_same_names(interview):
    summaries = harness.summarize(interview, ["lead", "random"])
    result = harness.score(interview, summaries, rouge_types=["rouge1", "rougeL"], use_stemmer=False, multiref="mean",
                           max_bytes=200, bootstrap=100, seed=1, baseline_system="random", cache=False)
    assert result.config.multiref == "mean" and "limit:bytes=200" in result.signature
    assert "p_bootstrap" in result.summary()["systems"]["lead"]["rouge1"]


def test_every_choice_changes_the_signature():
    def signature(**options):
        return make_signature(ScoreConfig(**options), RESAMPLER)

    base = signature()
    changes = [dict(rouge_types=("rouge1",)), dict(use_stemmer=False), dict(tokenizer="unicode"),
               dict(lsum_split="newline"), dict(multiref="jackknife"), dict(max_words=10), dict(max_bytes=10),
               dict(bootstrap=10), dict(seed=1), dict(baseline_system="x"), dict(engine="rouge-score")]
    sigs = {signature(**c) for c in changes}
    assert len(sigs) == len(changes) and base not in sigs
    assert signature(cache=False) == base  # not number-changing
    fields = parse_signature(base)
    assert fields["rouge-score"] == "0.1.2" and fields["nltk"] and fields["harness"]


def test_scorer_pickles_as_its_config():
    scorer = Scorer(ScoreConfig(multiref="pooled"))
    blob = pickle.dumps(scorer)
    assert len(blob) < 2000
    again = pickle.loads(blob)
    ex = Example(id="x", source="", references=[Reference("a b c"), Reference("a c d")])
    assert again.score(ex, ["a b d"]) == scorer.score(ex, ["a b d"])


def test_worker_processes_give_the_same_rows():
    maker = TextMaker(seed=5)
    examples, summaries = [], {"s1": {}, "s2": {}}
    for i in range(300):
        source = maker.sentences(150)
        examples.append(Example(id=str(i), source=" ".join(source), references=[Reference(" ".join(maker.rewrite(source, 40)))]))
        summaries["s1"][str(i)] = source[:2]
        summaries["s2"][str(i)] = maker.rewrite(source, 30)
    systems = [Predictions(name, by_id) for name, by_id in summaries.items()]
    config = ScoreConfig(cache=False, bootstrap=0)
    serial = list(harness.run(examples, systems, config, executor="serial", report=False).rows)
    parallel = list(harness.run(examples, systems, config, executor="process", workers=2, batch_size=64,
                                report=False).rows)
    assert serial == parallel and len(serial) == 300 * 2 * 4


def test_missing_summary_is_a_clear_error():
    ex = Example(id="e1", source="", references=[Reference("a")])
    with pytest.raises(harness.HarnessError, match="no prediction for 1 of 1 example.*'e1'.*system 'b'"):
        harness.score([ex], {"a": {"e1": ["a"]}, "b": {}}, cache=False)
