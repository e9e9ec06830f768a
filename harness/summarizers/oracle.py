"""The greedy extractive oracle: an upper bound that reads the references.

Nallapati, R., Zhai, F. and Zhou, B. (2017). SummaRuNNer: A Recurrent Neural
Network based Sequence Model for Extractive Summarization of Documents.
AAAI 2017, section "Extractive training": "we employ a greedy approach,
where we add one sentence at a time incrementally to the summary, such that
the Rouge score of the current set of selected sentences is maximized with
respect to the entire gold summary. We stop when none of the remaining
candidate sentences improves the Rouge score upon addition to the current
summary." Liu & Lapata (2019, BertSum) use the same greedy search on the sum
of ROUGE-1 and ROUGE-2, capped at three sentences.

What is maximised: the mean, over the ROUGE types in `rouge` (default
"rouge1+rouge2"), of the F-measure computed exactly as rouge-score 0.1.2
computes it on the summary as the harness scores it (the chosen sentences in
source order, one per line), with Porter stemming as the harness's default
scoring; with several references each type takes its best reference, as
rouge-score's `score_multi` and the harness's "max" rule do. Selection stops
when no sentence raises that objective or when the budget is spent (k=3 by
default, as in BertSum; `ratio=1` lifts the cap). Ties go to the earlier
sentence.

For speed the n-grams of every sentence are counted once. Adding sentence i
to the summary adds its own n-grams and changes only the n-grams that cross
the two seams where it is inserted (the last n-1 tokens before it and the
first n-1 after), so each candidate is scored from count vectors over the
references' n-grams plus a few seam n-grams, with the same integer counts
and the same floating-point operations as rouge-score: the selections are
identical to a loop that re-scores the joined text with rouge-score
(tests/test_summarizer_oracle.py checks this; benchmarks/summarizers.py
times it).

`uses_references = True`: tables set the oracle apart as an upper bound; it
is not a system.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

from ..data import Example
from ..errors import DataError
from .base import Budget, Summarizer

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np

_ROUGE_N = re.compile(r"^rouge([1-9])$")


@lru_cache(maxsize=100_000)
def rouge_tokens(text: str, stem: bool) -> tuple[str, ...]:
    """Tokens exactly as rouge-score's default tokenizer makes them (the scorer's own tokenizer)."""
    from ..scoring.backend import get_tokenizer  # imported here: `harness list` needs no scoring engine

    return tuple(get_tokenizer("rouge-score", stem).tokens(text))


def _ngrams(seq, n: int, starts) -> list[tuple]:
    return [tuple(seq[p:p + n]) for p in starts]


class Oracle(Summarizer):
    name = "oracle"
    description = ("Greedy extractive oracle (Nallapati et al. 2017): adds the sentence that most raises mean "
                   "ROUGE-1/2 F vs the references; an upper bound, not a system.")
    uses_references = True

    def __init__(self, budget: Budget | None = None, rouge: str = "rouge1+rouge2", stem: bool = True) -> None:
        super().__init__(budget)
        types = [t for t in rouge.split("+") if t]
        bad = [t for t in types if not _ROUGE_N.match(t)]
        if bad or not types:
            raise ValueError(f"oracle: rouge={rouge!r}: give rougeN types joined by '+', e.g. rouge1+rouge2")
        self.rouge = "+".join(types)
        self.orders = [int(_ROUGE_N.match(t)[1]) for t in types]
        self.stem = bool(stem)

    def select(self, example: Example) -> list[int]:
        refs = example.reference_texts
        if not refs:
            raise DataError(f"example {example.id!r}: the oracle needs references, and it has none")
        sents = example.sentences
        if not sents:
            return []
        return _GreedySearch(sents, refs, self.orders, self.stem).run(self.budget)


class _GreedySearch:
    """One oracle search: counts prepared once, candidates scored in bulk at each step."""

    def __init__(self, sentences, refs, orders, stem: bool) -> None:
        import numpy as np

        self.sentences = sentences
        self.orders = orders
        ids: dict[str, int] = {}
        self.toks = [[ids.setdefault(t, len(ids)) for t in rouge_tokens(s, stem)] for s in sentences]
        ref_toks = [[ids.setdefault(t, len(ids)) for t in rouge_tokens(r, stem)] for r in refs]
        self.lens = np.array([len(t) for t in self.toks], dtype=np.int64)
        self.by_order = {}
        for n in set(orders):
            ref_counts = [Counter(_ngrams(rt, n, range(len(rt) - n + 1))) for rt in ref_toks]
            vocab: dict[tuple, int] = {}
            for c in ref_counts:
                for g in c:
                    vocab.setdefault(g, len(vocab))
            ref_matrix = np.zeros((len(refs), len(vocab)), dtype=np.int64)
            for r, c in enumerate(ref_counts):
                for g, k in c.items():
                    ref_matrix[r, vocab[g]] = k
            own = np.zeros((len(sentences), len(vocab)), dtype=np.int64)
            for i, t in enumerate(self.toks):
                for g in _ngrams(t, n, range(len(t) - n + 1)):
                    j = vocab.get(g)
                    if j is not None:
                        own[i, j] += 1
            ref_total = np.array([max(len(rt) - n + 1, 0) for rt in ref_toks], dtype=np.int64)
            self.by_order[n] = (vocab, ref_matrix, own, ref_total)

    def _counts(self, seq, n, vocab) -> np.ndarray:
        import numpy as np

        v = np.zeros(len(vocab), dtype=np.int64)
        for g in _ngrams(seq, n, range(len(seq) - n + 1)):
            j = vocab.get(g)
            if j is not None:
                v[j] += 1
        return v

    def _seam_delta(self, n, vocab, left, mid, right, row, delta) -> None:
        """n-grams crossing the seams when `mid` is inserted between `left` and `right` (each <= n-1 tokens)."""
        new = left + mid + right
        a, b = len(left), len(left) + len(mid)
        last = len(new) - n + 1
        crossing = [p for p in range(0, min(a, last))] + [p for p in range(max(a, b - n + 1), last) if p + n > b]
        for g in _ngrams(new, n, crossing):
            j = vocab.get(g)
            if j is not None:
                delta[row, j] += 1
        old = left + right
        for g in _ngrams(old, n, range(len(old) - n + 1)):
            j = vocab.get(g)
            if j is not None:
                delta[row, j] -= 1

    def objective(self, cands: list[int], chosen: list[int]) -> np.ndarray:
        """Mean over types of the best-reference F of (chosen + each candidate), as rouge-score computes it."""
        import numpy as np

        concat = [t for i in chosen for t in self.toks[i]]
        starts = np.concatenate([[0], np.cumsum(self.lens[chosen])]) if chosen else np.zeros(1, dtype=np.int64)
        total = len(concat) + self.lens[cands]
        per_type = []
        for n in self.orders:
            vocab, ref_matrix, own, ref_total = self.by_order[n]
            delta = own[cands].copy()
            if n > 1:
                for row, i in enumerate(cands):
                    pos = int(starts[bisect_left(chosen, i)])
                    self._seam_delta(n, vocab, concat[max(0, pos - n + 1):pos], self.toks[i],
                                     concat[pos:pos + n - 1], row, delta)
            pred = self._counts(concat, n, vocab)[None, :] + delta
            overlap = np.minimum(pred[:, None, :], ref_matrix[None, :, :]).sum(axis=2)  # candidates x refs
            pred_total = np.maximum(total - n + 1, 0)
            precision = overlap / np.maximum(pred_total, 1)[:, None]
            recall = overlap / np.maximum(ref_total, 1)[None, :]
            denom = precision + recall
            f = np.where(denom > 0, 2 * precision * recall / np.where(denom > 0, denom, 1.0), 0.0)
            per_type.append(f.max(axis=1))
        value = per_type[0] * 0.0
        for f in per_type:  # summed in order, as sum() over the types would
            value = value + f
        return value / len(per_type)

    def run(self, budget: Budget) -> list[int]:
        import numpy as np

        spend = budget.start(self.sentences)
        chosen: list[int] = []
        current = 0.0
        while not spend.full():
            cands = [i for i in range(len(self.sentences)) if i not in chosen and spend.fits(i)]
            if not cands:
                break
            values = self.objective(cands, chosen)
            top = values.max()
            if not top > current:
                break
            best = cands[int(np.flatnonzero(values == top)[0])]
            chosen = sorted(chosen + [best])
            spend.add(best)
            current = float(top)
        return chosen
