"""Sentence splitting, behind one small interface.

The default splitter is nupunkt: a Punkt model shipped inside the package, so
nothing is downloaded at run time (NLTK's punkt data often cannot be fetched).
The splitter's name is part of the reproducibility signature because it
changes rougeLsum scores and the units extractive summarizers pick from.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

Splitter = Callable[[str], list[str]]

_BLANK_LINE = re.compile(r"\n\s*\n")


def _nupunkt(text: str) -> list[str]:
    import nupunkt

    return [s.strip() for s in nupunkt.sent_tokenize(text) if s.strip()]


def _pysbd(text: str) -> list[str]:
    import pysbd

    return [s.strip() for s in _pysbd_segmenter().segment(text) if s.strip()]


@lru_cache(maxsize=1)
def _pysbd_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _lines(text: str) -> list[str]:
    return [s.strip() for s in text.splitlines() if s.strip()]


SPLITTERS: dict[str, Splitter] = {"nupunkt": _nupunkt, "pysbd": _pysbd, "newline": _lines}
DEFAULT_SPLITTER = "nupunkt"


def get_splitter(name: str = DEFAULT_SPLITTER) -> Splitter:
    try:
        return SPLITTERS[name]
    except KeyError:
        raise ValueError(f"unknown sentence splitter {name!r}; choose from {sorted(SPLITTERS)}") from None


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped, empty ones dropped."""
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


def split_sentences(text: str, splitter: str = DEFAULT_SPLITTER) -> list[str]:
    """Sentences of `text`. Paragraph and line breaks are always boundaries,
    so a sentence never spans two paragraphs, a headline never merges with
    the next line, and text already one-sentence-per-line keeps its lines."""
    split = get_splitter(splitter)
    out: list[str] = []
    for line in _lines(text):
        out.extend(split(line))
    return out
