"""Specs, the plugin interface (entry points and module:callable) and `harness list`."""
import json
import pickle
import subprocess
import sys
import textwrap

import pytest

from harness.cli import main
from harness.summarizers import FunctionSummarizer, SpecError, build, parse_spec, split_spec, uses_references
from harness.summarizers.mmr import MMR

PLUGIN = textwrap.dedent('''
    """A third-party summarizer package, as a user would write it."""
    from harness.summarizers import Budget, Summarizer


    class LongestFirst(Summarizer):
        """The longest sentences first."""

        name = "longest"
        description = "The longest sentences, in source order."

        def __init__(self, budget=None, min_words: int = 0, shout: bool = False):
            super().__init__(budget)
            self.min_words = min_words
            self.shout = shout

        def select(self, example):
            sents = example.sentences
            order = sorted(range(len(sents)), key=lambda i: (-len(sents[i].split()), i))
            order = [i for i in order if len(sents[i].split()) >= self.min_words]
            return sorted(self.budget.take(order, sents))

        def summarize(self, example):
            out = super().summarize(example)
            return [s.upper() for s in out] if self.shout else out


    def last_sentences(example, budget, skip: int = 0):
        """The last sentences (a plain function plugin)."""
        sents = list(example.sentences)[: len(example.sentences) - skip]
        return sents[-budget.max_sentences(len(sents)):] if sents else []


    def broken(example):
        raise RuntimeError("boom")
''')


@pytest.fixture
def plugin_env(tmp_path, monkeypatch):
    """Installs the plugin the way pip would: a package plus a dist-info with entry_points.txt on sys.path."""
    (tmp_path / "harness_plugin_demo").mkdir()
    (tmp_path / "harness_plugin_demo" / "__init__.py").write_text(PLUGIN)
    info = tmp_path / "harness_plugin_demo-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: harness-plugin-demo\nVersion: 1.2\n")
    (info / "entry_points.txt").write_text(
        "[harness.summarizers]\n"
        "longest = harness_plugin_demo:LongestFirst\n"
        "tail = harness_plugin_demo:last_sentences\n"
        "lead = harness_plugin_demo:LongestFirst\n"          # shadowed by the built-in
        "missing = harness_plugin_demo_nowhere:Thing\n"     # a broken install
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("harness_plugin_demo", None)


def test_parse_spec():
    assert parse_spec("mmr:k=3:lambda=0.7") == ("mmr", {"k": "3", "lambda": "0.7"})
    assert parse_spec(" lead ") == ("lead", {})
    assert split_spec("my_pkg.sums:Fancy:k=3") == ("my_pkg.sums", "Fancy", {"k": "3"})
    assert parse_spec("my_pkg.sums:Fancy:k=3") == ("my_pkg.sums:Fancy", {"k": "3"})
    assert split_spec("mysum:k=2") == ("mysum", None, {"k": "2"})
    for bad in ("mmr:k=3:0.7", "pkg.mod:Cls:x", ":k=3", "mmr:k=1:k=2", "mod::k=1"):
        with pytest.raises(SpecError):
            split_spec(bad)


def test_options_are_typed_and_lambda_maps_to_lambda_():
    s = build("mmr:k=2:lambda=0.25:stem=false")
    assert isinstance(s, MMR) and s.lambda_ == 0.25 and s.budget.k == 2 and s.analyzer.stem is False
    assert build("lexrank:continuous=yes").continuous is True
    assert build("textrank:words=75").budget.words == 75
    assert build("random:seed=7:ratio=0.5").seed == 7


@pytest.mark.parametrize("spec,message", [
    ("nosuch", "unknown summarizer 'nosuch'; available: .*lead"),
    ("lead:bogus=1", "has no option 'bogus'; options: k, words, ratio"),
    ("random:seed=abc", "seed='abc' is not a valid int"),
    ("lexrank:continuous=maybe", "not a valid bool"),
    ("lead:k=1:words=5", "give one of k, words, ratio"),
    ("lead:k=-1", "must not be negative"),
    ("no_such_module_xyz:Thing", "cannot import module 'no_such_module_xyz'"),
    ("harness.summarizers.lead:Nope", "has no attribute 'Nope'"),
    ("harness.summarizers.registry:ENTRY_POINT_GROUP", "not callable"),
])
def test_spec_errors_say_what_is_wrong(spec, message):
    with pytest.raises(SpecError, match=message):
        build(spec)


def test_module_callable_spec_builds_a_class_or_wraps_a_function(plugin_env, interview):
    s = build("harness_plugin_demo:LongestFirst:k=2:min_words=3")
    assert type(s).__name__ == "LongestFirst" and s.min_words == 3 and s.budget.k == 2
    f = build("harness_plugin_demo:last_sentences:k=1:skip=1")
    assert isinstance(f, FunctionSummarizer)
    ex = interview[0]
    assert f(ex) == [ex.sentences[-2]]
    assert pickle.loads(pickle.dumps(f))(ex) == f(ex)
    assert pickle.loads(pickle.dumps(s))(ex) == s(ex)


def test_builtin_module_path_works_too():
    assert type(build("harness.summarizers.lexrank:LexRank:k=1")).__name__ == "LexRank"


def test_entry_point_plugins_are_found_by_name(plugin_env, interview):
    s = build("longest:k=1:shout=true")
    ex = interview[0]
    longest = max(ex.sentences, key=lambda t: len(t.split()))
    assert s(ex) == [longest.upper()]
    assert build("tail:k=2")(ex) == list(ex.sentences[-2:])
    assert type(build("lead")).__module__ == "harness.summarizers.lead"  # built-ins win


def test_entry_points_load_only_when_named(plugin_env):
    build("lead")
    build("textrank")
    assert "harness_plugin_demo" not in sys.modules
    with pytest.raises(SpecError, match="plugin 'missing' .*harness-plugin-demo 1.2.*cannot load"):
        build("missing")


def test_uses_references():
    assert uses_references("oracle:k=2") and not uses_references("lead")


def test_harness_list_shows_builtins_and_plugins(plugin_env, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("lead", "random", "textrank", "lexrank", "centroid", "sumbasic", "klsum", "lsa", "luhn", "mmr",
                 "qlexrank", "oracle", "longest", "tail"):
        assert f"\n{name} " in "\n" + out, name
    assert "lambda=0.7" in out and "damping=0.85" in out and "seed=0" in out and "threshold=0.1" in out
    assert "upper bound" in out
    assert "The longest sentences, in source order." in out and "min_words=0 shout=False" in out
    assert "The last sentences (a plain function plugin)." in out and "skip=0" in out
    assert "harness-plugin-demo 1.2" in out
    assert "shadowed by the built-in 'lead'" in out
    assert "ERROR" in out and "harness_plugin_demo_nowhere" in out


def test_plugin_runs_through_harness_run(plugin_env, tmp_path, interview):
    out = tmp_path / "run"
    specs = "lead,longest:k=2,harness_plugin_demo:last_sentences:k=1"
    assert main(["run", "--summarizers", specs, "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["systems"]) == {"lead", "longest:k=2", "harness_plugin_demo:last_sentences:k=1"}
    rows = [json.loads(line) for line in (out / "summaries.jsonl").read_text().splitlines()]
    by = {(r["id"], r["system"]): r["summary"].split("\n") for r in rows}
    ex = interview[0]
    assert by[(ex.id, "harness_plugin_demo:last_sentences:k=1")] == [ex.sentences[-1]]
    assert len(by[(ex.id, "longest:k=2")]) == 2


def test_plugin_in_a_fresh_process(plugin_env, tmp_path):
    """The entry point is found by a new interpreter through its sys.path, as after `pip install`."""
    env = {"PYTHONPATH": str(plugin_env), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-m", "harness", "run", "--summarizers", "longest:k=1",
                        "--out", str(tmp_path / "r")], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert "| longest:k=1" in p.stdout
    p = subprocess.run([sys.executable, "-m", "harness", "run", "--summarizers", "nosuch"],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 2 and "unknown summarizer 'nosuch'" in p.stderr and "longest" in p.stderr


def test_every_builtin_runs_through_harness_run(tmp_path, capsys):
    from harness.summarizers import builtins

    specs = sorted(builtins()) + ["mmr:k=3:lambda=0.5", "lexrank:continuous=true", "textrank:words=75"]
    assert main(["run", "--summarizers", ",".join(specs), "--out", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    for spec in specs:
        assert f"| {spec} " in table, spec
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert all(summary["systems"][s]["rouge1"]["n"] == 6 for s in specs)


def test_a_signature_is_a_spec_that_builds_the_same_summarizer():
    from harness.summarizers.registry import BUILTINS

    for name in BUILTINS:
        for spec in (name, f"{name}:words=40", f"{name}:ratio=0.5"):
            sig = build(spec).signature()
            assert sig.startswith(name + ":") and build(sig).signature() == sig, spec


def test_options_that_cannot_change_a_summary_are_left_out(tmp_path):
    from _helpers import Slow

    assert Slow(delay=0.5, calls=str(tmp_path / "calls")).signature() == Slow(delay=0).signature() == "slow:k=3"
