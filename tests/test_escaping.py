"""Nothing from the data reaches an output unescaped (issue 13, item 9): a system named with Markdown's
cell separator, HTML, LaTeX specials and a spreadsheet formula, through every format a run writes and
the gate's GitHub step summary."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

import harness
from harness.cli import main
from harness.summarizers.lead import Lead

NAME = "=cmd|' /C calc'!A0 <script>alert(1)</script> & 100% $x_1$ #{}"


class Nasty(Lead):
    name = NAME


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("escaping") / "run"
    harness.run(harness.load("interview"), ["lead", Nasty()], out=out, executor="serial", explorer=False)
    return out


def rows_of(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def cells(line: str) -> int:
    return len(re.split(r"(?<!\\)\|", line.strip())) - 2  # unescaped pipes delimit the cells


def test_markdown_escapes_pipes_and_html(run_dir):
    text = (run_dir / "table.md").read_text()
    widths = {cells(line) for line in rows_of(text)}
    assert len(widths) == 1, widths  # every row has as many cells as the header
    assert "<script>" not in text and "&lt;script&gt;" in text and "\\|" in text


def test_csv_neutralizes_a_formula_and_keeps_the_name(run_dir):
    rows = list(csv.DictReader(io.StringIO((run_dir / "table.csv").read_text())))
    names = [r["system"] for r in rows]
    assert "'" + NAME in names  # OWASP: a leading quote, which a spreadsheet shows as text
    assert not any(v.startswith(("=", "+", "@")) for r in rows for k, v in r.items() if k in ("system", "signature"))


def test_json_keeps_the_name_exactly(run_dir):
    assert NAME in json.dumps(json.loads((run_dir / "table.json").read_text()), ensure_ascii=False)


def test_latex_escapes_every_special(run_dir):
    text = (run_dir / "table.tex").read_text()
    line = next(line for line in text.splitlines() if "cmd" in line)
    assert "<script>" not in line or "\\textless" in line
    for special in ("&", "%", "$", "_", "#", "{"):
        assert "\\" + special in line or special not in NAME
    assert line.count("&") - line.count("\\&") == text.splitlines()[[i for i, l in enumerate(text.splitlines())
                                                                      if l.startswith("System")][0]].count("&")


def test_html_escapes(run_dir):
    text = (run_dir / "report.html").read_text()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_svg_plots_escape(run_dir):
    svgs = list((run_dir / "plots").glob("*.svg"))
    assert svgs
    for path in svgs:
        text = path.read_text()
        assert "<script>" not in text, path


def test_step_summary_escapes(run_dir, tmp_path, monkeypatch, capsys):
    baseline = tmp_path / "b.json"
    assert main(["check", str(run_dir), "--baseline", str(baseline), "--update-baseline"]) == 0
    summary = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check", str(run_dir), "--baseline", str(baseline)]) == 0
    text = summary.read_text()
    assert "<script>" not in text
    assert len({cells(line) for line in rows_of(text)}) == 1
