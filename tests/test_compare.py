"""`harness compare`: differences over shared examples, their CIs and paired p-values."""
import json

import numpy as np
import pytest

import harness
from _runs import make_run, worse_lead
from harness import stats
from harness.cli import main
from harness.compare import compare, signature_diff
from harness.run_folder import load_scores


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("compare")
    corpus = harness.load("interview")
    return {
        "a": make_run(d / "a", {"lead": "lead", "random": "random"}, full=False),
        "b": make_run(d / "b", {"lead": worse_lead, "random": "random"}, full=False),
        "nostem": make_run(d / "nostem", {"lead": "lead", "random": "random"}, full=False, use_stemmer=False),
        "subset": make_run(d / "subset", {"lead": "lead", "random": "random"}, full=False,
                           corpus=harness.Corpus("first4", corpus.examples[:4], origin="first four")),
    }


def _f(run_dir, system, t):
    rows = [json.loads(l) for l in (run_dir / "scores.jsonl").read_text().splitlines()]
    return {r["id"]: r["fmeasure"] for r in rows if r["system"] == system and r["rouge_type"] == t}


def test_differences_match_a_direct_computation(runs):
    cmp = compare(load_scores(runs["a"]), load_scores(runs["b"]))
    assert len(cmp.shared_ids) == 6 and not cmp.only_a and not cmp.only_b
    for t in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        fa, fb = _f(runs["a"], "lead", t), _f(runs["b"], "lead", t)
        a = np.array([fa[i] for i in cmp.shared_ids])
        b = np.array([fb[i] for i in cmp.shared_ids])
        d = cmp.differences[("lead", t)]
        assert d.n == 6
        assert d.mean_a == pytest.approx(100 * a.mean()) and d.mean_b == pytest.approx(100 * b.mean())
        assert d.delta == pytest.approx(100 * (b - a).mean()) and d.delta < 0
        low, high = stats.bootstrap_ci(b - a)
        assert (d.ci_low, d.ci_high) == pytest.approx((100 * low[0], 100 * high[0]))
        assert d.p_bootstrap == pytest.approx(stats.paired_bootstrap(b, a)[0])
        assert d.p_randomization == pytest.approx(stats.approximate_randomization(b, a)[0])
        same = cmp.differences[("random", t)]
        assert same.delta == 0 and same.p_bootstrap == same.p_randomization == 1.0


def test_examples_that_changed_most(runs):
    cmp = compare(load_scores(runs["a"]), load_scores(runs["b"]), top=2)
    gains, losses = cmp.changes["lead"]
    fa, fb = _f(runs["a"], "lead", "rouge1"), _f(runs["b"], "lead", "rouge1")
    drops = sorted(fa, key=lambda i: fb[i] - fa[i])[:2]
    assert gains == [] and [c.id for c in losses] == drops
    assert losses[0].delta == pytest.approx(100 * (fb[drops[0]] - fa[drops[0]]))
    assert cmp.changes["random"] == ([], [])


def test_cli_markdown_and_json(runs, capsys):
    assert main(["compare", str(runs["a"]), str(runs["b"])]) == 0
    out = capsys.readouterr().out
    assert "| lead" in out and "▼" in out and "Examples that changed most" in out
    assert main(["compare", str(runs["a"]), str(runs["b"]), "--format", "json", "--by", "rouge2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed_most"]["by"] == "rouge2" and data["n_shared"] == 6
    loss = data["changed_most"]["systems"]["lead"]["losses"][0]
    assert loss["summary_a"] and loss["summary_b"] and loss["delta"] < 0


def test_differing_signatures_are_refused_unless_forced(runs, capsys):
    assert signature_diff(load_scores(runs["a"]).signature, load_scores(runs["nostem"]).signature) == \
        {"stem": ("porter", "none")}
    assert main(["compare", str(runs["a"]), str(runs["nostem"])]) == 2
    err = capsys.readouterr().err
    assert "scored differently" in err and "stem: porter in A, none in B" in err and "--force" in err
    assert main(["compare", str(runs["a"]), str(runs["nostem"]), "--force"]) == 0
    captured = capsys.readouterr()
    assert "despite different signatures" in captured.err + captured.out
    assert "signature B:" in captured.out


def test_only_shared_examples_are_compared(runs):
    cmp = compare(load_scores(runs["a"]), load_scores(runs["subset"]))
    assert len(cmp.shared_ids) == 4 and len(cmp.only_a) == 2
    assert all(d.n == 4 for d in cmp.differences.values())
    assert cmp.differences[("lead", "rouge1")].delta == 0  # the same summaries on the same four examples
    assert any("only in A" in n for n in cmp.notes)


def test_pairs_compare_two_systems_of_one_run(runs):
    run = load_scores(runs["a"])
    cmp = compare(run, run, pairs=[("lead", "random")])
    d = cmp.differences[("lead -> random", "rouge2")]
    summary = json.loads((runs["a"] / "summary.json").read_text())
    # the same paired test aggregate.py ran for random against the baseline lead
    assert d.p_randomization == pytest.approx(summary["systems"]["random"]["rouge2"]["p_randomization"])
    with pytest.raises(harness.HarnessError, match="not a system"):
        compare(run, run, pairs=[("lead", "textrank")])
