"""Which implementation scores: the C core where it is built and enabled, else pure Python.

The one place that chooses. `tokenize` and `engine` know nothing of the C
core; `native` wraps it; this module hands the stemmer to the tokenizers and
picks the engine. `HARNESS_NATIVE=0` in the environment forces the pure-Python
path (the parity tests run both).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from . import native
from .engine import Engine
from .tokenize import RougeScoreTokenizer, Tokenizer, UnicodeTokenizer

_C_WORD = re.compile(r"[a-z0-9]+")
_CLASSES = {"rouge-score": RougeScoreTokenizer, "unicode": UnicodeTokenizer}


@lru_cache(maxsize=None)
def _nltk_porter():
    # The very stemmer rouge-score uses (its DefaultTokenizer builds NLTK's
    # PorterStemmer() in its default mode); it needs no NLTK data.
    from nltk.stem import porter

    return porter.PorterStemmer().stem


def _c_or_nltk(token: str) -> str:
    # The C port covers the [a-z0-9]+ tokens the rouge-score tokenizer makes
    # (tests check it against NLTK word for word); anything else goes to NLTK.
    if _C_WORD.fullmatch(token):
        return native.porter_stem(token)
    return _nltk_porter()(token)


def porter_stemmer():
    """NLTK's `PorterStemmer().stem`, in C where the core is built (some 50 times faster)."""
    return _c_or_nltk if native.ENABLED else _nltk_porter()


@lru_cache(maxsize=100_000)
def porter_stem(token: str) -> str:
    """The Porter stem of one lowercased token, memoized (for the summarizers' term vectors)."""
    return porter_stemmer()(token)


def get_tokenizer(name: str, use_stemmer: bool) -> Tokenizer:
    """The tokenizer `--tokenizer NAME` means, with Porter stemming when `use_stemmer`."""
    try:
        cls = _CLASSES[name]
    except KeyError:
        raise ValueError(f"unknown tokenizer {name!r}; choose from {', '.join(_CLASSES)}") from None
    return cls(porter_stemmer() if use_stemmer else None)


def make_engine(rouge_types: Sequence[str], tokenizer: Tokenizer) -> Engine:
    """The native engine where it is built and enabled, else the pure-Python one."""
    return native.NativeEngine(rouge_types, tokenizer) if native.ENABLED else Engine(rouge_types, tokenizer)
