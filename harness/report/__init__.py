"""Result tables and plots: rows are systems, columns the ROUGE types' scores.

One table model (`model.build_table`) rendered in every format:

    markdown  table.md     the terminal's default; GitHub-flavoured Markdown
    csv       table.csv    one row per system, every mark in its own column
    json      table.json   the cells and marks as data
    latex     table.tex    booktabs, escaped, ready for a paper
    html      report.html  self-contained page with the plots embedded

and plots in `plots/` (`bars` and `distribution`, PNG, and SVG where it is a
vector drawing; the figures after the first are drawn by a forked process
where there is a second core). A run folder
holds all of them; `harness report RUN_DIR` writes them again from
`summary.json` and `scores.jsonl` without rescoring.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .. import storage
from ..folder import writing
from ..progress import progress
from . import csv_table, html_page, json_table, latex, markdown
from .model import Table, build_table

FORMATS = {"markdown": "table.md", "csv": "table.csv", "json": "table.json", "latex": "table.tex",
           "html": "report.html"}
ALIASES = {"md": "markdown", "github": "markdown", "tex": "latex"}
PLOT_FORMATS = ("png", "svg")
PLOTS = ("bars", "distribution")  # plots.render_all's figures
OUTPUTS = (*FORMATS.values(), *(f"plots/{name}.{ext}" for name in PLOTS for ext in PLOT_FORMATS))  # what it writes

__all__ = ["FORMATS", "Table", "build_table", "render", "render_table", "write_report", "load_run"]


def _format(fmt: str) -> str:
    return ALIASES.get(fmt, fmt)


def render(table: Table, fmt: str = "markdown", rows: list[dict] | None = None,
           images: dict[str, bytes] | None = None) -> str:
    """`table` in one format; HTML embeds `images` (PNG bytes by plot name), drawn from `rows` if not given."""
    fmt = _format(fmt)
    if fmt == "markdown":
        return markdown.render(table)
    if fmt == "csv":
        return csv_table.render(table)
    if fmt == "json":
        return json_table.render(table)
    if fmt == "latex":
        return latex.render(table)
    if fmt == "html":
        if images is None:
            from . import plots  # matplotlib is imported only when a plot is drawn

            images = {name: plots.to_bytes(plot.figure, "png") for name, plot in plots.render_all(table, rows).items()}
        return html_page.render(table, images)
    # Any other tabulate format ("plain", "grid", ...) for the terminal.
    return markdown.render(table, tablefmt=fmt)


def render_table(summary: dict, fmt: str = "github", rows: list[dict] | None = None, **options) -> str:
    """The table of a run's `summary.json` content, with its footnotes and signature under it.

    `options` go to `build_table`: `precision_recall`, `test`, `alpha`.
    """
    return render(build_table(summary, **options), fmt, rows)


def write_report(out: str | Path, summary: dict, rows: list[dict] | None, **options) -> list[Path]:
    """Write every table format and plot of a run into `out`; returns the paths written.

    `out` is taken as its one writer meanwhile, and the files replace the old
    ones together (harness.folder). Plots of per-example scores need `rows`
    (the scores.jsonl rows); without them only the bar chart is drawn.
    """
    out = Path(out)
    with writing(out, outputs=OUTPUTS) as writer:
        written = write_files(writer.staging, summary, rows, **options)
        writer.commit(replace=False)
    return [out / p.relative_to(writer.staging) for p in written]


def write_files(out: Path, summary: dict, rows: list[dict] | None, **options) -> list[Path]:
    """`write_report` into a plain folder (a writer's staging folder), each file atomically."""
    from . import plots

    table = build_table(summary, **options)
    figures = plots.render_all(table, rows)
    written, images = _draw(out, figures)
    for fmt, name in progress(list(FORMATS.items()), "tables", unit="file"):
        storage.write_text(out / name, render(table, fmt, rows, images))
        written.append(out / name)
    return written


def _save(out: Path, figures: dict, names: list[str]) -> tuple[list[Path], dict[str, bytes]]:
    """Write the files of the figures `names`; their paths, and their PNG bytes by name (for report.html)."""
    from . import plots

    written, images = [], {}
    for name in names:
        for ext in figures[name].formats:
            data = plots.to_bytes(figures[name].figure, ext)
            if ext == "png":
                images[name] = data
            written.append(out / "plots" / f"{name}.{ext}")
            with storage.atomic_open(written[-1], "wb") as fh:
                fh.write(data)
    return written, images


def _can_fork() -> bool:
    """A second core, fork, and no thread that a fork would copy mid-work (a Dask client's, say)."""
    import multiprocessing
    import os
    import threading

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1 and threading.active_count() == 1 and sys.platform == "linux" \
        and "fork" in multiprocessing.get_all_start_methods()


def _draw(out: Path, figures: dict) -> tuple[list[Path], dict[str, bytes]]:
    """Write every figure's files. Drawing (matplotlib's savefig) is most of a report's time, so with a
    second core the figures after the first are drawn by a forked process meanwhile (it has the figures
    already: nothing is pickled but the PNG bytes coming back). Whatever the drawing process could not
    do is drawn here, so an error is raised here as it would be without it."""
    names = list(figures)
    if len(names) < 2 or not _can_fork():
        return _save(out, figures, names)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    here, there = context.Pipe(duplex=False)
    child = context.Process(target=_draw_child, args=(there, out, figures, names[1:]), daemon=True)
    child.start()
    there.close()
    try:
        written, images = _save(out, figures, names[:1])
        try:
            status, theirs = here.recv()
        except EOFError:
            status, theirs = "lost", None
    finally:
        if child.is_alive() and sys.exc_info()[0] is not None:
            child.terminate()
        child.join()
        here.close()
    if status != "ok":  # draw them here: the same files, or the same error raised where it belongs
        theirs = _save(out, figures, names[1:])
    return written + theirs[0], {**images, **theirs[1]}


def _draw_child(conn, out: Path, figures: dict, names: list[str]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends this process
    try:
        conn.send(("ok", _save(out, figures, names)))
    except BaseException as e:  # noqa: BLE001 -- the parent draws these again and raises the error itself
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()
