"""Progress bars for long stages: shown on a terminal, never in CI logs.

    from harness.progress import progress
    for ex in progress(corpus, "score", unit="example"):
        ...

A bar appears only when stderr is a terminal and quiet mode is off
(`harness ... --quiet` turns it on), so a log file or a CI job sees clean
output. Every stage that loops over examples should go through `progress`.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")

_quiet = False


def set_quiet(quiet: bool) -> None:
    """Turn every progress bar off (True) or back to terminal-only (False)."""
    global _quiet
    _quiet = bool(quiet)


def is_quiet() -> bool:
    return _quiet


@contextmanager
def quiet(on: bool = True) -> Iterator[None]:
    """Quiet mode for the duration of a block."""
    before = _quiet
    set_quiet(on)
    try:
        yield
    finally:
        set_quiet(before)


def enabled() -> bool:
    """Whether a bar would be drawn now: not quiet, and stderr is a terminal."""
    if _quiet:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def progress(iterable: Iterable[T], desc: str, total: int | None = None, unit: str = "it") -> Iterable[T]:
    """`iterable`, wrapped in a tqdm bar labelled `desc` when bars are enabled.

    The bar is removed when the stage ends (`leave=False`), so only results
    stay on the screen.
    """
    if not enabled():
        return iterable
    from tqdm import tqdm  # imported only when a bar is drawn: most runs (and every CI job) draw none

    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    return tqdm(iterable, desc=desc, total=total, unit=unit, leave=False, dynamic_ncols=True, file=sys.stderr)
