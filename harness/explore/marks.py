"""Which tokens ROUGE counted: the marks of the explorer page, from the scorer's own tokens.

Everything here works on the tokens `harness.scoring.tokenize` gives (the
scorer's tokenizer and Porter stemmer, so "running" and "runs" match where
ROUGE matched them) and returns *pairs* `(summary position, reference
position)` of flat token indices, one pair per hit ROUGE counted:

- rougeN: hits are the clipped n-gram counts, sum over grams of
  min(count in summary, count in reference) (rouge-score's `_score_ngrams`).
  ROUGE counts, it does not align: the k-th occurrence of a gram in the
  summary is paired with its k-th occurrence in the reference, so the marks
  fall on the first min(...) occurrences. A pair holds the n-gram's first
  token on each side.
- rougeL: one longest common subsequence, the one rouge-score's
  `_backtrack_norec` walks to (diagonal on equal tokens, else left when the
  cell to the left is strictly larger, else up).
- rougeLsum: rouge-score's `_summary_level_lcs`: for each reference sentence
  the union of its LCS positions with every summary sentence, then each
  union token counts while the token is still unused in both texts. Those
  counted reference tokens are exactly ROUGE's. The summary occurrence a hit
  is paired with is one aligned with it by some sentence's LCS when one is
  still free, else the first free occurrence of the token (ROUGE only
  decrements a count there).

`stats(pairs)` gives back the engine's `(hits, summary count, reference
count)`; tests check them against `harness.scoring.engine` on random and
adversarial texts. The page's script (page.js) computes the same pairs from
the token ids the page holds, for the example on screen only (the page then
costs little to write, whatever the number of references); this module is
their reference: the browser tests check the page's marks against it and
against the engine's counts, position for position.

`token_spans` maps tokens to character spans of the text as displayed,
checked token for token against the tokenizer; `novel_mask` and
`chosen_spans` give the novel n-grams and the extracted sentences the page
marks.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from itertools import chain
from typing import Sequence

from ..scoring.tokenize import Tokenizer, _UNICODE_TOKEN

Pairs = list[int]  # flat: summary position, reference position, summary position, ...

# rouge-score's tokens in the original text: runs of ASCII letters and digits.
# Two non-ASCII letters lowercase to ASCII in `tokenize._ascii_folded`: the
# Kelvin sign (-> "k", part of a word) and U+0130 (-> "i" and a combining dot,
# which ends the word).
_ASCII_WORD = re.compile("[A-Za-z0-9\u212a]+\u0130?|\u0130")


def _ngrams(tokens: Sequence[str], n: int):
    """The n-grams of `tokens` as tuples, in order (built in C by zip)."""
    return zip(*[tokens[k:] for k in range(n)])


class Tokens:
    """A text as scored: its flat tokens and its sentences (rougeLsum's lines) as token lists.

    As a reference it keeps what every summary scored against it reuses: its
    n-gram positions, the match masks of each sentence, and the LCS pairs
    already found (summaries of different systems often share sentences).
    """

    __slots__ = ("flat", "sents", "_positions", "_masks", "_lcs")

    def __init__(self, flat: list[str], sents: list[list[str]]) -> None:
        self.flat, self.sents = flat, sents
        self._positions: dict[int, dict] = {}
        self._masks: dict[int, dict[str, int]] = {}
        self._lcs: dict[tuple, list[tuple[int, int]]] = {}

    def positions(self, n: int) -> dict[tuple[str, ...], list[int]]:
        """n-gram -> its start positions, in order."""
        at = self._positions.get(n)
        if at is None:
            at = self._positions[n] = defaultdict(list)
            for i, gram in enumerate(_ngrams(self.flat, n)):
                at[gram].append(i)
        return at

    def lcs(self, sentence: int, summary: Sequence[str]) -> list[tuple[int, int]]:
        """`lcs_pairs` of one of these sentences (-1: the whole text) with `summary`, memoized."""
        key = (sentence, tuple(summary))
        found = self._lcs.get(key)
        if found is None:
            masks = self._masks.get(sentence)
            ref = self.flat if sentence < 0 else self.sents[sentence]
            if masks is None:
                masks = self._masks[sentence] = match_masks(ref)
            found = self._lcs[key] = lcs_pairs(ref, summary, masks)
        return found


def scored_tokens(tokenizer: Tokenizer, prepared: str) -> Tokens:
    """The tokens of a text prepared as the scorer prepares it (sentences on lines)."""
    sents = tokenizer.lines(prepared)
    return Tokens(list(chain.from_iterable(sents)), sents)


def _words(tokenizer: Tokenizer, raw: list[str]) -> list[str] | None:
    """The token each raw word becomes (stemmed), or None if some word does not give exactly one."""
    out = tokenizer.tokens(" ".join(raw))
    if len(out) == len(raw):
        return out
    per = [tokenizer.tokens(w) for w in raw]
    return None if any(len(p) != 1 for p in per) else [p[0] for p in per]


def _unicode_candidates(text: str) -> tuple[list[str], list[tuple[int, int]]] | None:
    """Raw tokens and spans for the unicode tokenizer: NFKC and case folding char by char.

    Exact when normalizing each character alone gives the normalization of the
    whole text (no composition across characters); else None.
    """
    pieces = [unicodedata.normalize("NFKC", c).casefold() for c in text]
    norm = "".join(pieces)
    if norm != unicodedata.normalize("NFKC", text).casefold():
        return None
    origin: list[int] = []  # normalized index -> original index
    for i, p in enumerate(pieces):
        origin.extend([i] * len(p))
    origin.append(len(text))
    raw, spans = [], []
    for m in _UNICODE_TOKEN.finditer(norm):
        raw.append(m.group())
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        spans.append((start, end))
    return raw, spans


def token_spans(tokenizer: Tokenizer, text: str, tokens: Sequence[str]) -> list[tuple[int, int]] | None:
    """Character spans in `text` of its tokens, which must equal `tokens` (the scored ones).

    None when the tokens of `text` differ from `tokens` (a text changed on
    its way to the scorer) or cannot be placed in it exactly.
    """
    if tokenizer.name == "rouge-score":
        matches = list(_ASCII_WORD.finditer(text))
        raw, spans = [m.group() for m in matches], [m.span() for m in matches]
    else:
        found = _unicode_candidates(text)
        if found is None:
            return None
        raw, spans = found
    words = _words(tokenizer, raw) if raw else []
    if words is None or words != list(tokens):
        return None
    return spans


# --- rougeN --------------------------------------------------------------------------------------

def ngram_pairs(summary: Tokens, reference: Tokens, n: int) -> Pairs:
    """Clipped n-gram hits: the k-th occurrence in the summary with the k-th in the reference."""
    ref_at = reference.positions(n)
    out = []
    for gram, mine in summary.positions(n).items():
        theirs = ref_at.get(gram)
        if theirs:
            out.extend(zip(mine, theirs))
    out.sort()
    return list(chain.from_iterable(out))


# --- rougeL and rougeLsum ------------------------------------------------------------------------

def match_masks(reference: Sequence[str]) -> dict[str, int]:
    """token -> the bits of its positions in `reference`."""
    masks: dict[str, int] = {}
    for i, tok in enumerate(reference):
        masks[tok] = masks.get(tok, 0) | (1 << i)
    return masks


def lcs_pairs(reference: Sequence[str], summary: Sequence[str],
              masks: dict[str, int] | None = None) -> list[tuple[int, int]]:
    """The LCS rouge-score's `lcs_ind` finds, as (reference position, summary position) pairs.

    rouge-score fills the table t (t[i][j] = t[i-1][j-1] + 1 on equal tokens,
    else max(t[i-1][j], t[i][j-1])) and walks back from the corner: diagonal
    on equal tokens, else left when t[i][j-1] > t[i-1][j], else up. Here the
    table is held as bit columns (Allison-Dix / Hyyro 2004): bit i-1 of
    `steps[j]` is set where t[i][j] = t[i-1][j] + 1. On unequal tokens the
    cell is the larger of its two neighbours and the two differ by at most
    one, so "left is larger" is exactly "up is one less", that bit. The walk
    never reads a cell, and a run of steps up is one jump: a few integer
    operations per LCS token and per step left.
    """
    m, n = len(reference), len(summary)
    if not m or not n:
        return []
    masks = match_masks(reference) if masks is None else masks
    get = masks.get
    full = (1 << m) - 1
    v = full
    steps = [0]
    for tok in summary:
        u = v & get(tok, 0)
        v = ((v + u) | (v - u)) & full
        steps.append(full ^ v)
    out = []
    i, j = m, n
    while i > 0 and j > 0:
        # Up the column while the tokens differ and the bit is clear: jump to the first row
        # (from i down) where the tokens are equal or the bit is set; none left: the walk is done.
        tok = summary[j - 1]
        stops = (get(tok, 0) | steps[j]) & ((1 << i) - 1)
        if not stops:
            break
        i = stops.bit_length()
        if reference[i - 1] == tok:
            out.append((i - 1, j - 1))
            i -= 1
        j -= 1
    out.reverse()
    return out


def lcs_summary_pairs(summary: Tokens, reference: Tokens) -> Pairs:
    """rougeL hits as flat (summary position, reference position) pairs."""
    return list(chain.from_iterable((j, i) for i, j in reference.lcs(-1, summary.flat)))


def _offsets(sents: Sequence[Sequence[str]]) -> list[int]:
    out, pos = [], 0
    for s in sents:
        out.append(pos)
        pos += len(s)
    return out


def lsum_pairs(summary: Tokens, reference: Tokens) -> Pairs:
    """rougeLsum hits (see the module docstring) as flat (summary, reference) pairs over flat positions."""
    summary_sents, reference_sents = summary.sents, reference.sents
    flat_c, flat_r = summary.flat, reference.flat
    if not flat_c or not flat_r:
        return []
    left_c, left_r = Counter(flat_c), Counter(flat_r)
    c_off, r_off = _offsets(summary_sents), _offsets(reference_sents)
    hits: list[tuple[int, list[int]]] = []  # (reference position, summary positions aligned with it)
    for k, (r_start, ref) in enumerate(zip(r_off, reference_sents)):
        if not ref:
            continue
        aligned: dict[int, list[int]] = defaultdict(list)
        for c_start, cand in zip(c_off, summary_sents):
            for i, j in reference.lcs(k, cand):
                aligned[i].append(c_start + j)
        for i in sorted(aligned):
            tok = ref[i]
            if left_c[tok] > 0 and left_r[tok] > 0:
                left_c[tok] -= 1
                left_r[tok] -= 1
                hits.append((r_start + i, aligned[i]))
    free: dict[str, list[int]] = defaultdict(list)
    for j, tok in enumerate(flat_c):
        free[tok].append(j)
    used: set[int] = set()
    out = []
    for rp, candidates in hits:
        j = next((c for c in candidates if c not in used), None)
        if j is None:
            j = next(c for c in free[flat_r[rp]] if c not in used)
        used.add(j)
        out.append((j, rp))
    out.sort()
    return list(chain.from_iterable(out))


# --- all types -----------------------------------------------------------------------------------

def pairs_for(rouge_type: str, summary: Tokens, reference: Tokens) -> Pairs:
    """The hits of one ROUGE type, as flat (summary position, reference position) pairs."""
    if rouge_type == "rougeLsum":
        return lsum_pairs(summary, reference)
    if rouge_type == "rougeL":
        return lcs_summary_pairs(summary, reference)
    return ngram_pairs(summary, reference, int(rouge_type[5:]))


def stats(rouge_type: str, pairs: Pairs, summary: Tokens, reference: Tokens) -> tuple[int, int, int]:
    """The engine's `(hits, summary count, reference count)` for these pairs."""
    if rouge_type in ("rougeL", "rougeLsum"):
        return len(pairs) // 2, len(summary.flat), len(reference.flat)
    n = int(rouge_type[5:])
    np_, nr = max(len(summary.flat) - n + 1, 0), max(len(reference.flat) - n + 1, 0)
    return (len(pairs) // 2 if np_ and nr else 0), np_, nr


# --- novelty and extraction ----------------------------------------------------------------------

NOVEL_ORDERS = (1, 2, 3)


def source_grams(source: Sequence[str]) -> list[set]:
    """The source's n-grams of each order of `NOVEL_ORDERS` (computed once per example)."""
    return [set(_ngrams(source, n)) for n in NOVEL_ORDERS]


def novel_mask(summary: Sequence[str], grams: list[set]) -> str:
    """Per summary token, a digit: bit n-1 set when the token is in an n-gram absent from the source."""
    bits = [0] * len(summary)
    for n, seen in zip(NOVEL_ORDERS, grams):
        for i, gram in enumerate(_ngrams(summary, n)):
            if gram not in seen:
                for k in range(i, i + n):
                    bits[k] |= 1 << (n - 1)
    return "".join(map(str, bits))


def chosen_spans(summary_sents: Sequence[str], source: str) -> list[tuple[int, int]] | None:
    """Where an extractive summary's sentences are in the source (sorted), or None if one is not verbatim there."""
    out = []
    for s in summary_sents:
        s = s.strip()
        if not s:
            continue
        i = source.find(s)
        if i < 0:
            return None
        out.append((i, i + len(s)))
    return sorted(set(out)) or None
