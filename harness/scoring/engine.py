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

- Each text is tokenized once (stemming memoized, see `tokenize.py`) and a
  reference's structures are built once for every system scored against it.
- n-gram multisets are stored as sets of `(gram, k)` occurrence keys (the
  k-th occurrence of a gram), so a multiset intersection is one C-level set
  intersection.
- The LCS is bit-parallel (Allison-Dix / Hyyro 2004): one bit per reference
  token, a few integer operations per summary token, on Python's big ints.
- rougeLsum runs that LCS against all reference sentences at once: they are
  packed into one integer with a zero guard bit between sentences, which
  stops carries crossing from one sentence into the next. rouge-score's
  backtracking (take the diagonal on a match, else go up unless the cell to
  the left is strictly larger) is replayed on the stored bit columns with
  one step per LCS token instead of one per DP cell (see `_lsum_hits`).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from .tokenize import Tokenizer

Stats = tuple[int, int, int]  # (hits, summary count, reference count)


def prf(hits: int, n_pred: int, n_ref: int) -> tuple[float, float, float]:
    """Precision, recall and F from sufficient statistics, with rouge-score's float operations."""
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_ref if n_ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


def _occurrences(grams: list) -> set:
    """The multiset `grams` as a set: a gram once, and `(gram, k)` for its k-th occurrence, k >= 2."""
    s = set(grams)
    if len(s) != len(grams):
        for g, k in Counter(grams).items():
            if k > 1:
                s.update([(g, i) for i in range(2, k + 1)])
    return s


def _ngrams(tokens: list[str], n: int) -> list:
    if n == 1:
        return tokens
    return list(zip(*[tokens[i:] for i in range(n)]))


class Text:
    """A tokenized text with the structures its role needs, built on demand.

    As a reference: n-gram occurrence sets, LCS match masks, and the packed
    sentence masks of rougeLsum. As a summary: n-gram occurrence sets and
    per-sentence token positions. A text can play both roles.
    """

    __slots__ = ("tokens", "sents", "_grams", "_lcs", "_lsum_ref", "_lsum_pred")

    def __init__(self, tokens: list[str] | None, sents: list[list[str]] | None) -> None:
        self.tokens = tokens
        self.sents = sents
        self._grams: dict[int, set] = {}
        self._lcs = None
        self._lsum_ref = None
        self._lsum_pred = None

    def grams(self, n: int) -> set:
        g = self._grams.get(n)
        if g is None:
            g = self._grams[n] = _occurrences(_ngrams(self.tokens, n))
        return g

    def lcs_masks(self) -> dict[str, int]:
        """token -> bit mask of its positions (bit i = token i)."""
        if self._lcs is None:
            masks: dict[str, int] = {}
            for i, t in enumerate(self.tokens):
                masks[t] = masks.get(t, 0) | (1 << i)
            self._lcs = masks
        return self._lcs

    def lsum_ref(self):
        """(masks, all-sentence mask, token at each bit, one mask per sentence, token count).

        Sentence s occupies bits [start_s, start_s + len_s); bit start_s + len_s
        is a guard that is always 0, so carries never cross sentences.
        """
        if self._lsum_ref is None:
            masks: dict[str, int] = {}
            at: list[str | None] = []
            segs: list[int] = []
            pos = 0
            for toks in self.sents:
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
            self._lsum_ref = (masks, sum(segs), at, segs, pos - len(segs))
        return self._lsum_ref

    def lsum_pred(self):
        """([(sentence tokens, token -> position mask)], token counts, token count)."""
        if self._lsum_pred is None:
            sents = []
            for toks in self.sents:
                if not toks:
                    continue
                pm: dict[str, int] = {}
                for j, t in enumerate(toks):
                    pm[t] = pm.get(t, 0) | (1 << j)
                sents.append((toks, pm))
            counts = Counter()
            for toks, _ in sents:
                counts.update(toks)
            self._lsum_pred = (sents, counts, sum(len(t) for t, _ in sents))
        return self._lsum_pred


def _lcs_length(ref: Text, pred: Text) -> int:
    """Bit-parallel LCS length (Hyyro 2004): bit i of V is 0 where the DP column steps up at row i."""
    n = len(ref.tokens)
    if not n or not pred.tokens:
        return 0
    full = (1 << n) - 1
    v = full
    for m in filter(None, map(ref.lcs_masks().get, pred.tokens)):
        u = v & m
        v = (v + u) | (v ^ u)  # v ^ u == v - u, since u is a subset of v
    return n - (v & full).bit_count()


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
    """
    masks, full, at, segs, m = ref.lsum_ref()
    sents, counts, n = pred.lsum_pred()
    if not m or not n:
        return 0, n, m
    get = masks.get
    union = 0  # reference positions in some sentence's union LCS
    for toks, pos in sents:
        # Forward pass. stops[j]: rows where the backtracking stops in column j,
        # i.e. where the tokens match or the column's value steps up.
        v = full
        stops = [0]
        for t in toks:
            mt = get(t)
            if mt is None:
                stops.append(full ^ v)
            else:
                u = v & mt
                v = ((v + u) | (v ^ u)) & full
                stops.append(mt | (full ^ v))
        steps = full ^ v  # per reference sentence, popcount = its LCS length with this sentence
        if not steps:
            continue
        for seg in segs:
            left = (steps & seg).bit_count()
            if not left:
                continue
            rows = seg  # rows the path can still visit
            j = len(toks)
            while True:
                k = (stops[j] & rows).bit_length() - 1
                union |= 1 << k
                left -= 1
                if not left:
                    break
                tk = at[k]
                if tk == toks[j - 1]:
                    j -= 1  # a match: diagonal
                else:  # value steps down: left along this row to the nearest column holding tk
                    j = (pos[tk] & ((1 << (j - 1)) - 1)).bit_length() - 1
                rows &= (1 << k) - 1
    hits = 0
    if union:
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
        self._lsum = "rougeLsum" in self.rouge_types
        self._flat = any(t != "rougeLsum" for t in self.rouge_types)
        plan = []
        for t in self.rouge_types:
            if t == "rougeLsum":
                plan.append((0, None))
            elif t == "rougeL":
                plan.append((1, None))
            else:
                plan.append((2, int(t[5:])))
        self._plan = plan

    def text(self, text: str) -> Text:
        """Tokenize a text once for any role. rougeLsum sentences are its lines ("\\n" only)."""
        if self._lsum:
            sents = [self._tokens(s) for s in text.split("\n") if s]
            flat = [t for s in sents for t in s] if self._flat else None
            return Text(flat, sents)
        return Text(self._tokens(text), None)

    def stats(self, ref: Text, pred: Text) -> list[Stats]:
        """One `(hits, summary count, reference count)` per ROUGE type, in `rouge_types` order."""
        out: list[Stats] = []
        for kind, n in self._plan:
            if kind == 2:
                np_, nr = len(pred.tokens) - n + 1, len(ref.tokens) - n + 1
                np_, nr = max(np_, 0), max(nr, 0)
                hits = len(ref.grams(n) & pred.grams(n)) if np_ and nr else 0
                out.append((hits, np_, nr))
            elif kind == 1:
                out.append((_lcs_length(ref, pred), len(pred.tokens), len(ref.tokens)))
            else:
                out.append(_lsum_hits(ref, pred))
        return out

    def score(self, target: str, prediction: str) -> dict[str, tuple[float, float, float]]:
        """rouge-score's `RougeScorer.score(target, prediction)`, as `{type: (P, R, F)}`."""
        stats = self.stats(self.text(target), self.text(prediction))
        return {t: prf(*s) for t, s in zip(self.rouge_types, stats)}

    def score_pairs(self, targets: Iterable[str], predictions: Iterable[str]) -> list[dict]:
        return [self.score(t, p) for t, p in zip(targets, predictions)]
