"""The harness's own ROUGE engine: rouge-score's numbers, computed faster.

Like sacrebleu, it reduces every (reference, summary) pair to sufficient
statistics once: per ROUGE type a triple `(hits, summary count, reference
count)`. Precision, recall and F of every multi-reference rule, and the
pooled counts of ROUGE-1.5.5, all derive from these triples (see
`harness.scoring.multiref`), with rouge-score's exact float operations:

    precision = hits / summary count   (0.0 when the count is 0)
    recall    = hits / reference count (0.0 when the count is 0)
    F         = 2 * precision * recall / (precision + recall)   (0.0 when both are 0)

What each triple counts, as rouge-score 0.1.2 does:

- rougeN: hits = size of the multiset intersection of the two texts' n-grams;
  counts = number of n-grams (tokens - n + 1, at least 0).
- rougeL: hits = length of the longest common subsequence of the two token
  lists; counts = number of tokens.
- rougeLsum: sentences are the lines of a text (split on "\\n" only). For
  each reference sentence, take the union of the reference positions of one
  LCS with every summary sentence (the LCS rouge-score's backtracking picks);
  a token of that union counts as a hit while the token is still unused in
  both texts (the clipping of ROUGE-1.5.5). Counts = tokens over all sentences.

Why it is fast, in pure Python:

- Each text is tokenized once, with bytes.translate rather than a regex, and
  stemming memoized (see `tokenize.py`); a reference's structures are built
  once for every system scored against it.
- n-gram multisets are Counters, intersected with C-level set and map
  operations (no Python loop per gram).
- The LCS is bit-parallel (Allison-Dix / Hyyro 2004): one bit per reference
  token, a few integer operations per summary token, on Python's big ints.
- rougeLsum runs that LCS against all reference sentences at once: they are
  packed into one integer with a zero guard bit between sentences, which
  stops carries crossing from one sentence into the next. rouge-score's
  backtracking (take the diagonal on a match, else go up unless the cell to
  the left is strictly larger) is replayed on the stored bit columns with
  one step per LCS token instead of one per DP cell (see `_lsum_hits`).
- One positional index of the reference serves rouge1 (a token's count is
  its mask's bit count), rougeL and rougeLsum.
- A summary sentence's LCS positions in a reference are kept with the
  reference: extractive systems share sentences, and those are computed once.
"""
from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from itertools import chain
from typing import Iterable, Iterator, NamedTuple, Sequence

from .tokenize import Tokenizer

Stats = tuple[int, int, int]  # (hits, summary count, reference count)


# How each ROUGE type is computed, one small int per type (the C core reads the same codes):
# n > 0 for rougeN, LCS for rougeL, SUMMARY_LCS for rougeLsum.
LCS, SUMMARY_LCS = -1, 0


def plan_code(rouge_type: str) -> int:
    if rouge_type == "rougeLsum":
        return SUMMARY_LCS
    if rouge_type == "rougeL":
        return LCS
    return int(rouge_type[5:])


class RefIndex(NamedTuple):
    """A reference's positional index (see `Text.index`)."""

    masks: dict[str, int]         # token -> the bits of its positions (bit count = its count)
    sentence_bits: int            # every token bit, guards excluded
    token_at: list[str | None]    # the token at each bit (None at a guard)
    sentence_masks: list[int]     # per non-empty sentence, its bits
    all_bits: int                 # every bit, guards included


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around a burst of scoring.

    Scoring allocates many small containers (Counters, tuples, dicts) and
    keeps prepared references alive, so the collector would repeatedly scan
    them; that doubles the run time. None of them form reference cycles, so
    reference counting frees them all the same.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def prf(hits: int, n_pred: int, n_ref: int) -> tuple[float, float, float]:
    """Precision, recall and F from sufficient statistics, with rouge-score's float operations."""
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_ref if n_ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


def _overlap(a: Counter, b: Counter) -> int:
    """Size of the multiset intersection: sum over common grams of the smaller count (all loops in C)."""
    common = a.keys() & b.keys()
    return sum(map(min, map(a.__getitem__, common), map(b.__getitem__, common))) if common else 0


def _ngrams(tokens: list[str], n: int):
    if n == 1:
        return tokens
    return zip(*[tokens[i:] for i in range(n)])


class Text:
    """A tokenized text with the structures its role needs, built on demand and kept.

    As a reference: n-gram Counters and the positional index (`index`). As a
    summary: n-gram Counters and per-sentence token positions. A text can
    play both roles.
    """

    __slots__ = ("tokens", "sents", "_grams", "_index", "_sentpos", "_unions")

    def __init__(self, tokens: list[str] | None, sents: list[list[str]] | None) -> None:
        self.tokens = tokens  # all tokens (None when only rougeLsum is scored)
        self.sents = sents    # tokens per line (None when rougeLsum is not scored)
        self._grams: dict[int, Counter] = {}
        self._index = None
        self._sentpos = None
        self._unions: dict[tuple, int] = {}  # as a reference: summary sentence -> its LCS positions here

    def grams(self, n: int) -> Counter:
        """n-gram counts; `grams(1)` also serves rougeLsum's clipping."""
        g = self._grams.get(n)
        if g is None:
            src = self.tokens if self.tokens is not None else chain.from_iterable(self.sents)
            g = self._grams[n] = Counter(_ngrams(src, n) if n > 1 else src)
        return g

    def index(self) -> RefIndex:
        """The reference side's positional index.

        Bit layout of the reference side: sentence s occupies bits
        [start_s, start_s + len_s) and bit start_s + len_s is a guard, a
        position no token matches. `masks[token]` has the bits of the token's
        positions; the number of bits of `masks[token]` is its count.

        rougeLsum runs its LCS with the guards held at 0, so no carry crosses
        from one sentence into the next. rougeL runs the plain LCS over all
        bits: a guard is just a reference token that never matches, which
        leaves the LCS unchanged. One index serves rouge1, rougeL and rougeLsum.
        """
        if self._index is None:
            masks: dict[str, int] = {}
            at: list[str | None] = []
            segs: list[int] = []
            pos = 0
            for toks in (self.sents if self.sents is not None else [self.tokens]):
                if not toks:
                    continue
                start = pos
                for t in toks:
                    masks[t] = masks.get(t, 0) | (1 << pos)
                    pos += 1
                at.extend(toks)
                at.append(None)
                segs.append((1 << pos) - (1 << start))
                pos += 1
            self._index = RefIndex(masks, sum(segs), at, segs, (1 << pos) - 1)
        return self._index

    def sentence_positions(self) -> list:
        """Per non-empty line: (tokens, tokens reversed, tokens as a tuple)."""
        if self._sentpos is None:
            self._sentpos = [(toks, toks[::-1], tuple(toks)) for toks in self.sents if toks]
        return self._sentpos


def _unigram_overlap(ref: Text, pred: Text) -> int:
    """rouge1 hits from the reference index (token counts = mask bit counts), all loops in C."""
    masks = ref.index().masks
    counts = pred.grams(1)
    common = masks.keys() & counts.keys()
    return sum(map(min, map(int.bit_count, map(masks.__getitem__, common)), map(counts.__getitem__, common)))


def _lcs_length(ref: Text, pred: Text) -> int:
    """Bit-parallel LCS length (Hyyro 2004): bit i of V is 0 where the DP column steps up at row i."""
    if not ref.tokens or not pred.tokens:
        return 0
    index = ref.index()
    masks, full = index.masks, index.all_bits
    v = full
    for m in filter(None, map(masks.get, pred.tokens)):
        u = v & m
        v = (v + u) | (v ^ u)  # v ^ u == v - u, since u is a subset of v
    return full.bit_count() - (v & full).bit_count()


def _lsum_hits(ref: Text, pred: Text) -> Stats:
    """rougeLsum sufficient statistics, identical to rouge-score's `_summary_level_lcs`.

    For each summary sentence c, one forward pass computes the DP columns
    V_0..V_|c| against all reference sentences at once. Then, per reference
    sentence with a non-empty LCS, rouge-score's backtracking from the corner
    is replayed. In a column j it walks up while the value stays and the
    tokens differ, so it stops at the highest row k (below its current row)
    where either the tokens match (take it: record k, go diagonal) or the
    value steps down (that row's token is the next LCS token; the path then
    moves left along that row, taking nothing, to the nearest column on the
    left holding the same token, where it records k and goes diagonal). Both
    cases cost a few integer operations, once per LCS token.

    The recorded positions, over all summary sentences, form the union LCS of
    each reference sentence. rouge-score then counts a union token as a hit
    while the token is unused in both texts; per token that is
    min(times in the unions, count in the summary), since a union never holds
    a token more often than the reference does.
    """
    n = sum(map(len, pred.sents))
    m = sum(map(len, ref.sents))
    if not m or not n:
        return 0, n, m
    index = ref.index()
    masks, full, at, segs = index.masks, index.sentence_bits, index.token_at, index.sentence_masks
    get = masks.get
    memo = ref._unions  # a sentence's LCS positions depend on the sentence and the reference only:
    union = 0           # summaries of several systems often share sentences (extractive ones do)
    for entry in pred.sentence_positions():
        known = memo.get(entry[2])
        if known is not None:
            union |= known
            continue
        toks = entry[0]
        mine = 0  # this sentence's LCS positions, in every reference sentence
        # Forward pass. stops[j]: rows where the backtracking stops in column j,
        # i.e. where the tokens match or the column's value steps up.
        v = full
        stops = [0]
        push = stops.append
        for t in toks:
            mt = get(t)
            if mt is None:
                push(full ^ v)
            else:
                u = v & mt
                v = ((v + u) | (v ^ u)) & full
                push(mt | (full ^ v))
        steps = full ^ v  # per reference sentence, popcount = its LCS length with this sentence
        if steps:
            rev = entry[1]
            n_toks = len(toks)
            for seg in segs:
                left = steps & seg
                if not left:
                    continue
                left = left.bit_count()
                rows = seg  # rows the path can still visit
                j = n_toks
                while True:
                    k = (stops[j] & rows).bit_length() - 1
                    mine |= 1 << k
                    left -= 1
                    if not left:
                        break
                    tk = at[k]
                    if tk == toks[j - 1]:
                        j -= 1  # a match: diagonal
                    else:  # value steps down: left along this row to the nearest column holding tk
                        # (the last column before j holding tk, found in C in the reversed tokens)
                        j = n_toks - 1 - rev.index(tk, n_toks - j + 1)
                    rows &= (1 << k) - 1
        memo[entry[2]] = mine
        union |= mine
    if not union:
        return 0, n, m
    counts = pred.grams(1)
    hits = 0
    for t in counts.keys() & masks.keys():
        u = (union & masks[t]).bit_count()
        if u:
            c = counts[t]
            hits += u if u < c else c
    return hits, n, m


class Engine:
    """Sufficient statistics for a fixed list of ROUGE types and a tokenizer."""

    def __init__(self, rouge_types: Sequence[str], tokenizer: Tokenizer) -> None:
        self.rouge_types = tuple(rouge_types)
        self.tokenizer = tokenizer
        self._tokens = tokenizer.tokens
        self._lines = tokenizer.lines
        self._lsum = "rougeLsum" in self.rouge_types
        self._flat = any(t != "rougeLsum" for t in self.rouge_types)
        self._plan = [plan_code(t) for t in self.rouge_types]
        # rougeL / rougeLsum build the reference index anyway; rouge1 then reads counts from it
        self._indexed = "rougeL" in self.rouge_types or self._lsum

    def text(self, text: str) -> Text:
        """Tokenize a text once for any role. rougeLsum sentences are its lines ("\\n" only)."""
        if self._lsum:
            sents = self._lines(text)
            flat = list(chain.from_iterable(sents)) if self._flat else None
            return Text(flat, sents)
        return Text(self._tokens(text), None)

    def stats(self, ref: Text, pred: Text) -> list[Stats]:
        """One `(hits, summary count, reference count)` per ROUGE type, in `rouge_types` order."""
        out: list[Stats] = []
        for n in self._plan:
            if n > 0:
                np_, nr = len(pred.tokens) - n + 1, len(ref.tokens) - n + 1
                np_, nr = max(np_, 0), max(nr, 0)
                if not (np_ and nr):
                    hits = 0
                elif n == 1 and self._indexed:
                    hits = _unigram_overlap(ref, pred)
                else:
                    hits = _overlap(ref.grams(n), pred.grams(n))
                out.append((hits, np_, nr))
            elif n == LCS:
                out.append((_lcs_length(ref, pred), len(pred.tokens), len(ref.tokens)))
            else:
                out.append(_lsum_hits(ref, pred))
        return out

    def scores(self, ref: Text, pred: Text) -> list[float]:
        """[P, R, F of the first type, P, R, F of the second, ...] of one pair."""
        return [x for s in self.stats(ref, pred) for x in prf(*s)]

    def score(self, target: str, prediction: str) -> dict[str, tuple[float, float, float]]:
        """rouge-score's `RougeScorer.score(target, prediction)`, as `{type: (P, R, F)}`."""
        stats = self.stats(self.text(target), self.text(prediction))
        return {t: prf(*s) for t, s in zip(self.rouge_types, stats)}

    def score_pairs(self, targets: Iterable[str], predictions: Iterable[str]) -> list[dict]:
        with gc_paused():
            return [self.score(t, p) for t, p in zip(targets, predictions)]
