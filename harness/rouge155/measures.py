"""ROUGE-1.5.5's per-evaluation scores: one peer summary against its model summaries.

What the script does, observed and checked digit for digit (docs/rouge155.md):
- every R and P is rounded to 5 decimals ("%7.5f") first, and F is computed from the rounded R and P:
  F = R P / ((1 - alpha) P + alpha R);
- `-f A` adds hits and counts over the models (the peer's count once per model); `-f B` keeps the
  model with the highest recall (N and S: the recall rounded to 5 decimals; L, W: unrounded), the
  first one on ties;
- ROUGE-L and W are summary-level: each model unit's tokens on an LCS with any peer unit, each
  counted only while both summaries' unigram counts last; ROUGE-W's model count is f(sum of f(unit
  length)) and the peer's f(token count), f(k) = k ** weight, the score f^-1(hit / count);
- skip bigrams pair each token with the ones up to `skip` + 1 after it; with unigrams, every token
  but the last is counted as a unigram too.
"""
from collections import Counter
from typing import NamedTuple

from ..errors import HarnessError
from . import kernels
from .options import Options
from .text import Tokenizer, joined, units_for_lcs


class EvalScore(NamedTuple):
    """One measure of one evaluation: the rounded scores ROUGE prints and the counts -t 1/2 use."""
    recall: float
    precision: float
    f: float
    model_count: float
    peer_count: float
    hit: float


class Summary(NamedTuple):
    """A summary as ROUGE-1.5.5 reads it for each kind of measure; `ids` and `unit_ids` are the same
    tokens as int32 ids (array("i")) for the C kernels, None without them."""
    tokens: list          # of the joined text (ROUGE-N, S, unigram clipping)
    units: list           # token lists of the units (ROUGE-L, W)
    ids: object = None
    unit_ids: list | None = None


class EmptyModel(HarnessError):
    """ROUGE-W on a model without tokens: the script dies dividing by zero."""


def round5(x: float) -> float:
    return float("%7.5f" % x)


def read_summary(units: list, tokenizer: Tokenizer, options: Options, vocabulary: dict | None = None) -> Summary:
    """`units` read as ROUGE reads them; with a `vocabulary` (token -> id, grown here) for the C kernels."""
    text = joined(units, options.length_limit, options.byte_limit)
    lcs_units = units_for_lcs(units, options.length_limit, options.byte_limit)
    tokens = tokenizer.tokens(text) if text is not None else []
    unit_tokens = [tokenizer.tokens(u) for u in lcs_units]
    if vocabulary is None or not kernels.NATIVE:
        return Summary(tokens, unit_tokens)
    return Summary(tokens, unit_tokens, kernels.ids(tokens, vocabulary), [kernels.ids(u, vocabulary) for u in unit_tokens])


def ngrams(tokens: list, n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def skip_bigrams(tokens: list, skip: int, unigrams: bool) -> Counter:
    grams = Counter()
    last = len(tokens) - 1
    for i in range(last):
        if unigrams:
            grams[(tokens[i],)] += 1
        end = last if skip < 0 else min(last, i + skip + 1)
        grams.update((tokens[i], tokens[j]) for j in range(i + 1, end + 1))
    return grams


def _clipped(peer: Counter, model: Counter) -> tuple:
    hits = sum(min(c, peer[g]) for g, c in model.items() if g in peer)
    return hits, sum(model.values()), sum(peer.values())


def ngram_counts(peer: Summary, model: Summary, n: int) -> tuple:
    """(clipped hits, model n-grams, peer n-grams)."""
    if peer.ids is not None and model.ids is not None:
        return kernels.grams(peer.ids, model.ids, n)
    return _clipped(ngrams(peer.tokens, n), ngrams(model.tokens, n))


def skip_counts(peer: Summary, model: Summary, skip: int, unigrams: bool) -> tuple:
    """(clipped hits, model grams, peer grams) of skip bigrams (and unigrams)."""
    if peer.ids is not None and model.ids is not None:
        return kernels.skips(peer.ids, model.ids, skip, unigrams)
    return _clipped(skip_bigrams(peer.tokens, skip, unigrams), skip_bigrams(model.tokens, skip, unigrams))


def _final(hit, model_count, peer_count, alpha, inverse=None) -> EvalScore:
    def rate(den):
        if den == 0:
            return 0.0
        return round5(hit / den if inverse is None else (hit / den) ** inverse)
    r, p = rate(model_count), rate(peer_count)
    den = (1 - alpha) * p + alpha * r
    return EvalScore(r, p, round5(p * r / den) if den > 0 else 0.0, model_count, peer_count, hit)


def _choose(rows, formula: str):
    """rows: (comparison score, hit, model count, peer count) per model -> summed or best triple."""
    if formula == "B":
        best, out = -1, (0, 0, 0)
        for score, *counts in rows:
            if score > best:
                best, out = score, tuple(counts)
        return out
    hit = model = peer = 0
    for _, h, m, p in rows:
        hit, model, peer = hit + h, model + m, peer + p
    return hit, model, peer


def gram_score(counts: list, alpha: float, formula: str) -> EvalScore:
    """ROUGE-N or S from each model's (hits, model count, peer count)."""
    rows = [(round5(hit / count) if count else 0, hit, count, peer) for hit, count, peer in counts]
    return _final(*_choose(rows, formula), alpha)


def lcs_hits(model: Summary, peer: Summary, weight: float | None) -> tuple:
    """(hit, base) of ROUGE-L (weight None) or ROUGE-W over all model units."""
    if model.unit_ids is not None and peer.unit_ids is not None:
        return kernels.lcs(model.unit_ids, peer.unit_ids, model.ids, peer.ids, weight or 0.0)
    model_left, peer_left = Counter(model.tokens), Counter(peer.tokens)
    hit = base = 0
    for unit in model.units:
        mask = [0] * len(unit)
        for other in peer.units:
            if weight is None:
                kernels.lcs_mask(unit, other, mask)
            else:
                kernels.wlcs_mask(unit, other, mask, weight)
        base += len(unit) if weight is None else len(unit) ** weight
        hit = _take(unit, mask, model_left, peer_left, weight, hit)
    return hit, base


def _take(unit, mask, model_left, peer_left, weight, hit):
    """`hit` plus the hits of one model unit while the unigram counts last; ROUGE-W weighs each run of
    consecutive marked tokens (a token that fails the counts does not end a run). Added run by run to
    the running total, as the script adds them (the float sum's order)."""
    run = 0
    for j, token in enumerate(unit):
        if not mask[j] or model_left[token] <= 0 or peer_left[token] <= 0:
            continue
        model_left[token] -= 1
        peer_left[token] -= 1
        if weight is None:
            hit += 1
            continue
        run += 1
        if j + 1 == len(unit) or not mask[j + 1]:
            hit, run = hit + run ** weight, 0
    return hit


def lcs_score(peer: Summary, models: list, alpha: float, formula: str) -> EvalScore:
    rows = []
    for model in models:
        hit, base = lcs_hits(model, peer, None)
        rows.append((hit / base if base > 0 else 0, hit, base, len(peer.tokens)))
    return _final(*_choose(rows, formula), alpha)


def wlcs_score(peer: Summary, models: list, alpha: float, formula: str, weight: float) -> EvalScore:
    rows = []
    for index, model in enumerate(models):
        hit, base = lcs_hits(model, peer, weight)
        if base == 0:
            raise EmptyModel(f"model {index + 1} has no tokens: ROUGE-1.5.5 stops on it with ROUGE-W "
                             f"(illegal division by zero)")
        rows.append(((hit / base) ** (1 / weight), hit, base ** weight, len(peer.tokens) ** weight))
    return _final(*_choose(rows, formula), alpha, inverse=1 / weight)
