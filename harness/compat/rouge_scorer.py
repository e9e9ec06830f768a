"""rouge-score's `rouge_scorer.RougeScorer`, computed by the harness engine.

    from harness.compat import rouge_scorer           # was: from rouge_score import rouge_scorer
    scorer = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True)
    scorer.score(target, prediction)                  # {"rouge1": Score(precision, recall, fmeasure), ...}

The same constructor, methods, results and errors as rouge-score 0.1.2
(rouge_score/rouge_scorer.py), float for float:

- `score(target, prediction)` and `score_multi(targets, prediction)` (per
  ROUGE type the target with the highest F, the first on ties, as its
  np.argmax picks);
- a bad ROUGE type raises rouge-score's ValueError when a text is scored, not
  when the scorer is built (rouge-score checks types inside `score`);
- rougeL and rougeLsum of a text without tokens are the ints `Score(0, 0, 0)`,
  as rouge-score returns them (every other score is a float);
- `tokenizer`: any object with a `tokenize(text)` method, as in rouge-score;
  its tokens are compared by equality, as rouge-score compares them;
- `split_summaries=True` splits rougeLsum's sentences with `nltk.sent_tokenize`
  (which needs NLTK's punkt data, as rouge-score does); otherwise sentences
  are the lines of a text.

Plus `score_batch(targets, predictions)`: a whole list at once (a target may
be a list of references, scored as `score_multi`), at the rate of the
harness's own `Scorer`.

What is computed is `harness.scoring`'s: its engine (in C where the native
core is built, else in Python) gives rouge-score's numbers (see
harness/scoring/engine.py and the parity tests); this module only maps
rouge-score's API onto it.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..scoring.backend import get_tokenizer, make_engine
from ..scoring.engine import gc_paused
from ..scoring.tokenize import Tokenizer
from .scoring import BaseScorer, Score

_NGRAM_TYPE = re.compile(r"rouge[0-9]$")  # rouge-score's own test (so "rouge10" is invalid)
_LCS_TYPES = ("rougeL", "rougeLsum")


def engine_type(rouge_type) -> str:
    """The harness's name for what rouge-score computes for `rouge_type`, or rouge-score's error.

    rouge-score's checks, in its order (`RougeScorer.score`): rougeL, rougeLsum,
    then `re.match(r"rouge[0-9]$", six.ensure_str(rouge_type))` with n > 0.
    """
    if rouge_type in _LCS_TYPES:
        return rouge_type
    name = rouge_type.decode("utf-8") if isinstance(rouge_type, bytes) else rouge_type
    if not isinstance(name, str):
        raise TypeError("not expecting type '%s'" % type(rouge_type))  # six.ensure_str's error
    if _NGRAM_TYPE.match(name):
        n = int(rouge_type[5:])
        if n <= 0:
            raise ValueError("rougen requires positive n: %s" % rouge_type)
        return "rouge%d" % n
    raise ValueError("Invalid rouge type: %s" % rouge_type)


def _sentences(text: str, split: bool) -> list[str]:
    """rougeLsum's sentences as rouge-score takes them: nltk's, or the lines; empty ones dropped."""
    if split:
        import nltk  # a rouge-score dependency; loaded only for split_summaries, as it is slow to import

        sents = nltk.sent_tokenize(text)
    else:
        sents = (text.decode("utf-8") if isinstance(text, bytes) else text).split("\n")
    return [s for s in sents if len(s)]


class ObjectTokenizer(Tokenizer):
    """A rouge-score tokenizer object (anything with `tokenize(text)`) as the harness engine reads it.

    Each distinct token becomes a short string key (equal tokens, by `==` and
    hash as rouge-score's Counters and LCS tables compare them, get the same
    key), so tokens of any hashable type, and empty strings, count as
    rouge-score counts them. rouge-score tokenizes the whole text for rougeN
    and rougeL but each sentence for rougeLsum, which an arbitrary tokenizer
    need not agree with, so an instance serves one of the two: `sentences`
    says which (`lines` is the whole text's tokens as one line, or the
    sentences' tokens).
    """

    name = "object"

    def __init__(self, obj, sentences: bool, split_summaries: bool = False) -> None:
        super().__init__(stemmer=None)  # stemming, if any, is the object's business
        self._tokenize = obj.tokenize
        self._sentences = sentences
        self._split = split_summaries
        self._keys: dict = {}

    def tokens(self, text: str) -> list[str]:
        keys = self._keys
        out = []
        for t in self._tokenize(text):
            k = keys.get(t)
            if k is None:
                k = keys[t] = str(len(keys))
            out.append(k)
        return out

    def lines(self, text: str) -> list[list[str]]:
        if not self._sentences:
            return [self.tokens(text)]
        return [self.tokens(s) for s in _sentences(text, self._split)]


class _Part:
    """One engine over some of the ROUGE types, with how it reads a text."""

    __slots__ = ("engine", "split", "lcs")

    def __init__(self, types: Sequence[str], tokenizer: Tokenizer, split: bool) -> None:
        self.engine = make_engine(types, tokenizer)
        self.split = split  # nltk sentences, one per line, for the default tokenizer's rougeLsum
        self.lcs = [i for i, t in enumerate(types) if t in _LCS_TYPES]

    def text(self, text: str):
        if self.split:
            # a line break inside an nltk sentence is a separator like a space for this tokenizer
            text = "\n".join(s.replace("\n", " ") for s in _sentences(text, True))
        return self.engine.text(text)

    def scores(self, ref, pred) -> list:
        """[P, R, F, P, R, F, ...] of the part's types, with rouge-score's int zeros."""
        vals = self.engine.scores(ref, pred)
        if self.lcs and any(vals[3 * i + 2] == 0.0 for i in self.lcs):
            stats = self.engine.stats(ref, pred)
            for i in self.lcs:
                if not (stats[i][1] and stats[i][2]):  # a side with no tokens: rouge-score's Score(0, 0, 0)
                    vals[3 * i:3 * i + 3] = (0, 0, 0)
        return vals


class RougeScorer(BaseScorer):
    """rouge-score's RougeScorer (same arguments, results and errors), on the harness engine."""

    def __init__(self, rouge_types, use_stemmer=False, split_summaries=False, tokenizer=None):
        self.rouge_types = rouge_types
        self._use_stemmer = use_stemmer
        self._split_summaries = split_summaries
        self._object = tokenizer if tokenizer else None  # rouge-score tests `if tokenizer:`
        self._planned = None

    def _plan(self):
        """(parts, [(result key, position of its P in the parts' scores)]) for the current rouge_types.

        One engine scores every type from one tokenization, unless rougeLsum
        reads the text differently from the other types (nltk sentences, or a
        tokenizer object, which rouge-score calls on each sentence): then
        rougeLsum gets an engine of its own.
        """
        key = tuple(self.rouge_types)
        if self._planned is not None and self._planned[0] == key:
            return self._planned[1], self._planned[2]
        types = list(dict.fromkeys(engine_type(t) for t in key))  # raises as rouge-score would
        lsum = "rougeLsum" in types
        if lsum and len(types) > 1 and (self._object is not None or self._split_summaries):
            types.remove("rougeLsum")
            groups = [types, ["rougeLsum"]]
        else:
            groups = [types] if types else []
        parts = [self._part(g) for g in groups]
        order = [t for g in groups for t in g]
        out = [(k, 3 * order.index(engine_type(k))) for k in dict.fromkeys(key)]
        self._planned = (key, parts, out)
        return parts, out

    def _part(self, types: list[str]) -> _Part:
        lsum = "rougeLsum" in types
        if self._object is not None:
            return _Part(types, ObjectTokenizer(self._object, lsum, self._split_summaries), split=False)
        return _Part(types, get_tokenizer("rouge-score", bool(self._use_stemmer)), split=lsum and self._split_summaries)

    def score(self, target, prediction):
        """A dict mapping each rouge type to a Score(precision, recall, fmeasure)."""
        parts, out = self._plan()
        vals = []
        for part in parts:
            vals += part.scores(part.text(target), part.text(prediction))
        return {k: Score(*vals[i:i + 3]) for k, i in out}

    def score_multi(self, targets, prediction):
        """Per rouge type, the Score of the target with the highest F (the first on ties)."""
        targets = list(targets)
        if not targets:
            if list(self.rouge_types):
                raise ValueError("attempt to get argmax of an empty sequence")  # np.argmax([]), as rouge-score
            return {}
        parts, out = self._plan()
        preds = [part.text(prediction) for part in parts]
        per_target = []
        for target in targets:
            vals = []
            for part, pred in zip(parts, preds):
                vals += part.scores(part.text(target), pred)
            per_target.append(vals)
        result = {}
        for k, i in out:
            best = per_target[0]
            for vals in per_target[1:]:
                if vals[i + 2] > best[i + 2]:
                    best = vals
            result[k] = Score(*best[i:i + 3])
        return result

    def score_batch(self, targets, predictions) -> list[dict]:
        """`score` (or `score_multi`, for a target that is a list) of each pair, in order.

        In this process, with the collector paused (see
        `harness.scoring.engine.gc_paused`); for worker processes, score through
        `harness.score` / `harness run`, whose executors hand out batches.
        """
        targets, predictions = list(targets), list(predictions)
        if len(targets) != len(predictions):
            raise ValueError(f"score_batch got {len(targets)} targets and {len(predictions)} predictions")
        for i, t in enumerate(targets):
            if not isinstance(t, str) and not list(t) and list(self.rouge_types):
                raise ValueError(f"targets[{i}] is an empty list of references")
        with gc_paused():
            return [self.score(t, p) if isinstance(t, str) else self.score_multi(t, p)
                    for t, p in zip(targets, predictions)]
