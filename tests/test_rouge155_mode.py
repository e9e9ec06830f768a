"""--rouge155 in harness run/score: the same numbers as the drop-in on the same texts (per summary and
ROUGE's own averages), ROUGE's names in scores.jsonl, the signature, and the default mode untouched."""
import io

import pytest

import harness
from harness.data import Example, Reference
from harness.rouge155 import command
from harness.scoring import ScoreConfig
from harness.scoring.signature import make_signature

OPTIONS = "-c 95 -2 4 -U -r 1000 -n 2 -w 1.2 -m -f A"
TEXTS = {
    "e1": (["The cat sat on the mat.\nIt purred.", "A cat was sitting on a mat"],
           {"sys-a": ["the cat sat", "it was purring loudly"], "sys-b": ["dogs barked at the mats"]}),
    "e2": (["Stocks fell sharply on Monday's news.\nInvestors were worried."],
           {"sys-a": ["stocks fell", "investors worried about news"], "sys-b": ["Monday: stocks fell 3%"]}),
    "e10": (["Better results came later in the year-end report."],
            {"sys-a": ["the best results came later"], "sys-b": ["results"]}),
}


def _corpus():
    return [Example(i, "source text", [Reference(r) for r in refs]) for i, (refs, _) in TEXTS.items()]


def _summaries():
    systems = {}
    for i, (_, by_system) in TEXTS.items():
        for name, sentences in by_system.items():
            systems.setdefault(name, {})[i] = sentences
    return systems


def _drop_in(tmp_path, extra: str) -> str:
    """The same texts as SPL files: one eval per example, one peer per system, sentences as lines."""
    evals = []
    for i, (refs, by_system) in TEXTS.items():
        for name, sentences in by_system.items():
            (tmp_path / f"{i}.{name}").write_text("\n".join(sentences) + "\n")
        for k, ref in enumerate(refs):
            (tmp_path / f"{i}.m{k}").write_text(ref + "\n")
        peers = "".join(f'<P ID="{n}">{i}.{n}</P>' for n in by_system)
        models = "".join(f'<M ID="m{k}">{i}.m{k}</M>' for k in range(len(refs)))
        evals.append(f'<EVAL ID="{i}"><PEER-ROOT>{tmp_path}</PEER-ROOT><MODEL-ROOT>{tmp_path}</MODEL-ROOT>'
                     f'<INPUT-FORMAT TYPE="SPL"></INPUT-FORMAT><PEERS>{peers}</PEERS><MODELS>{models}</MODELS></EVAL>')
    (tmp_path / "c.xml").write_text("<ROUGE_EVAL>" + "".join(evals) + "</ROUGE_EVAL>")
    out = io.StringIO()
    assert command.run([*OPTIONS.split(), *extra.split(), "-a", str(tmp_path / "c.xml")], stdout=out) == 0
    return out.getvalue()


def test_run_mode_equals_the_drop_in(tmp_path):
    result = harness.score(_corpus(), _summaries(), rouge155=OPTIONS, lsum_split="newline", bootstrap=100,
                           baseline_system="sys-a", cache=False)
    printed = _drop_in(tmp_path, "-d")
    rows = list(result.rows)
    assert {r["rouge_type"] for r in rows} == {"ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-W-1.2", "ROUGE-S4", "ROUGE-SU4"}
    for r in rows:
        line = (f"{r['system']} {r['rouge_type']} Eval {r['id']}.{r['system']} "
                f"R:{r['recall']:7.5f} P:{r['precision']:7.5f} F:{r['fmeasure']:7.5f}")
        assert line in printed
    for system, by_measure in result.summary()["rouge155"].items():
        for measure, values in by_measure.items():
            for label in "RPF":
                avg, low, high = values[label]
                assert (f"{system} {measure} Average_{label}: {avg:7.5f} (95%-conf.int. {low:7.5f} - {high:7.5f})"
                        in printed)


def test_signature_and_table_name_rouge155(tmp_path):
    config = ScoreConfig(rouge155=OPTIONS, rouge155_exceptions="none", lsum_split="newline")
    sig = make_signature(config, "x")
    assert sig.startswith("ROUGE-1+ROUGE-2+ROUGE-L+ROUGE-W-1.2+ROUGE-S4+ROUGE-SU4|lsum:newline|")
    assert f"|rouge155:{OPTIONS}|exceptions:none|" in sig
    assert "rouge155" not in make_signature(ScoreConfig(), "x") and "rouge155" not in ScoreConfig().to_dict()
    harness.score(_corpus(), _summaries(), config).write(tmp_path / "run")
    table = (tmp_path / "run" / "table.md").read_text()
    assert "ROUGE-1.5.5's own averages" in table and "sys-b ROUGE-SU4 Average_F:" in table


@pytest.mark.parametrize("bad, named", [("-n 2 -t 1", "-t 1"), ("-n 2 -3 HM", "-3"), ("-x", "no measure")])
def test_bad_rouge155_options_are_refused(bad, named):
    with pytest.raises(ValueError, match=named):
        ScoreConfig(rouge155=bad)
    with pytest.raises(ValueError, match="inside the option string"):
        ScoreConfig(rouge155="-n 1", max_words=10)
