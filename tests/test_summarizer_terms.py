"""The fast paths of the shared text analysis agree with the definitions they speed up."""
import json
import random

import numpy as np
import pytest
from conftest import shared_path

from harness.summarizers.luhn import cluster_score, cluster_scores
from harness.summarizers.lsa import lsa_scores
from harness.summarizers.terms import STOP, Analyzer, Bag, tokens

TRICKY = ["Hello—world “quoted” café naïve ²x under_score ΣΑΣ", "", "…", "Tab\there 3.5% e.g. U.S.",
          "a\x00b", "the—of a—b—c", "Don’t stop; it's 9:30 a.m. (really)!", "ÉCOLE  Straße   İstanbul",
          "#Person1#: I ' Ve been there", "   ", "x_y_z __init__ 1_000"]


@pytest.mark.parametrize("stem,stopwords", [(True, True), (False, False), (True, False), (False, True)])
def test_document_encoding_equals_sentence_by_sentence_terms(stem, stopwords, interview):
    a = Analyzer(stem=stem, stopwords=stopwords)
    docs = [TRICKY, TRICKY[::-1]] + [list(ex.sentences) for ex in interview]
    for doc in docs:
        assert a.document_terms(doc) == [a.terms(s) for s in doc]


def test_encoding_equals_terms_on_news(interview):
    path = shared_path("summeval", "summeval100.jsonl")
    a = Analyzer()
    from harness.sentences import split_sentences

    for line in path.read_text(encoding="utf-8").splitlines()[:30]:
        doc = split_sentences(json.loads(line)["source"])
        assert a.document_terms(doc) == [a.terms(s) for s in doc]


def test_placeholders_keep_stop_words_in_place():
    a = Analyzer(stem=False)
    sentence, ids = a.encode(["the cat and the dog", "of"], placeholders=True)
    assert sentence.tolist() == [0, 0, 0, 0, 0, 1]
    assert (ids == STOP).tolist() == [True, False, True, True, False, True]


def test_tokens():
    assert tokens("U.S. GDP rose 2.5%—a record (café)") == ["u", "s", "gdp", "rose", "2", "5", "a", "record", "café"]


def test_bag_counts():
    bag = Bag.of(["cat cat dog", "dog", ""], Analyzer(stem=False, stopwords=False))
    assert sorted(bag.counts.sum(axis=0).tolist()) == [2.0, 2.0]
    assert bag.lengths.tolist() == [3, 1, 0]
    v = bag.vector(["dog", "dog", "bird"])
    assert v.sum() == 2 and v @ bag.counts[1] == 2  # both "dog"s land in dog's column; "bird" is not in the document


def test_luhn_vectorised_equals_the_definition():
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 6)
        sents = [[rng.random() < 0.3 for _ in range(rng.randint(0, 25))] for _ in range(n)]
        sentence = np.array([i for i, s in enumerate(sents) for _ in s], dtype=np.int64)
        significant = np.array([x for s in sents for x in s], dtype=bool)
        gap = rng.randint(0, 5)
        got = cluster_scores(sentence, significant, n, gap)
        assert got == pytest.approx([cluster_score(s, gap) for s in sents], rel=1e-15)


def test_lsa_gram_route_equals_svd():
    rng = np.random.default_rng(0)
    for _ in range(50):
        a = rng.poisson(0.3, size=(rng.integers(5, 60), rng.integers(1, 30))).astype(float)
        _, sigma, vt = np.linalg.svd(a, full_matrices=False)
        for dims in (1, 2, 3, 100):
            r = min(dims, len(sigma))
            # only compare where the r-th and (r+1)-th singular values are apart: otherwise the subspace is ambiguous
            if r < len(sigma) and abs(sigma[r - 1] - sigma[r]) < 1e-6:
                continue
            expected = np.sqrt(((vt[:r] * sigma[:r, None]) ** 2).sum(axis=0))
            assert lsa_scores(a, dims) == pytest.approx(expected, rel=1e-7, abs=1e-7)
