"""Hugging Face evaluate's "rouge" metric, without the hub: `compute` returns what
`evaluate.load("rouge").compute(...)` returns.

    from harness.compat import evaluate_rouge
    evaluate_rouge.compute(predictions=preds, references=refs)   # was: evaluate.load("rouge").compute(...)
    # {'rouge1': 0.41..., 'rouge2': 0.18..., 'rougeL': 0.29..., 'rougeLsum': 0.38...}

What evaluate's metric does (metrics/rouge/rouge.py), and so what this does:
rouge-score's RougeScorer with `rouge_types` (default rouge1, rouge2, rougeL,
rougeLsum), `use_stemmer` and `tokenizer` (a callable, wrapped into an
object with a `tokenize` method); `score_multi` for every example when
`references[0]` is a list (the example's references; the best F per type
wins), else `score`; with `use_aggregator` a BootstrapAggregator (0.95,
1,000 resamples) over the examples, reporting `mid.fmeasure` per type (the
median of the resampled means, a numpy float), else per type the list of
every example's F.

Two differences, both opt-in or harmless:
- `seed` (default `harness.stats.DEFAULT_SEED`): evaluate's aggregate draws
  from numpy's global random state, so it changes from run to run; here it
  repeats, and equals evaluate's after `numpy.random.seed(seed)`. `seed=None`
  draws from the global state as evaluate does.
- `precision_recall=True` adds `<type>_precision` and `<type>_recall` next to
  each `<type>` (the F), aggregated the same way.
- `resampler="harness"` aggregates with the harness's own bootstrap draws
  (harness.stats), several times faster on large corpora; the default draws
  as rouge-score does.
The scores themselves are rouge-score's, computed by the harness engine
(`harness.compat.rouge_scorer`).
"""
from __future__ import annotations

from ..stats import DEFAULT_SEED
from .rouge_scorer import RougeScorer
from .scoring import BootstrapAggregator

DEFAULT_ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]  # evaluate's default, in its order


class CallableTokenizer:
    """A callable as the tokenizer object rouge-score expects (evaluate's `Tokenizer` wrapper)."""

    def __init__(self, tokenizer_func) -> None:
        self.tokenizer_func = tokenizer_func

    def tokenize(self, text):
        return self.tokenizer_func(text)


def _check(predictions: list, references: list, multi_ref: bool) -> None:
    """What evaluate's feature check rejects: unequal lengths, and a mix of single and multiple references."""
    if len(predictions) != len(references):
        raise ValueError(f"Mismatch in the number of predictions ({len(predictions)}) "
                         f"and references ({len(references)})")
    if not references:
        raise ValueError("no predictions and references to score")
    for i, ref in enumerate(references):
        if isinstance(ref, list) != multi_ref:
            what = "a list of references" if multi_ref else "one reference string"
            raise ValueError(f"references[{i}] is {type(ref).__name__}, but references[0] is {what}; "
                             "give every example the same kind")


def compute(predictions, references, rouge_types=None, use_aggregator=True, use_stemmer=False, tokenizer=None,
            *, precision_recall: bool = False, seed: int | None = DEFAULT_SEED, resampler: str = "rouge-score"
            ) -> dict:
    """ROUGE of each prediction against its reference(s), as evaluate's rouge metric computes it.

    `resampler="harness"` aggregates with the harness's bootstrap (see
    `scoring.BootstrapAggregator`): other draws, faster on large corpora.
    """
    predictions, references = list(predictions), list(references)
    multi_ref = bool(references) and isinstance(references[0], list)
    _check(predictions, references, multi_ref)
    if rouge_types is None:
        rouge_types = DEFAULT_ROUGE_TYPES
    if tokenizer is not None:
        tokenizer = CallableTokenizer(tokenizer)
    scorer = RougeScorer(rouge_types=rouge_types, use_stemmer=use_stemmer, tokenizer=tokenizer)
    scores = scorer.score_batch(references, predictions)
    measures = ("fmeasure", "precision", "recall") if precision_recall else ("fmeasure",)
    result = {}
    if use_aggregator:
        aggregator = BootstrapAggregator(seed=seed, resampler=resampler)
        for score in scores:
            aggregator.add_scores(score)
        for key, agg in aggregator.aggregate().items():
            for m in measures:
                result[_name(key, m)] = getattr(agg.mid, m)
    else:
        for key in scores[0]:
            for m in measures:
                result[_name(key, m)] = [getattr(score[key], m) for score in scores]
    return result


def _name(key, measure: str):
    return key if measure == "fmeasure" else f"{key}_{measure}"
