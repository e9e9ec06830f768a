"""TextRank, LexRank and question-focused LexRank against independent computations.

TextRank: the paper's similarity and its iterative formula worked by hand on
a small graph. LexRank: the idf-modified cosine worked by hand, and the
scores against networkx's PageRank on the same graph (networkx's pure-Python
power iteration: no scipy needed). qlexrank: the relevance formula by hand
and networkx's personalized PageRank.
"""
import math

import numpy as np
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

import networkx as nx
from harness.data import Example
from harness.summarizers import build
from harness.summarizers.lexrank import LexRank
from harness.summarizers.question import QuestionLexRank
from harness.summarizers.textrank import TextRank

PLAIN = ":stem=false:stopwords=false"  # terms are the lowercased tokens: easy to work by hand


def nx_pagerank(weights, alpha, personalization=None):
    g = nx.DiGraph()
    g.add_nodes_from(range(len(weights)))
    for i, j in zip(*np.nonzero(weights)):
        g.add_edge(int(i), int(j), weight=float(weights[i, j]))
    pr = _pagerank_python(g, alpha=alpha, personalization=personalization, tol=1e-13, max_iter=10_000)
    return np.array([pr[i] for i in range(len(weights))])


# TextRank

TR_SENTS = ["cats chase mice", "dogs chase cats", "mice eat cheese daily", "birds sing"]


def test_textrank_similarity_by_hand():
    tr = build("textrank" + PLAIN)
    from harness.summarizers.terms import Bag
    from harness.summarizers.textrank import similarity

    sim = similarity(Bag.of(TR_SENTS, tr.analyzer))
    # |{cats, chase}| / (log 3 + log 3); |{mice}| / (log 3 + log 4); no overlap elsewhere
    assert sim[0, 1] == pytest.approx(2 / (math.log(3) + math.log(3)), rel=1e-15)
    assert sim[0, 2] == pytest.approx(1 / (math.log(3) + math.log(4)), rel=1e-15)
    assert sim[1, 2] == sim[0, 3] == sim[3, 2] == 0 and np.all(np.diag(sim) == 0)
    assert np.array_equal(sim, sim.T)


def test_textrank_scores_equal_the_papers_iteration():
    w = {(0, 1): 2 / (2 * math.log(3)), (0, 2): 1 / (math.log(3) + math.log(4))}
    w.update({(j, i): v for (i, j), v in list(w.items())})
    n, d = 4, 0.85
    out = [sum(v for (i, _), v in w.items() if i == j) for j in range(n)]
    ws = [1.0] * n
    for _ in range(500):  # WS(Vi) = (1-d) + d * sum_j w_ji / out_j * WS(Vj)
        ws = [(1 - d) + d * sum(w.get((j, i), 0) / out[j] * ws[j] for j in range(n) if out[j]) for i in range(n)]
    mine = build("textrank" + PLAIN).rank(TR_SENTS)
    assert mine == pytest.approx(ws, rel=1e-12)
    assert mine[3] == pytest.approx(0.15)  # an isolated vertex keeps 1 - d
    ex = Example("t", " ".join(s + "." for s in TR_SENTS))
    assert build("textrank:k=2" + PLAIN).select(ex) == sorted(np.argsort(-np.array(ws))[:2].tolist())


def test_textrank_one_word_sentences_sharing_their_word():
    assert build("textrank" + PLAIN).rank(["alpha", "alpha", "beta gamma"]).tolist()[0] > 0.15


# LexRank

LR_SENTS = ["the cat sat", "the cat ran", "a dog ran", "the bird flew away"]


def hand_idf_cosine(sents):
    docs = [s.split() for s in sents]
    n = len(docs)
    idf = {w: math.log(n / sum(w in d for d in docs)) for d in docs for w in d}
    tf = [{w: d.count(w) for w in d} for d in docs]

    def cos(x, y):
        num = sum(tf[x][w] * tf[y][w] * idf[w] ** 2 for w in tf[x] if w in tf[y])
        nx_ = math.sqrt(sum((tf[x][w] * idf[w]) ** 2 for w in tf[x]))
        ny_ = math.sqrt(sum((tf[y][w] * idf[w]) ** 2 for w in tf[y]))
        return num / (nx_ * ny_) if nx_ and ny_ else 0.0

    return np.array([[cos(i, j) for j in range(n)] for i in range(n)])


def test_idf_modified_cosine_by_hand():
    lr = build("lexrank:continuous=true" + PLAIN)
    assert lr.graph(LR_SENTS) == pytest.approx(hand_idf_cosine(LR_SENTS), abs=1e-14)


@pytest.mark.parametrize("threshold", [0.0, 0.1, 0.3])
def test_thresholded_graph_links_cosines_above_the_threshold(threshold):
    lr = build(f"lexrank:threshold={threshold}" + PLAIN)
    assert np.array_equal(lr.graph(LR_SENTS), (hand_idf_cosine(LR_SENTS) > threshold).astype(float))


def _interview_sentences(interview):
    return [list(ex.sentences) for ex in interview]


@pytest.mark.parametrize("spec", ["lexrank", "lexrank:continuous=true", "lexrank:threshold=0.05:damping=0.9",
                                  "lexrank:threshold=0.3:stem=false"])
def test_lexrank_scores_equal_networkx_pagerank(spec, interview):
    lr = build(spec)
    for sents in _interview_sentences(interview) + [LR_SENTS]:
        graph = lr.graph(sents)
        expected = nx_pagerank(graph, alpha=lr.damping)
        assert lr.rank(sents) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_lexrank_dangling_sentence_jumps_uniformly_like_networkx():
    # "zebra" occurs in every sentence (idf 0): "zebra" alone has no link, not even to itself.
    sents = ["zebra lion", "zebra lion tiger", "zebra", "zebra tiger"]
    lr = build("lexrank" + PLAIN)
    graph = lr.graph(sents)
    assert graph[2].sum() == 0
    assert lr.rank(sents) == pytest.approx(nx_pagerank(graph, alpha=0.85), rel=1e-9)


def test_lexrank_selects_the_central_sentences():
    sents = ["The storm hit the coast on Monday.", "The storm damaged homes on the coast.",
             "Officials said the storm was the worst in years.", "A local team won its football match."]
    ex = Example("s", " ".join(sents))
    assert 3 not in build("lexrank:k=2").select(ex)


# Question-focused LexRank

def test_relevance_by_hand():
    sents = ["the cat sat on the mat", "a dog ran", "the cat and the cat"]
    q = "where is the cat"
    ql = build("qlexrank" + PLAIN)
    from harness.summarizers.question import relevance
    from harness.summarizers.terms import Bag

    bag = Bag.of(sents, ql.analyzer)
    rel = relevance(bag, bag.vector(ql.analyzer.terms(q)))
    docs = [s.split() for s in sents]
    idf = lambda w: math.log(3 / sum(w in d for d in docs))  # noqa: E731
    qt = q.split()
    hand = [sum(math.log(d.count(w) + 1) * math.log(qt.count(w) + 1) * idf(w) for w in set(qt) if w in d)
            for d in docs]
    assert rel == pytest.approx(hand, rel=1e-14)
    assert rel[2] > rel[0] > rel[1] == 0


@pytest.mark.parametrize("spec", ["qlexrank", "qlexrank:bias=0.5:continuous=true", "qlexrank:threshold=0.1"])
def test_qlexrank_equals_networkx_personalized_pagerank(spec, interview):
    ql = build(spec)
    from harness.summarizers.lexrank import lexrank_graph
    from harness.summarizers.question import relevance
    from harness.summarizers.terms import Bag

    for ex in interview:
        sents = list(ex.sentences)
        bag = Bag.of(sents, ql.analyzer)
        rel = relevance(bag, bag.vector(ql.analyzer.terms(ex.question)))
        assert rel.sum() > 0
        graph = lexrank_graph(bag, ql.threshold, ql.continuous)
        expected = nx_pagerank(graph, alpha=1 - ql.bias, personalization={i: float(r) for i, r in enumerate(rel)})
        assert ql.rank(sents, ex.question) == pytest.approx(expected, rel=1e-8, abs=1e-10)


def test_qlexrank_follows_the_question():
    source = ("The minister spoke about oil prices. Oil exports rose sharply this year. "
              "The minister also praised the football team. The team won the cup after a hard season.")
    on_oil = Example("a", source, question="What happened to oil exports and prices?")
    on_team = Example("b", source, question="What did the team win this season?")
    assert build("qlexrank:k=1").select(on_oil) in ([0], [1])
    assert build("qlexrank:k=1").select(on_team) in ([2], [3])


def test_qlexrank_without_a_question_is_an_error():
    from harness.errors import DataError

    with pytest.raises(DataError, match="'q7'.*question"):
        build("qlexrank")(Example("q7", "One sentence. Another one."))


def test_damping_and_bias_are_validated():
    with pytest.raises(ValueError):
        LexRank(damping=1.0)
    with pytest.raises(ValueError):
        TextRank(damping=-0.1)
    with pytest.raises(ValueError):
        QuestionLexRank(bias=0)
