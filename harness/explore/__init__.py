"""The per-example explorer: `examples.html`, one page to see why a system won or lost.

    write_page(out, [run_dir], examples)            one run's page
    write_page(out, [run_a, run_b], examples)       two runs side by side
    write_for_run(run_dir, examples, n)             the run's own page (the report stage calls it)

See docs/explorer.md for what the page shows, how its marks are computed
(`marks`) and how its size is bounded (`data`).
"""
from __future__ import annotations

import warnings
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .. import storage
from ..data import Example
from ..folder import OWN, reading, writing
from .data import DEFAULT_MAX_BYTES, DEFAULT_MAX_EXAMPLES, DEFAULT_MAX_ROWS, Limits, Payload, build, read_run
from .page import render

PAGE = "examples.html"
# A run with more examples than this gets no page at the end of `harness run` (reading the data a second
# time and choosing a sample would cost more than the page is worth there); `harness explore` still writes one.
AUTO_MAX_EXAMPLES = 200_000
# The run's own page holds the texts of at most this many examples (every example is still listed with its
# scores): those texts and their marks are what the page costs, ~2.7 ms an example of five systems with three
# references (issue 14: 5.4 s of CPU, more than the whole scoring, on a 2,000-example run). The extremes of
# every score and comparison come first; `harness explore RUN_DIR` writes a page with up to
# DEFAULT_MAX_EXAMPLES, `--ids` one of any examples.
RUN_PAGE_EXAMPLES = 500

__all__ = ["PAGE", "AUTO_MAX_EXAMPLES", "RUN_PAGE_EXAMPLES", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_EXAMPLES", "DEFAULT_MAX_ROWS", "Limits", "Payload",
           "compare_page", "page_link", "write_page", "write_for_run"]


def compare_page(run_a: str | Path, run_b: str | Path) -> Path:
    """Where `harness explore RUN_A RUN_B` writes its page by default (in B, named after A)."""
    a, b = Path(run_a), Path(run_b)
    if a.resolve() == b.resolve():
        return b / PAGE
    return b / f"examples-vs-{a.resolve().name}.html"


def page_link(page: str | Path, system_a: str, system_b: str, by: str, two_runs: bool) -> str:
    """A file:// link opening `page` with `system_b - system_a` on `by` sorted by the largest gain."""
    from urllib.parse import urlencode

    keys = (f"A:{system_a}", f"B:{system_b}") if two_runs else (system_a, system_b)
    return Path(page).resolve().as_uri() + "#" + urlencode({"a": keys[0], "b": keys[1], "by": by, "sort": "gain"})


def write_page(out: str | Path, run_dirs: Sequence[str | Path], examples: Iterable[Example], *,
               ids: Sequence[str] | None = None, limits: Limits = Limits(), force: bool = False,
               shown_as: str | Path | None = None) -> Payload:
    """Write the explorer page of one run (or two compared) to `out`; `examples` are the run's data.

    A page inside a run folder is written as that folder's writer (harness.folder);
    `shown_as` is the name the page gives a single run read from elsewhere (a staging folder).
    """
    out = Path(out)
    if not (out.parent / OWN).is_dir():
        payload = _payload(run_dirs, examples, ids, limits, force, shown_as)
        storage.write_text(out, render(payload.data, payload.encoded))
        return payload
    with writing(out.parent, outputs=[out.name]) as writer:
        payload = _payload(run_dirs, examples, ids, limits, force, shown_as)
        storage.write_text(writer.staging / out.name, render(payload.data, payload.encoded))
        writer.commit(replace=False)
    return payload


def _payload(run_dirs, examples, ids, limits: Limits, force: bool, shown_as) -> Payload:
    """The page's data, every run read between two of its commits."""
    with ExitStack() as stack:
        for d in run_dirs:
            stack.enter_context(reading(d))
        runs = [read_run(d) for d in run_dirs]
        if shown_as is not None:
            runs[0].label = Path(shown_as)
        return build(runs, examples, ids=ids, limits=limits, force=force)


def _reiterable(examples) -> bool:
    try:
        return iter(examples) is not examples
    except TypeError:
        return False


def write_for_run(run_dir: str | Path, examples: Iterable[Example], n_examples: int,
                  log: Callable[[str], None] | None = None, shown_as: str | Path | None = None) -> Path | None:
    """The run's examples.html, or None with a note (to `log`, else a warning) when the run is too large or
    its data cannot be read again. `shown_as`: the run folder's name when `run_dir` is its staging folder."""
    log = log or (lambda message: warnings.warn(message, UserWarning, stacklevel=3))
    run_dir = Path(run_dir)
    name = shown_as or run_dir
    if n_examples > AUTO_MAX_EXAMPLES:
        log(f"{PAGE} not written: {n_examples} examples is more than {AUTO_MAX_EXAMPLES} "
            f"(`harness explore {name}` writes a sampled page)")
        return None
    if not _reiterable(examples):
        log(f"{PAGE} not written: the examples could be read only once (`harness explore {name} --data ...` "
            "writes it)")
        return None
    write_page(run_dir / PAGE, [run_dir], examples, limits=Limits(examples=RUN_PAGE_EXAMPLES), shown_as=shown_as)
    return run_dir / PAGE

