"""The harness engine on its native core: the same statistics, computed in C.

`_rouge.c` scores token ids: each text is tokenized once (rouge-score's
tokenizer and Porter stemmer, both in C, memoized per token in a C table;
other tokenizers in Python) into an int32 array of ids, equal ids for equal
terms, plus its line lengths (rougeLsum's sentences). ROUGE only ever compares tokens for equality, so the counts over
ids are rouge-score's counts. The C core then computes every `(hits, summary
count, reference count)` triple of a pair in one call: rougeN by sorted
n-gram keys, rougeL by bit-parallel LCS, rougeLsum by replaying rouge-score's
LCS tables and backtracking.

The extension is built with the package when a C compiler is there (see
setup.py); without it, or with `HARNESS_NATIVE=0` in the environment, the
pure-Python `Engine` runs instead (the choice is made in `backend`). Both give identical numbers (the parity
tests run both).
"""
from __future__ import annotations

import os
from array import array
from typing import Callable, Sequence

from .engine import Engine
from .tokenize import RougeScoreTokenizer, Tokenizer, ascii_folded

try:
    from . import _rouge
except ImportError:  # built without a C compiler
    _rouge = None

AVAILABLE = _rouge is not None
ENABLED = AVAILABLE and os.environ.get("HARNESS_NATIVE", "1") != "0"

# NLTK's PorterStemmer().stem in C, for [a-z0-9]+ words only (None when not built)
porter_stem = _rouge.porter_stem if AVAILABLE else None



class _Ids(dict):
    """token -> id (for tokenizers other than rouge-score's, whose ids come from C).

    Ids are this process's own: texts scored against each other are always
    encoded in the same process.
    """

    def __init__(self, term: Callable[[str], str]) -> None:  # term(token) -> what it counts as, "" to drop
        super().__init__()
        self._term = term
        self._vocab: dict[str, int] = {}

    def __missing__(self, token: str) -> int:
        term = self._term(token)
        i = self._vocab.setdefault(term, len(self._vocab)) if term else -1
        self[token] = i
        return i


_IDS: dict[tuple[str, bool], _Ids] = {}
_VOCABS: dict[tuple[str, bool], object] = {}


def _vocab_for(tokenizer: RougeScoreTokenizer):
    """rouge-score's tokenizer (and stemmer) in C: one table per process and stemming choice."""
    key = (tokenizer.name, tokenizer.use_stemmer)
    vocab = _VOCABS.get(key)
    if vocab is None:
        vocab = _VOCABS[key] = _rouge.Vocab(tokenizer.use_stemmer)
    return vocab


def _ids_for(tokenizer: Tokenizer) -> _Ids:
    """Other tokenizers hand over their final (already stemmed) tokens: ids in Python."""
    key = (tokenizer.name, tokenizer.use_stemmer)
    ids = _IDS.get(key)
    if ids is None:
        ids = _IDS[key] = _Ids(str)
    return ids


class NativeText:
    """A text as the C core reads it: int32 token ids and the number of tokens on each line."""

    __slots__ = ("ids", "lens")

    def __init__(self, ids: bytes, lens: bytes) -> None:
        self.ids = ids
        self.lens = lens


class NativeEngine(Engine):
    """`Engine` with `text` and `stats` in C; everything else (scoring rules, P/R/F) is shared."""

    def __init__(self, rouge_types: Sequence[str], tokenizer: Tokenizer) -> None:
        if _rouge is None:
            raise RuntimeError("the native ROUGE core is not built (no C compiler at install time)")
        super().__init__(rouge_types, tokenizer)
        self._code = array("b", self._plan).tobytes()
        self._fold = isinstance(tokenizer, RougeScoreTokenizer)
        if self._fold:
            self._encode = _vocab_for(tokenizer).encode
        else:
            self._ids = _ids_for(tokenizer)

    def text(self, text: str) -> NativeText:
        if self._fold:
            return NativeText(*self._encode(text if text.isascii() else ascii_folded(text)))
        get = self._ids.__getitem__
        ids, lens = array("i"), array("i")
        for line in self._lines(text):
            ids.extend(map(get, line))
            lens.append(len(line))
        return NativeText(ids.tobytes(), lens.tobytes())

    def stats(self, ref: NativeText, pred: NativeText) -> list:
        return _rouge.stats(ref.ids, ref.lens, pred.ids, pred.lens, self._code)

    def scores(self, ref: NativeText, pred: NativeText) -> list[float]:
        return _rouge.scores(ref.ids, ref.lens, pred.ids, pred.lens, self._code)
