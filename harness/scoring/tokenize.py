"""Tokenizers: text -> the tokens ROUGE counts.

`rouge-score` (the default) is rouge-score 0.1.2's tokenizer, token for
token: lowercase, every run of characters outside [a-z0-9] is a separator,
and with stemming NLTK's Porter stemmer is applied to tokens longer than three
characters. It is what every published rouge-score number was computed with,
but it deletes every letter outside ASCII: Russian, Chinese or accented words
vanish or break into pieces, and such texts score near 0. `lost_letters`
tells when that happened so the harness can warn.

`unicode` keeps letters and digits of every script: the text is NFKC
normalized and case folded, tokens are runs of Unicode letters, digits and
combining marks, and each Han ideograph or kana is a token of its own (those
scripts do not separate words with spaces). Stemming, when on, applies the
same Porter rule to tokens that are ASCII [a-z0-9] only, so English text
tokenizes as with `rouge-score` except for accented letters, which are kept.

This module is a leaf: the stemmer is handed in (`RougeScoreTokenizer(stem)`),
and `harness.scoring.backend` chooses it. Stemming is memoized per token: rouge-score re-stems every occurrence, which
is most of its running time; the stemmer is a pure function of the token, so
the memo changes no result.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

# rouge-score: text.lower(), then runs of [a-z0-9] are the tokens (its
# sub-then-split-then-filter comes down to exactly this; see
# rouge_score/tokenize.py). Done here with bytes.translate, which is several
# times faster than a regex: A-Z become a-z, a-z and 0-9 stay, "\n" stays (it
# separates rougeLsum's sentences), every other byte becomes a space.
# Non-ASCII characters are separators too, once lowercased, except two whose
# lowercase holds an ASCII letter: U+0130 (-> "i" + a combining dot, itself a
# separator) and the Kelvin sign U+212A (-> "k").
_BYTES = bytearray(b" " * 256)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789\n":
    _BYTES[_c] = _c
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _BYTES[_c] = _c + 32
_BYTES = bytes(_BYTES)


def ascii_folded(text: str) -> str:
    """`text` lowercased with every character other than [a-z0-9] and "\\n" replaced by a space."""
    if text.isascii():
        b = text.encode("ascii")
    else:
        if "\u0130" in text:
            text = text.replace("\u0130", "i ")
        if "\u212a" in text:
            text = text.replace("\u212a", "k")
        b = text.encode("ascii", "replace")  # one "?" per other character: a separator
    return b.translate(_BYTES).decode("ascii")


_VALID_TOKEN = re.compile(r"^[a-z0-9]+$")  # rouge-score's final filter, applied after stemming

# Scripts written without spaces between words: one token per character.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_UNICODE_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_UNICODE_TOKEN_OR_NEWLINE = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+|\n")
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


class StemMemo(dict):
    """token -> token as rouge-score emits it: `stem(token)` when longer than 3 chars.

    A token whose stem fails rouge-score's validity check maps to "" and is
    dropped by the caller (it never happens with NLTK's Porter stemmer on
    [a-z0-9]+ input, but rouge-score checks, so we do too).
    """

    def __init__(self, stem: Callable[[str], str]):
        super().__init__()
        self._stem = stem
        self.invalid = False

    def __missing__(self, token: str) -> str:
        out = self._stem(token) if len(token) > 3 else token
        if not _VALID_TOKEN.match(out):
            out, self.invalid = "", True
        self[token] = out
        return out


_MEMOS: dict[Callable[[str], str], StemMemo] = {}


def stem_memo(stem: Callable[[str], str]) -> StemMemo:
    """The process's one memo of `stem` (a stemmer is a pure function of the token)."""
    memo = _MEMOS.get(stem)
    if memo is None:
        memo = _MEMOS[stem] = StemMemo(stem)
    return memo


class Tokenizer:
    """`tokens(text) -> list[str]`; `name` goes into the signature.

    `stemmer` (a function of one lowercased token, or None) is handed in, as
    in rouge-score's `tokenize(text, stemmer)`: harness.scoring.backend
    passes the Porter stemmer of the C core or NLTK's.
    """

    name = "?"

    def __init__(self, stemmer: Callable[[str], str] | None = None) -> None:
        self.stemmer = stemmer
        self._memo = stem_memo(stemmer) if stemmer is not None else None

    @property
    def use_stemmer(self) -> bool:
        return self.stemmer is not None

    def tokens(self, text: str) -> list[str]:
        raise NotImplementedError

    def lines(self, text: str) -> list[list[str]]:
        """The tokens of each line ("\\n"-separated) of `text`, in one pass over the text.

        Lines tokenize independently (a line break separates tokens in both
        tokenizers), so this equals `[self.tokens(l) for l in text.split("\\n")]`.
        """
        toks = self._with_newlines(text)
        out = []
        start = 0
        index = toks.index
        try:
            while True:
                i = index("\n", start)
                out.append(toks[start:i])
                start = i + 1
        except ValueError:
            out.append(toks[start:])
        return out

    def _with_newlines(self, text: str) -> list[str]:
        raise NotImplementedError

    # rouge-score's RougeScorer accepts any object with a `tokenize` method,
    # so the reference engine can run with our tokenizers too.
    def tokenize(self, text: str) -> list[str]:
        return self.tokens(text)

    def _stemmed(self, toks: list[str]) -> list[str]:
        memo = self._memo
        out = list(map(memo.__getitem__, toks))
        return [t for t in out if t] if memo.invalid else out


class RougeScoreTokenizer(Tokenizer):
    """rouge-score 0.1.2's tokenizer, reproduced exactly (and faster)."""

    name = "rouge-score"

    def tokens(self, text: str) -> list[str]:
        toks = ascii_folded(text).split()
        return self._stemmed(toks) if self._memo is not None else toks

    def lines(self, text: str) -> list[list[str]]:
        lines = ascii_folded(text).split("\n")
        memo = self._memo
        if memo is None:
            return [line.split() for line in lines]
        get = memo.__getitem__
        out = [list(map(get, line.split())) for line in lines]
        return [[t for t in line if t] for line in out] if memo.invalid else out


class UnicodeTokenizer(Tokenizer):
    """Letters and digits of every script (NFKC, case folded); see module doc."""

    name = "unicode"

    def tokens(self, text: str) -> list[str]:
        return self._stem_ascii(_UNICODE_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))

    def _with_newlines(self, text: str) -> list[str]:
        return self._stem_ascii(_UNICODE_TOKEN_OR_NEWLINE.findall(unicodedata.normalize("NFKC", text).casefold()))

    def _stem_ascii(self, toks: list[str]) -> list[str]:
        if self._memo is None:
            return toks
        memo = self._memo
        out = [memo[t] if t.isascii() and t.isalnum() else t for t in toks]
        return [t for t in out if t] if memo.invalid else out


def lost_letters(text: str, min_letters: int = 8) -> float:
    """Fraction of the letters in `text` that rouge-score's tokenizer deletes.

    0.0 for ASCII text (checked in C, so the common case costs nothing); for
    other text, the share of letters outside A-Z/a-z, counted only when there
    are at least `min_letters` of them (a name with one accent is no reason
    to warn).
    """
    if text.isascii():
        return 0.0
    kept = len(_ASCII_LETTER.findall(text))
    lost = len(_LETTER.findall(text)) - kept
    if lost < min_letters:
        return 0.0
    return lost / (lost + kept)
