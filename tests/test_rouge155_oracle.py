"""The drop-in against ROUGE-1.5.5.pl's own output on generated adversarial inputs (hyphens,
apostrophes, digits, $, punctuation runs, non-ASCII, tabs and other ASCII whitespace, empty and very
long lines, repeated tokens, 1-11 references, missing peers, every option family, SPL/SEE/ISI,
both exception databases). tests/rouge155/make_fixtures.py made the inputs and ran the script;
tests/rouge155/oracle_cases.json.gz holds both, so this runs without Perl."""
import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from harness.rouge155 import command

HERE = Path(__file__).resolve().parent / "rouge155"
_spec = importlib.util.spec_from_file_location("make_fixtures", HERE / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

BATCHES = json.loads(gzip.open(HERE / "oracle_cases.json.gz", "rt", encoding="utf-8").read())["batches"]
SMALL = 120  # batches up to this many evaluations run in the fast set, the others are marked slow


def _param(number, batch):
    marks = [] if len(batch["evals"]) <= SMALL else [pytest.mark.slow]
    return pytest.param(batch, id=f"{number}:{batch['options']}[{batch['exceptions']}]", marks=marks)


@pytest.mark.parametrize("batch", [_param(n, b) for n, b in enumerate(BATCHES)])
def test_byte_identical_to_the_script(batch, tmp_path, capsysbinary):
    config = make_fixtures.write_inputs(tmp_path, batch["evals"], batch["format"])
    assert command.main(["--exceptions", batch["exceptions"], *batch["options"].split(), str(config)]) == 0
    printed = capsysbinary.readouterr().out.decode("latin-1")
    if printed != batch["output"]:  # name the first line that differs, not a 10,000-line diff
        for mine, theirs in zip(printed.splitlines(), batch["output"].splitlines()):
            assert mine == theirs
    assert printed == batch["output"]


def test_fixtures_cover_thousands_of_cases():
    pairs = sum(len(ev["peers"]) for b in BATCHES for ev in b["evals"])
    assert pairs >= 4000 and {b["exceptions"] for b in BATCHES} == {"wordnet-2.0", "none"}
    assert {b["format"] for b in BATCHES} == {"SPL", "SEE", "ISI"}
    assert max(len(ev["models"]) for b in BATCHES for ev in b["evals"]) == 11
