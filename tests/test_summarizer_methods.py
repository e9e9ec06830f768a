"""Centroid, SumBasic, KL-Sum, LSA, Luhn and MMR against hand-worked examples from their definitions.

Options `stem=false:stopwords=false` make a sentence's terms its lowercased
tokens, so the examples can be worked on paper (the numbers in the comments).
"""
import math

import numpy as np
import pytest

from harness.data import Example
from harness.summarizers import build
from harness.summarizers.luhn import cluster_score
from harness.summarizers.terms import Bag

PLAIN = ":stem=false:stopwords=false"


def example(*sentences) -> Example:
    return Example("x", "\n".join(sentences))  # one sentence per line: no splitter in the way


# SumBasic

def test_sumbasic_hand_worked():
    # counts x:3 a:1 b:1 y:2 c:1 d:1 -> N = 9: p(x) = 3/9, p(y) = 2/9, others 1/9
    # weights: S0 (x a b) = 5/27, S1 (y y) = 2/9, S2 (x c) = 2/9, S3 (x d) = 2/9
    # step 1: the top word is x; of the sentences holding x, S2 and S3 tie at 2/9 -> S2 (S1 has the same
    #         weight but lacks x: without the paper's step 3 it would win the tie); p(x) -> (3/9)^2, p(c) -> (1/9)^2
    # step 2: remaining S0, S1, S3; top word is y (2/9) -> S1
    # step 3: S0 = (1/9 + 1/9 + 1/9)/3 = 1/9 and S3 = (1/9 + 1/9)/2 = 1/9 tie; top words x, a, b, d all 1/9 -> S0
    ex = example("x a b.", "y y.", "x c.", "x d.")
    assert build("sumbasic:k=1" + PLAIN).select(ex) == [2]
    assert build("sumbasic:k=2" + PLAIN).select(ex) == [1, 2]
    assert build("sumbasic:k=3" + PLAIN).select(ex) == [0, 1, 2]


def test_sumbasic_squares_each_word_once():
    # p(q) = 3/6, p(r) = p(s) = p(t) = 1/6. S0 = (1/2 + 1/2 + 1/6)/3 = 7/18 wins.
    # Squared once, p(q) = 1/4: S1 = (1/4 + 1/6)/2 = 5/24 > S2 = 1/6 -> S1.
    # Squared once per occurrence (sumy's update), p(q) = 1/16: S1 = (1/16 + 1/6)/2 = 11/96 < 1/6 -> S2.
    ex = example("q q r.", "q s.", "t.")
    assert build("sumbasic:k=1" + PLAIN).select(ex) == [0]
    assert build("sumbasic:k=2" + PLAIN).select(ex) == [0, 1]


# KL-Sum

def test_klsum_first_pick_matches_the_document_distribution():
    # document: a 3/6, b 3/6. S2 (a b) has exactly that distribution -> lowest KL.
    # then S2+S0 (a:3 b:1) and S2+S1 (a:1 b:3) are mirror images -> tie -> the earlier, S0.
    ex = example("a a.", "b b.", "a b.")
    assert build("klsum:k=1" + PLAIN).select(ex) == [2]
    assert build("klsum:k=2" + PLAIN).select(ex) == [0, 2]


def test_klsum_values_by_hand():
    from harness.summarizers.klsum import kl_divergence

    p = np.array([0.5, 0.25, 0.25])
    counts = np.array([[1.0, 1.0, 0.0]])
    delta = 0.01
    q = [(1 + delta) / (2 + 3 * delta), (1 + delta) / (2 + 3 * delta), delta / (2 + 3 * delta)]
    hand = sum(pi * math.log(pi / qi) for pi, qi in zip(p, q))
    assert kl_divergence(p, counts, delta)[0] == pytest.approx(hand, rel=1e-14)


def test_klsum_needs_smoothing():
    with pytest.raises(ValueError, match="smoothing"):
        build("klsum:smoothing=0")


# LSA

def test_lsa_diagonal_matrix():
    # A = diag(3, 2, 1): sigma = (3, 2, 1), V = I. s_k = sigma_k when k < r, else 0.
    ex = example("a a a.", "b b.", "c.")
    lsa = build("lsa:dims=2" + PLAIN)
    from harness.summarizers.lsa import lsa_scores

    assert lsa_scores(Bag.of(ex.sentences, lsa.analyzer).counts.T, 2) == pytest.approx([3, 2, 0])
    assert lsa_scores(Bag.of(ex.sentences, lsa.analyzer).counts.T, 1) == pytest.approx([3, 0, 0])
    assert build("lsa:k=1" + PLAIN).select(ex) == [0]


def test_lsa_two_by_two_closed_form():
    # terms x sentences A = [[1, 1], [1, 0]] (S0 = "u v", S1 = "u"). A^T A = [[2, 1], [1, 1]] has largest
    # eigenvalue l = 3/2 + sqrt(5)/2 with eigenvector (1, l - 2); with r = 1, s_k = sqrt(l) * |v_k|.
    from harness.summarizers.lsa import lsa_scores

    lam = 1.5 + math.sqrt(5) / 2
    v = np.array([1.0, lam - 2])
    v /= np.linalg.norm(v)
    a = np.array([[1.0, 1.0], [1.0, 0.0]])
    assert lsa_scores(a, 1) == pytest.approx(math.sqrt(lam) * np.abs(v), rel=1e-12)
    # with every dimension kept, s_k is the norm of column k: (sqrt 2, 1)
    assert lsa_scores(a, 2) == pytest.approx([math.sqrt(2), 1.0], rel=1e-12)


def test_lsa_default_dimensions_follow_the_budget():
    sents = ["s%d w%d." % (i, i) for i in range(6)]
    assert build("lsa:k=2").n_dims(sents) == 2
    assert build("lsa:ratio=0.5").n_dims(sents) == 3
    assert build("lsa:words=4").n_dims(sents) == 2  # 4 words / 2 words per sentence
    assert build("lsa:dims=5:k=1").n_dims(sents) == 5


# Luhn

@pytest.mark.parametrize("pattern,expected", [
    ("S..S", 4 / 4),            # 2 significant words spanning 4 words
    ("SS.S", 9 / 4),
    ("S....S", 4 / 6),          # four insignificant words between: still one cluster
    ("S.....S", 1.0),           # five: two clusters of one word, 1^2/1 each
    ("..SS.....SSS..", 9 / 3),  # the better of two clusters
    ("....", 0.0),
    ("", 0.0),
])
def test_luhn_cluster_score(pattern, expected):
    assert cluster_score([c == "S" for c in pattern], gap=4) == pytest.approx(expected)


def test_luhn_gap_option():
    assert cluster_score([c == "S" for c in "S..S"], gap=1) == 1.0


def test_luhn_selects_the_densest_sentence():
    # "market" and "shares" occur twice or more (significant); "the", "of" are stop words.
    ex = example("The market fell as shares of banks slid.",
                 "Shares rebounded and the market recovered market losses.",
                 "Analysts were surprised by the weather.")
    # S0: market(1) fell as shares(4) -> span market..shares = 4 words, 2 sig -> 1.0
    # S1: shares(0) ... market(4) recovered market(6) -> span 7, 3 sig -> 9/7
    luhn = build("luhn:k=1")
    assert luhn.scores(ex.sentences) == pytest.approx([4 / 4, 9 / 7, 0.0])
    assert luhn.select(ex) == [1]


# Centroid (MEAD)

def test_centroid_features_by_hand():
    sents = ["a b", "a c c", "d"]
    c = build("centroid" + PLAIN)
    bag = Bag.of(sents, c.analyzer)
    # idf over 3 sentences: a log(3/2), b c d log 3. Centroid = tf over the document * idf:
    # a 2 log 1.5, b log 3, c 2 log 3, d log 3
    ca, cb, cc, cd = 2 * math.log(1.5), math.log(3), 2 * math.log(3), math.log(3)
    cent = [ca + cb, ca + 2 * cc, cd]
    cmax = max(cent)
    pos = [3 / 3 * cmax, 2 / 3 * cmax, 1 / 3 * cmax]
    first = [2, 1, 0]  # S1 . Si over term counts: (a b).(a b) = 2, (a b).(a c c) = 1, (a b).(d) = 0
    got = c.features(bag)
    assert got[0] == pytest.approx(cent) and got[1] == pytest.approx(pos) and got[2] == pytest.approx(first)
    w = build("centroid:centroid=2:position=0:first=0.5" + PLAIN)
    assert w.score(bag) == pytest.approx([2 * x + 0.5 * y for x, y in zip(cent, first)])


def test_centroid_redundancy_penalty():
    # S1 repeats S0; without the penalty both are picked, with it the different S2 replaces S1.
    ex = example("storm hits coast town", "storm hits coast town", "storm victims get aid", "unrelated words")
    assert build("centroid:k=2:redundancy=0:position=0:first=0" + PLAIN).select(ex) == [0, 1]
    assert build("centroid:k=2:redundancy=1:position=0:first=0" + PLAIN).select(ex) == [0, 2]


# MMR

def _tfidf_cos_by_hand(sents):
    docs = [s.split() for s in sents]
    n = len(docs)
    vocab = sorted({w for d in docs for w in d})
    idf = {w: math.log(n / sum(w in d for d in docs)) for w in vocab}
    vecs = [[d.count(w) * idf[w] for w in vocab] for d in docs]
    q = [sum(v[j] for v in vecs) for j in range(len(vocab))]

    def cos(x, y):
        nx_, ny_ = math.sqrt(sum(a * a for a in x)), math.sqrt(sum(b * b for b in y))
        return sum(a * b for a, b in zip(x, y)) / (nx_ * ny_) if nx_ and ny_ else 0.0

    return [cos(v, q) for v in vecs], [[cos(a, b) for b in vecs] for a in vecs]


@pytest.mark.parametrize("lam", [1.0, 0.7, 0.5, 0.3, 0.0])
def test_mmr_equals_the_formula_by_hand(lam):
    sents = ["oil price rise", "oil price rise again", "oil exports fall", "football team wins", "oil team"]
    rel, sim = _tfidf_cos_by_hand(sents)
    chosen = []
    for _ in range(3):  # MMR = argmax lambda Sim1(Di, Q) - (1 - lambda) max_j Sim2(Di, Dj)
        score = {i: lam * rel[i] - (1 - lam) * max([sim[i][j] for j in chosen], default=0.0)
                 for i in range(len(sents)) if i not in chosen}
        top = max(score.values())
        chosen.append(min(i for i, v in score.items() if v >= top - 1e-12))
    assert build(f"mmr:k=3:lambda={lam}" + PLAIN).select(example(*sents)) == sorted(chosen)


def test_mmr_lambda_trades_relevance_for_novelty():
    # idf: oil 0, price log(4/3), rise log 2, fall and exports log 4. Relevance to the document:
    # S0 = S1 = 0.631, S2 = 0.601, S3 = 0.543. lambda = 1 takes the duplicates S0 and S1;
    # lambda = 0.3 then prefers S3 (0.3 * 0.543 = 0.163) to S2 (0.3 * 0.601 - 0.7 * 0.078 = 0.126) and S1 (< 0).
    sents = ["oil price rise", "oil price rise", "oil price fall", "oil exports"]
    rel, _ = _tfidf_cos_by_hand(sents)
    assert rel == pytest.approx([0.631, 0.631, 0.601, 0.543], abs=1e-3)
    assert build("mmr:k=2:lambda=1" + PLAIN).select(example(*sents)) == [0, 1]
    assert build("mmr:k=2:lambda=0.3" + PLAIN).select(example(*sents)) == [0, 3]


def test_mmr_lambda_is_validated():
    with pytest.raises(ValueError, match="lambda"):
        build("mmr:lambda=1.5")
