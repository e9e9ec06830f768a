"""Plots (PNG and SVG), `harness report` re-rendering without rescoring, and progress bars."""
import io
import json
import xml.etree.ElementTree as ET

import matplotlib.image
import numpy as np
import pytest

import harness
from _runs import make_run, reference_oracle
from harness import progress
from harness.cli import main
from harness.report import FORMATS, build_table, plots
from harness.run_folder import load_run

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return make_run(tmp_path_factory.mktemp("plots"), {"lead": "lead", "random": "random", "oracle": reference_oracle})


def test_run_folder_has_every_format_and_plot(run_dir):
    for name in FORMATS.values():
        assert (run_dir / name).is_file() and (run_dir / name).stat().st_size > 200
    for stem in ("bars", "distribution"):
        png = (run_dir / "plots" / f"{stem}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
        assert pixels.shape[1] > 800 and pixels.std() > 0.05
        svg = ET.parse(run_dir / "plots" / f"{stem}.svg").getroot()
        assert svg.tag == f"{SVG}svg"
        texts = "".join(svg.itertext())
        # matplotlib draws text as paths and keeps it in comments; the titles are in the <title>-less groups,
        # so check the structure instead: one axes group per ROUGE type
        axes = [g for g in svg.iter(f"{SVG}g") if g.get("id", "").startswith("axes_")]
        assert len(axes) == 4, texts[:200]
    assert not list(run_dir.rglob(".*.tmp"))


def test_bar_chart_draws_each_mean_and_interval(run_dir):
    summary, rows = load_run(run_dir)
    table = build_table(summary)
    fig = plots.bar_chart(table)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == ["ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum"]
    for ax, t in zip(axes, ["rouge1", "rouge2", "rougeL", "rougeLsum"]):
        widths = [p.get_width() for p in ax.patches]
        expected = [100 * summary["systems"][s][t]["fmeasure"] for s in ("lead", "random", "oracle")]
        assert widths == pytest.approx(expected)
        # error bars: one horizontal segment per system, from ci_low to ci_high
        segs = [seg for coll in ax.collections for seg in coll.get_segments()]
        spans = sorted((round(min(s[:, 0]), 9), round(max(s[:, 0]), 9)) for s in segs if s[0, 1] == s[1, 1])
        want = sorted((round(100 * summary["systems"][s][t]["ci_low"], 9), round(100 * summary["systems"][s][t]["ci_high"], 9))
                      for s in ("lead", "random", "oracle"))
        assert spans == want
        assert [p.get_hatch() for p in ax.patches] == [None, None, "//"]  # the oracle is hatched
    assert "oracle (upper bound)" in [t.get_text() for t in axes[0].get_yticklabels()]


def test_distribution_shows_every_example(run_dir):
    summary, rows = load_run(run_dir)
    fig = plots.distribution_chart(build_table(summary), rows)
    ax = fig.axes[0]
    dots, means = ax.collections  # one dot per (system, example), one diamond per system
    expected = sorted(100 * r["fmeasure"] for r in rows if r["rouge_type"] == "rouge1")
    assert sorted(dots.get_offsets()[:, 0]) == pytest.approx(expected)
    by_system = {s: np.mean([100 * r["fmeasure"] for r in rows if r["system"] == s and r["rouge_type"] == "rouge1"])
                 for s in ("lead", "random", "oracle")}
    assert list(means.get_offsets()[:, 0]) == pytest.approx(list(by_system.values()))


def test_plots_are_byte_stable(run_dir):
    summary, rows = load_run(run_dir)
    fig = plots.distribution_chart(build_table(summary), rows)
    assert plots.to_bytes(fig, "svg") == (run_dir / "plots" / "distribution.svg").read_bytes()
    assert plots.to_bytes(fig, "png") == (run_dir / "plots" / "distribution.png").read_bytes()


def test_report_rerenders_without_rescoring(run_dir, tmp_path, monkeypatch, capsys):
    def no_scoring(*args, **kwargs):
        raise AssertionError("harness report must not rescore")

    monkeypatch.setattr(harness.scoring.Scorer, "score", no_scoring)
    out = tmp_path / "again"
    assert main(["report", str(run_dir), "--format", "csv", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    assert printed.out == (run_dir / "table.csv").read_text() == (out / "table.csv").read_text()
    for name in ("table.md", "table.json", "table.tex", "plots/bars.svg", "plots/distribution.svg"):
        assert (out / name).read_bytes() == (run_dir / name).read_bytes()
    assert main(["report", str(run_dir), "--format", "json", "--precision-recall", "--no-write"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["measure"] for c in data["columns"][:3]] == ["precision", "recall", "fmeasure"]


def test_report_on_a_folder_that_is_not_a_run(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "summary.json: missing" in capsys.readouterr().err
    (tmp_path / "summary.json").write_text("{}")
    (tmp_path / "scores.jsonl").write_text("")
    assert main(["report", str(tmp_path)]) == 2
    assert "not a run summary" in capsys.readouterr().err


def test_run_format_and_quiet(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path), "--format", "json", "--quiet"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["baseline"] == "lead"
    assert out.err == ""  # --quiet: nothing on stderr at all
    assert main(["run", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "wrote" in err and "example/s" not in err and "\r" not in err  # not a terminal: no bars


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bars_only_on_a_terminal(monkeypatch):
    items = list(range(5))
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert progress.progress(items, "x") is items  # not a terminal: the iterable itself
    term = _Terminal()
    monkeypatch.setattr("sys.stderr", term)
    assert list(progress.progress(items, "score", unit="example")) == items
    assert "score:" in term.getvalue() and "/5" in term.getvalue() and "example" in term.getvalue()
    with progress.quiet():
        assert progress.progress(items, "x") is items
    assert progress.enabled()


def test_distribution_of_many_examples_is_drawn_from_bounded_memory(monkeypatch):
    """Past EXACT_VALUES a column keeps a histogram and a reservoir sample: the box matches
    the exact quartiles to the histogram's resolution, the mean is exact, the dots are a sample."""
    monkeypatch.setattr(plots.Distribution, "EXACT_VALUES", 5_000)
    rng = np.random.default_rng(3)
    values = 100 * rng.beta(2, 5, 20_000)
    big, exact = plots.Distribution(), plots.Distribution()
    monkeypatch.setattr(exact, "EXACT_VALUES", 10**9)
    for v in values:
        big.add(float(v))
        exact.add(float(v))
    assert big.values is None and len(big.sample) == plots.MAX_POINTS and big.hist.sum() == 20_000
    assert set(big.sample) <= set(values.tolist())
    got, want = big.box(), exact.box()
    for key in ("q1", "med", "q3", "whislo", "whishi"):
        assert got[key] == pytest.approx(want[key], abs=100 / plots.Distribution.BINS), key
    assert big.mean == exact.mean == pytest.approx(values.mean(), rel=1e-12)
    assert big.max == exact.max == values.max()


def test_the_distribution_is_an_svg_only_while_its_dots_are_vectors(tmp_path):
    """From plots.CLOUD examples the dots are a bitmap in any format: only the PNG is written (and report.html)."""
    from harness.data import Corpus, Example, Reference
    from harness.pipeline import run
    from harness.scoring import ScoreConfig

    n = plots.CLOUD
    corpus = Corpus("many", [Example(f"e{i}", f"Word {i} here. Another word {i % 7}. Third one.",
                                     [Reference(f"Word {i % 5} here.")]) for i in range(n)])
    out = tmp_path / "run"
    run(corpus, ["lead"], ScoreConfig(bootstrap=0), out=out, executor="serial", explorer=False)
    assert sorted(p.name for p in (out / "plots").iterdir()) == ["bars.png", "bars.svg", "distribution.png"]
    assert "distribution" in (out / "report.html").read_text()


@pytest.mark.parametrize("how", ["here", "lost", "failed"])
def test_figures_drawn_by_a_second_process_or_here_are_the_same_files(run_dir, tmp_path, monkeypatch, how):
    """With a second core the figures after the first are drawn by a forked process; drawn here (one core,
    threads running) or again here after that process died or failed, the files are the same bytes."""
    import harness.report as report

    if how == "here":
        monkeypatch.setattr(report, "_can_fork", lambda: False)
    elif how == "lost":
        monkeypatch.setattr(report, "_draw_child", lambda conn, *a: conn.close())
    else:
        def failing(conn, *a):
            conn.send(("error", "OSError: no space left on device"))
            conn.close()
        monkeypatch.setattr(report, "_draw_child", failing)
    summary, rows = load_run(run_dir)
    out = tmp_path / how
    written = report.write_report(out, summary, rows)
    assert sorted(p.relative_to(out).as_posix() for p in written if p.parent.name == "plots") == \
        ["plots/bars.png", "plots/bars.svg", "plots/distribution.png", "plots/distribution.svg"]
    for name in ("plots/bars.png", "plots/bars.svg", "plots/distribution.png", "plots/distribution.svg",
                 "report.html"):
        assert (out / name).read_bytes() == (run_dir / name).read_bytes(), name
