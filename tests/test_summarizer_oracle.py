"""The oracle's selections equal a direct greedy loop that re-scores the joined text with rouge-score."""
import json
import random

import pytest
from conftest import shared_path
from rouge_score import rouge_scorer

from harness.data import Example, Reference
from harness.errors import DataError
from harness.summarizers import build


def direct_oracle(sentences, refs, types=("rouge1", "rouge2"), k=3, words=None, stem=True):
    """The definition, computed the slow way: try every sentence, score the summary with rouge-score."""
    scorer = rouge_scorer.RougeScorer(list(types), use_stemmer=stem)
    chosen, best = [], 0.0
    while len(chosen) < min(k, len(sentences)):
        used = sum(len(sentences[j].split()) for j in chosen)
        pick, pick_value = None, best
        for i in range(len(sentences)):
            if i in chosen or (words is not None and chosen and used + len(sentences[i].split()) > words):
                continue
            summary = "\n".join(sentences[j] for j in sorted(chosen + [i]))
            scores = scorer.score_multi(refs, summary)
            value = sum(scores[t].fmeasure for t in types) / len(types)
            if value > pick_value:
                pick, pick_value = i, value
        if pick is None:
            break
        chosen.append(pick)
        best = pick_value
    return sorted(chosen)


VOCAB = "the a storm coast city council budget school road rise rises rising fell falls housing cost".split()


def random_example(rng, i):
    def sentence():
        if rng.random() < 0.05:
            return "— …"  # no ROUGE tokens at all
        return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 9))).capitalize() + "."

    sents = [sentence() for _ in range(rng.randint(1, 14))]
    if rng.random() < 0.3:
        sents.append(rng.choice(sents))  # a duplicate
    refs = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(3, 15))) for _ in range(rng.randint(1, 3))]
    return Example(f"r{i}", "\n".join(sents), [Reference(r) for r in refs])


SPECS = [
    ("oracle", dict()),
    ("oracle:k=1", dict(k=1)),
    ("oracle:k=6", dict(k=6)),
    ("oracle:words=12", dict(k=10**9, words=12)),
    ("oracle:rouge=rouge1", dict(types=("rouge1",))),
    ("oracle:rouge=rouge2+rouge3:k=5", dict(types=("rouge2", "rouge3"), k=5)),
    ("oracle:rouge=rouge1+rouge2+rouge4:k=4:stem=false", dict(types=("rouge1", "rouge2", "rouge4"), k=4, stem=False)),
]


@pytest.mark.parametrize("spec,kwargs", SPECS, ids=[s for s, _ in SPECS])
def test_random_examples_equal_the_direct_loop(spec, kwargs):
    rng = random.Random(spec)
    oracle = build(spec)
    for i in range(30):
        ex = random_example(rng, i)
        assert oracle.select(ex) == direct_oracle(list(ex.sentences), ex.reference_texts, **kwargs), ex


def test_interview_equals_the_direct_loop(interview):
    for ex in interview:
        assert build("oracle").select(ex) == direct_oracle(list(ex.sentences), ex.reference_texts), ex.id
    ex = interview[1]
    assert build("oracle:k=5").select(ex) == direct_oracle(list(ex.sentences), ex.reference_texts, k=5)


@pytest.mark.parametrize("dataset,path", [("realsumm", "realsumm/realsumm100.jsonl"),
                                          ("summeval", "summeval/summeval100.jsonl")])
def test_news_articles_equal_the_direct_loop(dataset, path):
    rows = [json.loads(line) for line in shared_path(path).read_text(encoding="utf-8").splitlines()[:4]]
    for r in rows:
        refs = r["references"][:1] if dataset == "realsumm" else r["references"][:3]
        ex = Example(r["id"], r["source"], [Reference(t) for t in refs])
        assert build("oracle").select(ex) == direct_oracle(list(ex.sentences), refs), r["id"]


def test_stops_when_nothing_improves():
    ex = Example("s", "The storm hit the coast.\nThe storm hit the coast.\nCats purr.",
                 [Reference("the storm hit the coast")])
    assert build("oracle:k=3").select(ex) == [0]  # the duplicate adds nothing, "Cats purr." lowers precision


def test_summary_order_matters_for_bigrams():
    # Bigrams that cross sentence seams count, as rouge-score counts them on the joined text.
    ex = Example("s", "alpha\nbeta\ngamma", [Reference("alpha beta gamma")])
    assert build("oracle:rouge=rouge2:k=3").select(ex) == direct_oracle(["alpha", "beta", "gamma"],
                                                                       ["alpha beta gamma"], types=("rouge2",))


def test_needs_references():
    with pytest.raises(DataError, match="'n1'.*references"):
        build("oracle")(Example("n1", "One sentence."))


def test_rouge_option_is_validated():
    with pytest.raises(ValueError, match="rougeN"):
        build("oracle:rouge=rougeL")
