"""`harness --help`, `harness list` and `import harness` load no heavy module (issue 14: start-up within 4x a
bare interpreter). Which modules a command loads is checked, not how long it takes: timings belong in
benchmarks/end_to_end.py."""
import json
import subprocess
import sys

import pytest

# What a command that neither reads data nor scores must not pay for.
HEAVY = ("numpy", "datasets", "pyarrow", "pandas", "matplotlib", "tqdm", "rouge_score", "nltk", "scipy", "dask",
         "sqlite3", "nupunkt", "pysbd", "multiprocessing", "concurrent.futures",
         "harness.scoring._rouge", "harness.scoring.engine", "harness.scoring.tokenize", "harness.loaders",
         "harness.runner", "harness.pipeline", "harness.report", "harness.explore", "harness.stats")

CHILD = """
import contextlib, io, json, sys
from harness.cli import main
argv = json.loads(sys.argv[1])
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(argv) if argv is not None else 0
    except SystemExit as e:  # --help
        code = e.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def loaded(argv):
    """The modules loaded by `harness ARGV` (None: only `import harness.cli`), in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(argv)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("argv", [None, ["--help"], ["list"]], ids=["import", "help", "list"])
def test_no_heavy_module(argv):
    got = loaded(argv)
    assert got["code"] == 0
    heavy = sorted(m for m in got["modules"] if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY)))
    assert heavy == []
    if argv == ["list"]:
        assert "textrank" in got["out"] and "options:" in got["out"]  # it did list the summarizers
    if argv == ["--help"]:
        assert "{run,score,inspect,report,compare,explore,check,list,rouge155,correlate}" in got["out"]


def test_the_front_door_still_has_everything():
    """`harness.X` imports X's module on first use; every name in __all__ resolves."""
    import harness

    for name in harness.__all__:
        assert getattr(harness, name) is not None, name
    assert set(harness.__all__) <= set(dir(harness))
    with pytest.raises(AttributeError):
        harness.no_such_name


def test_each_command_parses_as_with_the_whole_parser():
    """`main` builds only the invoked command's options: the same options, defaults and help as the whole parser."""
    from harness.cli import COMMANDS, build_parser

    def sub(parser, name):
        return next(a for a in parser._actions if a.dest == "command").choices[name]

    whole = build_parser()
    for name in COMMANDS:
        assert sub(build_parser(only=name), name).format_help() == sub(whole, name).format_help(), name
    assert build_parser(only="").format_help() == whole.format_help()
