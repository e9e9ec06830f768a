"""ROUGE-1.5.5's official sample test (SL2003): the drop-in prints the script's output byte for byte
for the nine option sets of its runROUGE-test.pl. The golden outputs were made with SummEval's copy
of the script, whose WordNet-2.0.exc.db is the empty one: --exceptions none."""
import json
import os

import pytest

from conftest import shared_path
from harness.rouge155 import command

GOLDEN = ("rouge155_golden", "sl2003")


def _see(path, text):
    path.write_text(f'<html>\n<head>\n<title>{path.name}</title>\n</head>\n<body bgcolor="white">\n'
                    f'<a name="1">[1]</a> <a href="#1" id=1>{text}</a>\n</body>\n</html>\n')


def write_sl2003(root, records) -> str:
    """SEE files and a ROUGE-EVAL config as the sample test has them (eval ids 1..25)."""
    (root / "models").mkdir()
    (root / "systems").mkdir()
    evals = []
    for number, r in enumerate(records, 1):
        for mid, text in zip(r["reference_ids"], r["references"]):
            _see(root / "models" / f"{r['id']}.{mid}.html", text)
        for pid, text in r["system_outputs"].items():
            _see(root / "systems" / f"{r['id']}.{pid}.html", text)
        peers = "".join(f'<P ID="{p}">{r["id"]}.{p}.html</P>\n' for p in r["system_outputs"])
        models = "".join(f'<M ID="{m}">{r["id"]}.{m}.html</M>\n' for m in r["reference_ids"])
        evals.append(f'<EVAL ID="{number}">\n<PEER-ROOT>{root}/systems</PEER-ROOT>\n<MODEL-ROOT>{root}/models'
                     f'</MODEL-ROOT>\n<INPUT-FORMAT TYPE="SEE">\n</INPUT-FORMAT>\n<PEERS>\n{peers}</PEERS>\n'
                     f'<MODELS>\n{models}</MODELS>\n</EVAL>\n')
    config = root / "settings.xml"
    config.write_text('<ROUGE_EVAL version="1.5.5">\n' + "".join(evals) + "</ROUGE_EVAL>\n")
    return str(config)


@pytest.fixture(scope="module")
def sl2003(tmp_path_factory):
    folder = shared_path(*GOLDEN)
    records = [json.loads(line) for line in (folder / "sl2003.jsonl").read_text().splitlines()]
    return folder, write_sl2003(tmp_path_factory.mktemp("sl2003"), records)


TAGS = ("base", "base_m", "base_m_s", "l10", "l10_m", "l10_m_s", "b75", "b75_m", "b75_m_s")


@pytest.mark.parametrize("tag", TAGS)
def test_sl2003_byte_identical(sl2003, tag, capsys):
    folder, config = sl2003
    options = json.loads((folder.parent / "source.json").read_text())["option_tags"][tag]
    assert command.main(["--exceptions", "none", *options.split(), config]) == 0
    assert capsys.readouterr().out == (folder / "outputs" / f"{tag}.out").read_text()


def test_sl2003_per_eval_scores(sl2003, capsys):
    """-d prints every (doc, peer) score the script printed (per_eval.jsonl, tags base and base_m)."""
    folder, config = sl2003
    rows = [json.loads(line) for line in (folder / "per_eval.jsonl").read_text().splitlines()]
    ids = {f"SL062003-{n:02d}": str(n) for n in range(1, 26)}
    for tag in ("base", "base_m"):
        options = next(r["options"] for r in rows if r["tag"] == tag)
        command.main(["--exceptions", "none", "-d", *options.split(), config])
        printed = {}
        for line in capsys.readouterr().out.splitlines():
            parts = line.split()
            if len(parts) == 7 and parts[2] == "Eval":
                printed[(parts[3], parts[1])] = tuple(float(p[2:]) for p in parts[4:])
        for r in (r for r in rows if r["tag"] == tag):
            for name, s in r["scores"].items():
                key = (f"{ids[r['id']]}.{r['system']}", name)
                assert printed[key] == (s["R"], s["P"], s["F"]), (tag, key)


@pytest.mark.skipif(not os.environ.get("ROUGE155_ORACLE"), reason="needs ROUGE155_ORACLE (a ROUGE-1.5.5 folder)")
def test_sl2003_live_oracle_wordnet(sl2003, capsys):
    """With the rebuilt exception database, against the live script (development machines only)."""
    import subprocess
    folder, config = sl2003
    home = os.environ["ROUGE155_ORACLE"]
    args = "-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m -d".split()
    expected = subprocess.run(["perl", f"{home}/ROUGE-1.5.5.pl", "-e", f"{home}/data", *args, config],
                              capture_output=True, text=True, check=True).stdout
    command.main([*args, config])
    assert capsys.readouterr().out == expected
