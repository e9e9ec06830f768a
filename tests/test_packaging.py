"""The package as a user installs it: sdist from the checkout, wheels from the sdist, installed outside the checkout.

Builds without build isolation and installs with --no-deps, reusing the
dependencies this interpreter already has (their folder is put on the new
environment's path by a .pth line), so the test needs no network and stays
fast. Two wheels: one with the C core, one built where the C compiler fails
(the pure-Python fallback). Each runs `harness run` on the bundled corpus,
found inside the installed package, and a compat call checked against
rouge-score.
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import harness
from harness.version import DISTRIBUTION

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

COMPAT_CHECK = """
import json, sys
import harness
from harness.compat import evaluate_rouge, rouge_scorer
from harness.package_data import data_dir
from harness.scoring import native
from rouge_score import rouge_scorer as reference
pairs = [("The cat sat on the mat.\\nIt was happy.", "A cat was sitting on a mat."), ("", "x"), ("a b c", "a b c")]
mine = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
theirs = reference.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
assert [mine.score(t, p) for t, p in pairs] == [theirs.score(t, p) for t, p in pairs]
out = evaluate_rouge.compute(predictions=[p for _, p in pairs], references=[t for t, _ in pairs])
print(json.dumps({"harness": harness.__file__, "data": str(data_dir("references")), "native": native.AVAILABLE,
                  "version": harness.__version__, "rouge1": float(out["rouge1"])}))
"""


def _run(cmd, cwd, env=None, **kw):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HARNESS_NATIVE", "VIRTUAL_ENV")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def sdist_tree(tmp_path_factory) -> Path:
    """`python -m build --sdist` of the checkout, unpacked: what a user downloads."""
    out = tmp_path_factory.mktemp("sdist")
    _run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out), str(ROOT)], cwd=out,
         env=_clean_env())
    (tarball,) = out.glob("*.tar.gz")
    assert tarball.name == f"{DISTRIBUTION.replace('-', '_')}-{harness.__version__}.tar.gz"
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
        tar.extractall(out, filter="data")
    top = f"{DISTRIBUTION.replace('-', '_')}-{harness.__version__}"
    for needed in ("setup.py", "pyproject.toml", "harness/scoring/_rouge.c", "references/lavrov-2018-12-24.txt",
                   "references/lavrov-2018-12-24.references.jsonl", "NOTICE"):
        assert f"{top}/{needed}" in names, needed
    return out / top


def _wheel(sdist_tree: Path, out: Path, **env) -> Path:
    src = out / "src"  # a fresh copy: a build leaves build/ behind, which the next one would reuse
    shutil.copytree(sdist_tree, src)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(out), "."],
         cwd=src, env=_clean_env(**env))
    (wheel,) = out.glob("*.whl")
    return wheel


def _install(wheel: Path, where: Path) -> Path:
    """A fresh venv outside the checkout with the wheel (no deps) and this interpreter's dependencies."""
    venv = where / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=where, env=_clean_env())
    py = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)],
         cwd=where, env=_clean_env())
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=where).stdout.strip())
    # appended after the venv's own site-packages, and only as a path (its .pth files, among them the
    # checkout's editable install, are not run), so `harness` comes from the wheel
    (site / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


@pytest.mark.parametrize("flavour", ["native", "pure"])
def test_wheel_installs_and_runs_outside_the_checkout(sdist_tree, tmp_path, flavour):
    env = {} if flavour == "native" else {"CC": str(tmp_path / "no-such-compiler")}  # the build cannot compile
    wheel = _wheel(sdist_tree, tmp_path / "wheel", **env)
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    assert "harness/_data/references/lavrov-2018-12-24.txt" in names
    assert any(n.endswith("dist-info/licenses/NOTICE") for n in names)
    assert any(n.startswith("harness/scoring/_rouge") and n.endswith(".so") for n in names) == (flavour == "native")

    venv = _install(wheel, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    env = _clean_env(HARNESS_CACHE_DIR=str(tmp_path / "cache"))
    info = json.loads(_run([str(venv / "bin" / "python"), "-c", COMPAT_CHECK], cwd=work, env=env).stdout)
    assert Path(info["harness"]).is_relative_to(venv), info  # the installed package, not the checkout
    assert Path(info["data"]).is_relative_to(venv), info
    assert info["native"] == (flavour == "native")
    assert info["version"] == harness.__version__

    _run([str(venv / "bin" / "harness"), "run", "--out", str(work / "run"), "--quiet"], cwd=work, env=env)
    summary = json.loads((work / "run" / "summary.json").read_text(encoding="utf-8"))
    assert f"harness:{harness.__version__}" in json.dumps(summary)
    rows = (work / "run" / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(r)["id"] for r in rows} == {f"lavrov-2018-12-24:q{i}" for i in range(1, 7)}


def test_pure_python_wheel_on_request(sdist_tree, tmp_path):
    """HARNESS_BUILD_NATIVE=0 leaves the C core out on purpose: a wheel for any platform."""
    wheel = _wheel(sdist_tree, tmp_path, HARNESS_BUILD_NATIVE="0")
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
