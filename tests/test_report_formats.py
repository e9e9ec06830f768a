"""Every table format renders the same table and parses back with a standard parser."""
import base64
import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import matplotlib.image
import pytest

from _runs import make_run, reference_oracle, worse_lead
from harness.report import build_table, render, render_table
from harness.run_folder import load_run
from harness.report.latex import escape
from harness.scoring.signature import parse_signature

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """lead (the baseline), random, lead made worse, and an oracle that copies a reference."""
    out = make_run(tmp_path_factory.mktemp("report"),
                   {"lead": "lead", "random": "random", "worse": worse_lead, "oracle": reference_oracle})
    return load_run(out)


@pytest.fixture(scope="module")
def table(run):
    return build_table(run[0])


def f100(summary, system, t):
    return 100 * summary["systems"][system][t]["fmeasure"]


# ---------------------------------------------------------------- the model

def test_model_marks_best_significance_and_upper_bound(run, table):
    summary, _ = run
    roles = {r.system: r.role for r in table.rows}
    assert roles == {"lead": "baseline", "random": "system", "worse": "system", "oracle": "upper_bound"}
    assert [r.system for r in table.rows][-1] == "oracle"  # set apart below the systems
    for t in TYPES:
        col = (t, "fmeasure")
        systems = [r for r in table.rows if r.role != "upper_bound"]
        best = max(systems, key=lambda r: r.cells[col].value)
        assert [r.system for r in systems if r.cells[col].best] == [best.system]
        oracle = table.rows[-1].cells[col]
        assert oracle.value > best.cells[col].value and not oracle.best and oracle.sig == 0
        # worse is far below lead on every example: significant under approximate randomization
        worse = next(r for r in table.rows if r.system == "worse").cells[col]
        assert worse.p_randomization == summary["systems"]["worse"][t]["p_randomization"] < 0.05
        assert worse.sig == -1
        assert worse.value == pytest.approx(f100(summary, "worse", t))
        assert worse.ci == pytest.approx((100 * summary["systems"]["worse"][t]["ci_low"],
                                          100 * summary["systems"]["worse"][t]["ci_high"]))


def test_significance_follows_the_chosen_test_and_alpha(run):
    summary, _ = run
    p = summary["systems"]["worse"]["rouge1"]["p_randomization"]
    strict = build_table(summary, alpha=p * 0.99)
    assert next(r for r in strict.rows if r.system == "worse").cells[("rouge1", "fmeasure")].sig == 0
    both = build_table(summary, test="both")
    expected = max(summary["systems"]["worse"]["rouge1"]["p_bootstrap"], p) < 0.05
    assert (next(r for r in both.rows if r.system == "worse").cells[("rouge1", "fmeasure")].sig == -1) == expected
    with pytest.raises(ValueError):
        build_table(summary, test="t-test")


def test_upper_bound_listed_in_config_wins_over_the_name(run):
    summary = json.loads(json.dumps(run[0]))
    summary["config"]["upper_bound"] = ["random"]
    roles = {r.system: r.role for r in build_table(summary).rows}
    assert roles["random"] == "upper_bound" and roles["oracle"] == "system"


def test_no_baseline_no_marks_and_a_note(run):
    summary = json.loads(json.dumps(run[0]))
    summary["config"]["baseline_system"] = "textrank"
    t = build_table(summary)
    assert all(c.sig == 0 for r in t.rows for c in r.cells.values())
    assert "'textrank' is not in this run" in render(t, "markdown")


def test_a_summary_without_intervals_or_tests_still_renders(run):
    summary = json.loads(json.dumps(run[0]))
    for by_type in summary["systems"].values():
        for e in by_type.values():
            for k in ("ci_low", "ci_high", "p_bootstrap", "p_randomization"):
                e.pop(k, None)
    text = render_table(summary)
    assert "[" not in text.split("\n\n")[0] and "▼" not in text
    assert "no significance marks: the run has no paired tests" in text
    assert list(csv.DictReader(io.StringIO(render_table(summary, "csv"))))[2]["rouge1_f_ci_low"] == ""


# ---------------------------------------------------------------- formats

def test_markdown(run, table):
    summary, _ = run
    text = render(table, "markdown")
    lines = text.splitlines()
    assert lines[0].startswith("| system") and "rouge1 F" in lines[0]
    body = [l for l in lines if l.startswith("| ")][1:]
    assert [l.split("|")[1].strip() for l in body] == ["lead (baseline)", "random", "worse", "*upper bound*", "oracle †"]
    worse_row = body[2]
    assert f"{f100(summary, 'worse', 'rouge1'):.2f}▼" in worse_row
    lo, hi = summary["systems"]["lead"]["rouge1"]["ci_low"], summary["systems"]["lead"]["rouge1"]["ci_high"]
    assert f"[{100 * lo:.2f}, {100 * hi:.2f}]" in body[0]
    assert "approximate randomization, p < 0.05" in text and "upper bound" in text
    assert text.rstrip().endswith(f"signature: {summary['signature']}")
    # the old entry point still renders the same table
    assert render_table(summary) == text


def test_precision_recall_on_request(run):
    summary, _ = run
    text = render(build_table(summary, precision_recall=True), "markdown")
    header = text.splitlines()[0]
    assert all(f"{t} {m}" in header for t in TYPES for m in "PRF")
    assert f"{100 * summary['systems']['random']['rouge2']['recall']:.2f}" in text
    assert "rouge1 P" not in render(build_table(summary), "markdown")


def test_csv_parses_with_the_csv_module(run, table):
    summary, _ = run
    rows = list(csv.DictReader(io.StringIO(render(table, "csv"))))
    assert [r["system"] for r in rows] == ["lead", "random", "worse", "oracle"]
    assert [r["role"] for r in rows] == ["baseline", "system", "system", "upper_bound"]
    for r in rows:
        assert r["signature"] == summary["signature"] and int(r["n"]) == 6
        for t in TYPES:
            assert float(r[f"{t}_f"]) == pytest.approx(f100(summary, r["system"], t), abs=1e-12)
            assert float(r[f"{t}_f_ci_low"]) <= float(r[f"{t}_f"]) <= float(r[f"{t}_f_ci_high"])
    worse = rows[2]
    assert worse["rouge1_f_sig"] == "-1" and float(worse["rouge1_f_p_randomization"]) < 0.05
    assert rows[0]["rouge1_f_p_bootstrap"] == ""  # the baseline is not tested against itself
    best = [r["system"] for r in rows if r["rouge1_f_best"] == "1"]
    assert best == [max(rows[:3], key=lambda r: float(r["rouge1_f"]))["system"]]


def test_json_parses_and_carries_every_mark(run, table):
    summary, _ = run
    data = json.loads(render(table, "json"))
    assert data["signature"] == summary["signature"]
    assert data["signature_fields"] == parse_signature(summary["signature"])
    assert data["baseline"] == "lead" and data["significance"]["alpha"] == 0.05
    assert [c["rouge_type"] for c in data["columns"]] == TYPES
    rows = {r["system"]: r for r in data["rows"]}
    assert rows["oracle"]["role"] == "upper_bound"
    cell = rows["worse"]["cells"][0]
    assert cell["value"] == pytest.approx(f100(summary, "worse", "rouge1")) and cell["sig"] == -1
    assert cell["ci"][0] <= cell["value"] <= cell["ci"][1]
    assert any("upper bound" in n for n in data["notes"])


def test_latex_escapes_every_special_character():
    nasty = r"a_b & c% $d #e {f} ~g ^h \i <j> |k"
    out = escape(nasty)
    for ch in "_&%$#{}":
        assert f"\\{ch}" in out
    assert r"\textbackslash{}" in out and r"\textasciitilde{}" in out and r"\textasciicircum{}" in out
    assert r"\textless{}" in out and r"\textgreater{}" in out and r"\textbar{}" in out
    # no special character is left unescaped
    stripped = re.sub(r"\\(textbackslash|textasciitilde|textasciicircum|textless|textgreater|textbar)\{\}", "", out)
    assert not re.search(r"(?<!\\)[_&%$#~^<>|]", stripped)


def _nasty_summary(summary):
    s = json.loads(json.dumps(summary))
    s["systems"] = {r"my_sys & 50% {v2} #1 ~x^y \z": s["systems"]["random"], **s["systems"]}
    return s


def test_latex_is_booktabs_and_escaped(run):
    summary, _ = run
    tex = render_table(_nasty_summary(summary), "latex")
    for cmd in (r"\toprule", r"\midrule", r"\bottomrule", r"\begin{tabular}", r"\end{table}"):
        assert cmd in tex
    assert r"\hline" not in tex
    assert r"my\_sys \& 50\% \{v2\} \#1 \textasciitilde{}x\textasciicircum{}y \textbackslash{}z" in tex
    assert r"\textit{Upper bound}" in tex and r"$^{\downarrow}$" in tex
    assert "Signature:" in tex and r"stem:porter\textbar{}" in tex


@pytest.mark.parametrize("precision_recall", [False, True])
def test_latex_compiles(run, tmp_path, precision_recall):
    engine = shutil.which("pdflatex") or shutil.which("lualatex") or shutil.which("xelatex")
    if engine is None:
        pytest.skip("no TeX engine installed")
    summary, _ = run
    (tmp_path / "table.tex").write_text(render_table(_nasty_summary(summary), "latex",
                                                     precision_recall=precision_recall))
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\usepackage{booktabs}\n"
                                      "\\begin{document}\n\\input{table}\n\\end{document}\n")
    p = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout[-3000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000


class _Page(HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.images, self.text, self.cells = [], [], [], [], []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_valid_self_contained_and_shows_its_plots(run, table):
    summary, rows = run
    page = render(table, "html", rows)
    assert page.startswith("<!DOCTYPE html>")
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert parser.tags.count("html") == parser.tags.count("body") == 1 and "table" in parser.tags
    text = "".join(parser.text)
    for system in ("lead", "random", "worse", "oracle", "upper bound", "(baseline)"):
        assert system in text
    assert summary["signature"] in text and "approximate randomization" in text
    assert f"{f100(summary, 'worse', 'rouge1'):.2f}▼" in text
    assert len(parser.images) == 2
    for img in parser.images:
        assert img["alt"]
        head, _, data = img["src"].partition(",")
        assert head == "data:image/png;base64"  # embedded: the page needs no other file
        png = base64.b64decode(data, validate=True)
        pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
        assert pixels.shape[0] > 300 and pixels.shape[1] > 600
        assert pixels.std() > 0.05  # a drawing, not a blank canvas
    assert "http://" not in page and "https://" not in page and "src=\"plots/" not in page


def test_html_escapes_system_names(run):
    summary, rows = run
    s = json.loads(json.dumps(summary))
    s["systems"] = {"<script>alert($1)</script>": s["systems"]["random"], **s["systems"]}
    page = render_table(s, "html")  # no rows: the bar chart only; a lone $ must not start mathtext
    assert "<script>" not in page and "&lt;script&gt;alert($1)" in page
    parser = _Page()
    parser.feed(page)
    assert parser.errors == [] and len(parser.images) == 1


def test_other_tabulate_formats_for_the_terminal(run):
    text = render_table(run[0], "plain")
    assert "**" not in text and "*" in text.splitlines()[1] + text.splitlines()[2] + text.splitlines()[3]
    assert text.splitlines()[0].split()[:2] == ["system", "n"]
