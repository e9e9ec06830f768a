"""The explorer's marks are the hits the engine counts, token for token (harness.explore.marks)."""
from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from rouge_score import rouge_scorer

from harness.explore import marks
from harness.explore.page import embed_json
from harness.scoring.engine import Engine
from harness.scoring.backend import get_tokenizer

TYPES = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"]
WORDS = ("the cat sat on a mat running runs run dog dogs of The CAT, sat! naïve café Москва 東京 "
         "don't U.S.A. 3.5 x2 İstanbul \u212aelvin 😀 e\u0301 ﬁne").split()


def random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 4)):
        n = rng.choice([0, 1, 3, 8, 20])
        sep = rng.choice([" ", "  ", " -- ", "\t", "...", " , "])
        lines.append(sep.join(rng.choice(WORDS) for _ in range(n)))
    return "\n".join(lines)


def _check_pairs(rouge_type: str, pairs: list[int], summary: marks.Tokens, reference: marks.Tokens) -> None:
    """Every pair joins equal tokens (equal n-grams), and no summary or reference token is used twice."""
    n = 1 if rouge_type.startswith("rougeL") else int(rouge_type[5:])
    c, r = pairs[0::2], pairs[1::2]
    assert len(set(c)) == len(c) and len(set(r)) == len(r)
    for i, j in zip(c, r):
        assert summary.flat[i:i + n] == reference.flat[j:j + n]
    if rouge_type == "rougeL":  # a common subsequence: increasing on both sides
        assert c == sorted(c) and r == sorted(r)


@pytest.mark.parametrize("tokenizer", ["rouge-score", "unicode"])
@pytest.mark.parametrize("stem", [True, False])
def test_hits_equal_the_engine_on_random_texts(tokenizer, stem):
    tok = get_tokenizer(tokenizer, stem)
    engine = Engine(TYPES, tok)
    rng = random.Random(hash((tokenizer, stem)) & 0xFFFF)
    for _ in range(1500):
        ref_text, sum_text = random_text(rng), random_text(rng)
        ref, summ = marks.scored_tokens(tok, ref_text), marks.scored_tokens(tok, sum_text)
        want = engine.stats(engine.text(ref_text), engine.text(sum_text))
        for t, w in zip(TYPES, want):
            pairs = marks.pairs_for(t, summ, ref)
            assert marks.stats(t, pairs, summ, ref) == w, (t, ref_text, sum_text)
            _check_pairs(t, pairs, summ, ref)


def test_lcs_is_the_one_rouge_score_walks_to():
    rng = random.Random(7)
    for _ in range(3000):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 25))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 25))]
        assert [i for i, _ in marks.lcs_pairs(a, b)] == rouge_scorer.lcs_ind(a, b)
        assert marks.Tokens(a, [a]).lcs(-1, b) == marks.Tokens(a, [a]).lcs(0, b) == marks.lcs_pairs(a, b)


def test_lsum_counts_the_reference_tokens_rouge_score_counts():
    """The reference side of the rougeLsum pairs is rouge-score's counted union-LCS tokens, as a multiset."""
    rng = random.Random(3)
    for _ in range(2000):
        ref = [[rng.choice("abcd") for _ in range(rng.randint(0, 8))] for _ in range(rng.randint(1, 4))]
        cand = [[rng.choice("abcd") for _ in range(rng.randint(0, 8))] for _ in range(rng.randint(1, 4))]
        left_c, left_r = Counter(t for s in cand for t in s), Counter(t for s in ref for t in s)
        counted = Counter()
        for r in ref:  # rouge_scorer._summary_level_lcs, counting which tokens it counts
            for t in rouge_scorer._union_lcs(r, cand):
                if left_c[t] > 0 and left_r[t] > 0:
                    counted[t] += 1
                    left_c[t] -= 1
                    left_r[t] -= 1
        flat_r = [t for s in ref for t in s]
        pairs = marks.lsum_pairs(marks.Tokens([t for s in cand for t in s], cand), marks.Tokens(flat_r, ref))
        assert Counter(flat_r[j] for j in pairs[1::2]) == counted


@pytest.mark.parametrize("tokenizer", ["rouge-score", "unicode"])
def test_token_spans_cover_exactly_the_tokens(tokenizer):
    tok = get_tokenizer(tokenizer, True)
    rng = random.Random(11)
    placed = 0
    for _ in range(1500):
        text = random_text(rng)
        tokens = marks.scored_tokens(tok, text).flat
        spans = marks.token_spans(tok, text, tokens)
        if spans is None:  # only where normalization composes characters (e + combining accent)
            assert tokenizer == "unicode" and "\u0301" in text
            continue
        placed += 1
        assert len(spans) == len(tokens)
        for (s, e), t in zip(spans, tokens):
            assert tok.tokens(text[s:e]) == [t]
        assert spans == sorted(spans) and all(e <= s2 for (_, e), (s2, _) in zip(spans, spans[1:]))
    assert placed > 1000


def test_token_spans_refuse_a_text_that_is_not_the_scored_one():
    tok = get_tokenizer("rouge-score", True)
    assert marks.token_spans(tok, "the cat sat", ["the", "cat"]) is None


def test_novel_ngrams_and_extraction():
    # bit 1: a novel unigram ("x"), bit 2: a novel bigram ("b x"), bit 4: a novel trigram ("a b x")
    assert marks.novel_mask(["a", "b", "x"], marks.source_grams(["a", "b", "c"])) == "467"
    assert marks.novel_mask(["a", "b"], marks.source_grams(["a", "b"])) == "00"
    assert marks.chosen_spans(["Two.", "One.", ""], "One. Two. Three.") == [(0, 4), (5, 9)]
    assert marks.chosen_spans(["Two.", "Made up."], "One. Two.") is None
    assert marks.chosen_spans([], "One.") is None


HOSTILE = ["</script><script>alert(1)</script>", "<!--", "<img src=x onerror=alert(1)>", "\ud800 lone", "\u2028"]


def test_embedded_json_cannot_end_its_script_element():
    text = embed_json({"s": HOSTILE, "k": {h: h for h in HOSTILE}})
    assert "<" not in text
    assert json.loads(text) == {"s": HOSTILE, "k": {h: h for h in HOSTILE}}
    text.encode("utf-8")  # no lone surrogate left to encode


def test_the_page_script_never_parses_html():
    from importlib import resources

    script = resources.files("harness.explore").joinpath("page.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script
