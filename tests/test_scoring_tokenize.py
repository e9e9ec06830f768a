"""Tokenizers: rouge-score's (exact) and the Unicode-aware one; the warning when letters are lost."""
import warnings

import pytest
from hypothesis import given, settings, strategies as st
from rouge_score import rouge_scorer, tokenize as rs_tokenize
from nltk.stem import porter

from harness.data import Corpus, Example, Reference
from harness.pipeline import score
from harness.scoring import ScoreConfig, Scorer
from harness.scoring.engine import Engine
from harness.scoring.backend import get_tokenizer
from harness.scoring.tokenize import lost_letters

STEMMER = porter.PorterStemmer()


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_rouge_score_tokenizer_is_exact(text, stem):
    assert get_tokenizer("rouge-score", stem).tokens(text) == rs_tokenize.tokenize(text, STEMMER if stem else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(), st.sampled_from(["\n", "\r\n", "\u2028", "\x85"])), max_size=8).map("".join),
       st.sampled_from(["rouge-score", "unicode"]), st.booleans())
def test_lines_equal_tokenizing_each_line(text, name, stem):
    tok = get_tokenizer(name, stem)
    assert tok.lines(text) == [tok.tokens(line) for line in text.split("\n")]


def test_unicode_tokenizer():
    tok = get_tokenizer("unicode", False)
    assert tok.tokens("Правительство объявило новые меры.") == ["правительство", "объявило", "новые", "меры"]
    assert tok.tokens("今天天气很好") == ["今", "天", "天", "气", "很", "好"]
    assert tok.tokens("STRASSE Straße ｓｔｒａｓｓｅ") == ["strasse"] * 3
    assert tok.tokens("café naïve, 3.50 e-mail") == ["café", "naïve", "3", "50", "e", "mail"]
    stemmed = get_tokenizer("unicode", True)
    english = "The runners were running quickly, 42 times."
    assert stemmed.tokens(english) == rs_tokenize.tokenize(english, STEMMER)


words = st.sampled_from(["Правительство", "объявило", "меры", "东京", "天气", "café", "naïve", "running", "the",
                         "Straße", "\n", ".", "İstanbul"])


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=40).map(" ".join), st.lists(words, max_size=40).map(" ".join), st.booleans())
def test_unicode_tokenizer_scores_equal_rouge_score_with_it(target, prediction, stem):
    """Both engines accept the tokenizer: the harness engine equals rouge-score running with it."""
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    tok = get_tokenizer("unicode", stem)
    want = rouge_scorer.RougeScorer(types, tokenizer=tok).score(target, prediction)
    got = Engine(types, tok).score(target, prediction)
    for t in types:
        assert got[t] == (want[t].precision, want[t].recall, want[t].fmeasure)


def test_lost_letters():
    assert lost_letters("plain ascii text") == 0.0
    assert lost_letters("Café au lait, naïve") == 0.0  # two accents are no reason to warn
    assert lost_letters("Правительство объявило новые меры") == 1.0
    assert 0.4 < lost_letters("Москва Moscow Москва Moscow") < 0.6


def _corpus(ref, summary):
    return Corpus("c", [Example(id="ru1", source=ref, references=[Reference(ref)])]), {"lead": {"ru1": [summary]}}


def test_warns_when_the_default_tokenizer_deletes_most_letters():
    corpus, summaries = _corpus("Правительство объявило новые меры поддержки.", "Объявлены новые меры.")
    with pytest.warns(UserWarning, match="'ru1'.*--tokenizer unicode"):
        result = score(corpus, summaries, cache=False)
    assert result.rows[0]["fmeasure"] == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = score(corpus, summaries, cache=False, tokenizer="unicode")
        assert result.rows[0]["fmeasure"] > 0.3
        score(*_corpus("Plain English text.", "English text."), cache=False)
    assert "tok:unicode" in result.signature


def test_tokenizer_option_reaches_the_reference_engine():
    ex = Example(id="x", source="", references=[Reference("Правительство объявило новые меры")])
    a = Scorer(ScoreConfig(tokenizer="unicode", engine="harness")).score(ex, ["Объявило новые меры"])
    b = Scorer(ScoreConfig(tokenizer="unicode", engine="rouge-score")).score(ex, ["Объявило новые меры"])
    assert a == b and a["rouge1"].fmeasure > 0.5
