"""harness.compat.rouge_scorer and .scoring against the installed rouge-score 0.1.2: the same results,
types and errors."""
import random
import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rouge_score import rouge_scorer as rs_scorer, scoring as rs_scoring

from harness.compat import rouge_scorer, scoring
from harness.scoring import native
from harness.scoring.synthetic import TextMaker

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
MANY = ["rouge1", "rouge2", "rouge3", "rouge4", "rouge9", "rougeL", "rougeLsum"]


@pytest.fixture(params=["python"] + (["native"] if native.AVAILABLE else []))
def engine_impl(request, monkeypatch):
    """Each test runs on the C core (where built) and on the pure-Python engine."""
    monkeypatch.setattr(native, "ENABLED", request.param == "native")
    return request.param


def exact(got: dict, want: dict) -> bool:
    """Equal keys, values and value types (rouge-score's int zeros included), in the same order."""
    return list(got) == list(want) and all(
        tuple(got[k]) == tuple(want[k]) and [type(x) for x in got[k]] == [type(x) for x in want[k]] for k in want)


# -- adversarial pairs -------------------------------------------------------------------------
WORDS = ["the", "The", "cat", "cats", "running", "runs", "ran", "a", "I", "İstanbul", "Straße", "naïve", "東京",
         "москва", "123", "x1", "--", "...", "K", "ǅ", "ﬁne", "ΣΑΣ", "généralement", "don't", "U.S.", "e-mail",
         "sky", "skies", "dying", "ied", "agreed", "feed", "a1b2", "generalizations", "\u212a", "ǈ", "😀", "",
         "\u0301", "nationalization", "caresses", "ponies", "conditional"]
SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\r\n", "\t", "\u2028", "\x0b", "  ", ". ", "!!! ", "\u00a0", "-"]


def adversarial_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.05:
        return rng.choice(["", " ", "\n", "\n\n\n", "...", "!?!?", "\u00a0"])
    if kind < 0.15:  # punctuation runs, no words
        return "".join(rng.choice(string.punctuation + " \n") for _ in range(rng.randint(1, 60)))
    if kind < 0.25:  # one word repeated (many LCS ties)
        return rng.choice(SEPARATORS).join([rng.choice(WORDS[:12])] * rng.randint(1, 150))
    if kind < 0.30:  # random unicode
        return "".join(chr(rng.randint(32, 0x3000)) for _ in range(rng.randint(0, 80)))
    n = rng.randint(1, 400 if kind < 0.32 else 60)
    return "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(n))


def pairs_20000():
    """18,000 realistic pairs (CNN/DM-like statistics; 400 of them ~400 words) and 2,000 adversarial ones."""
    maker = TextMaker(seed=17)
    pairs = [maker.pair(55, 40) for _ in range(17_600)] + [maker.pair(400, 400) for _ in range(400)]
    rng = random.Random(17)
    pairs += [(adversarial_text(rng), adversarial_text(rng)) for _ in range(2_000)]
    rng.shuffle(pairs)
    return pairs


@pytest.mark.slow
def test_20000_realistic_and_adversarial_pairs():
    pairs = pairs_20000()
    assert len(pairs) == 20_000
    targets, predictions = [t for t, _ in pairs], [p for _, p in pairs]
    for stem, sample in ((True, pairs), (False, pairs[::20])):
        theirs = rs_scorer.RougeScorer(TYPES, use_stemmer=stem)
        mine = rouge_scorer.RougeScorer(TYPES, use_stemmer=stem)
        want = [theirs.score(t, p) for t, p in sample]
        got = [mine.score(t, p) for t, p in sample]
        bad = [i for i, (g, w) in enumerate(zip(got, want)) if not exact(g, w)]
        assert not bad, (len(bad), sample[bad[0]], got[bad[0]], want[bad[0]])
        if stem:  # the batch path (the Scorer, worker processes included) on the same pairs
            batch = mine.score_batch(targets, predictions)
            bad = [i for i, (g, w) in enumerate(zip(batch, want)) if not exact(g, w)]
            assert not bad, (len(bad), pairs[bad[0]], batch[bad[0]], want[bad[0]])
    # score_multi: three references per prediction
    theirs = rs_scorer.RougeScorer(TYPES, use_stemmer=True)
    mine = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    groups = [(targets[i:i + 3], predictions[i]) for i in range(0, 3_000, 3)]
    want = [theirs.score_multi(refs, p) for refs, p in groups]
    assert all(exact(mine.score_multi(refs, p), w) for (refs, p), w in zip(groups, want))
    assert all(exact(g, w) for g, w in zip(mine.score_batch([r for r, _ in groups], [p for _, p in groups]), want))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(target=st.one_of(st.text(), st.builds(adversarial_text, st.randoms(use_true_random=False))),
       prediction=st.one_of(st.text(), st.builds(adversarial_text, st.randoms(use_true_random=False))),
       stem=st.booleans())
def test_adversarial_text(engine_impl, target, prediction, stem):
    theirs = rs_scorer.RougeScorer(MANY, use_stemmer=stem)
    mine = rouge_scorer.RougeScorer(MANY, use_stemmer=stem)
    assert exact(mine.score(target, prediction), theirs.score(target, prediction))
    assert exact(mine.score_multi([target, prediction, ""], prediction),
                 theirs.score_multi([target, prediction, ""], prediction))


@pytest.mark.parametrize("types", [["rougeLsum"], ["rougeL"], ["rouge2", "rougeLsum"], TYPES])
def test_empty_texts_give_rouge_scores_int_zeros(engine_impl, types):
    theirs, mine = rs_scorer.RougeScorer(types), rouge_scorer.RougeScorer(types)
    for t, p in [("", ""), ("a b", ""), ("", "a"), ("!!!", "a b"), ("\n\n", "a"), ("a b", "c d"), ("a", "a")]:
        assert exact(mine.score(t, p), theirs.score(t, p)), (t, p)
    batch = mine.score_batch(["", "a b", "a b"], ["a", "", "c"])
    assert all(exact(g, theirs.score(t, p)) for g, (t, p) in zip(batch, [("", "a"), ("a b", ""), ("a b", "c")]))


# -- errors, where rouge-score raises them ---------------------------------------------------------
@pytest.mark.parametrize("bad", ["rougen", "rouge0", "rouge10", "rougel", "ROUGE1", "rouge-1", "", "rougeLsum2"])
def test_bad_rouge_types_raise_rouge_scores_error_when_scoring(bad):
    mine = rouge_scorer.RougeScorer(["rouge1", bad])  # no error yet: rouge-score checks types in score()
    theirs = rs_scorer.RougeScorer(["rouge1", bad])
    with pytest.raises(ValueError) as want:
        theirs.score("testing one two", "testing")
    for call in (lambda: mine.score("testing one two", "testing"), lambda: mine.score_multi(["a"], "a"),
                 lambda: mine.score_batch(["a"], ["a"])):
        with pytest.raises(ValueError) as got:
            call()
        assert str(got.value) == str(want.value)


def test_other_errors_match():
    for types in ([1], [None]):
        with pytest.raises(TypeError) as want:
            rs_scorer.RougeScorer(types).score("a", "b")
        with pytest.raises(TypeError) as got:
            rouge_scorer.RougeScorer(types).score("a", "b")
        assert str(got.value) == str(want.value)
    with pytest.raises(ValueError) as want:
        rs_scorer.RougeScorer(["rouge1"]).score_multi([], "b")
    with pytest.raises(ValueError) as got:
        rouge_scorer.RougeScorer(["rouge1"]).score_multi([], "b")
    assert str(got.value) == str(want.value)
    assert rouge_scorer.RougeScorer([]).score_multi([], "b") == rs_scorer.RougeScorer([]).score_multi([], "b") == {}
    with pytest.raises(ValueError, match="2 targets and 1 predictions"):
        rouge_scorer.RougeScorer(["rouge1"]).score_batch(["a", "b"], ["a"])
    with pytest.raises(ValueError, match=r"targets\[1\] is an empty list"):
        rouge_scorer.RougeScorer(["rouge1"]).score_batch(["a", []], ["a", "b"])


def test_odd_rouge_type_lists_behave_as_in_rouge_score():
    # duplicates, a trailing newline (rouge-score's regex ends in $), an empty list, the list changed later
    for types in (["rouge1", "rouge1"], ["rouge1\n", "rougeL"], [], ("rougeLsum", "rouge2"), ["rouge9"] * 3):
        assert exact(rouge_scorer.RougeScorer(types).score("a b c\nd", "a c d"),
                     rs_scorer.RougeScorer(types).score("a b c\nd", "a c d")), types
    mine, theirs = rouge_scorer.RougeScorer(["rouge1"]), rs_scorer.RougeScorer(["rouge1"])
    mine.score("a", "a")
    mine.rouge_types.append("rougeL")
    theirs.rouge_types.append("rougeL")
    assert exact(mine.score("a b", "b a"), theirs.score("a b", "b a"))


# -- tokenizer objects --------------------------------------------------------------------------
class SpaceTokenizer:
    """Splits on single spaces only: empty tokens, and line breaks inside tokens."""

    def tokenize(self, text):
        return text.split(" ")


class LengthTokenizer:
    """Tokens that are not strings (ints), and a constant empty-string token at the end."""

    def tokenize(self, text):
        return [len(w) for w in text.split()] + [""]


class CountingTokenizer:
    """Lowercased words, counting its calls; falsy (rouge-score tests `if tokenizer:`)."""

    def __init__(self):
        self.calls = 0

    def __len__(self):
        return self.calls  # 0 until called: falsy, so both scorers use their default tokenizer

    def tokenize(self, text):
        self.calls += 1
        return text.lower().split()


@pytest.mark.parametrize("tokenizer", [SpaceTokenizer(), LengthTokenizer(), rs_scorer.tokenizers.DefaultTokenizer(True)],
                         ids=["space", "length", "rouge-score-default"])
@pytest.mark.parametrize("types", [TYPES, ["rougeLsum"], ["rouge1", "rougeL"], ["rouge3", "rougeLsum"]])
def test_tokenizer_objects_are_honoured(engine_impl, tokenizer, types):
    maker = TextMaker(seed=3)
    pairs = [maker.pair(40, 30) for _ in range(60)] + [("a  b\nc d", "a b c"), ("", ""), ("x\n\ny  z", "x y"),
                                                      (" \n ", "\n"), ("A a", "a A")]
    mine = rouge_scorer.RougeScorer(types, tokenizer=tokenizer)
    theirs = rs_scorer.RougeScorer(types, tokenizer=tokenizer)
    for t, p in pairs:
        assert exact(mine.score(t, p), theirs.score(t, p)), (t, p)
    assert all(exact(g, theirs.score(t, p)) for g, (t, p) in
               zip(mine.score_batch([t for t, _ in pairs], [p for _, p in pairs]), pairs))
    assert exact(mine.score_multi([t for t, _ in pairs[:5]], pairs[0][1]),
                 theirs.score_multi([t for t, _ in pairs[:5]], pairs[0][1]))


def test_falsy_tokenizer_falls_back_to_the_default_as_in_rouge_score():
    tok = CountingTokenizer()
    assert exact(rouge_scorer.RougeScorer(TYPES, tokenizer=tok).score("Running cats", "cats ran"),
                 rs_scorer.RougeScorer(TYPES, tokenizer=tok).score("Running cats", "cats ran"))
    assert tok.calls == 0


def test_split_summaries_splits_with_nltk(monkeypatch):
    """rouge-score splits rougeLsum's sentences with nltk.sent_tokenize; so does the compat scorer.

    NLTK's punkt data is not on this machine (no NLTK downloads), so both get the same stand-in
    splitter through the same attribute; without it both raise NLTK's LookupError.
    """
    import nltk

    def splitter(text):
        return [s for s in text.replace("! ", "!\0").replace(". ", ".\0").split("\0")]

    monkeypatch.setattr(nltk, "sent_tokenize", splitter)
    maker = TextMaker(seed=5)
    pairs = [(t.replace("\n", " "), p.replace("\n", " ")) for t, p in (maker.pair(60, 40) for _ in range(50))]
    pairs += [("First sentence. Second sentence.", "Second sentence. First sentence."), ("a\nb. c", "c. a b")]
    for types in (TYPES, ["rougeLsum"]):
        for tokenizer in (None, SpaceTokenizer()):
            mine = rouge_scorer.RougeScorer(types, use_stemmer=True, split_summaries=True, tokenizer=tokenizer)
            theirs = rs_scorer.RougeScorer(types, use_stemmer=True, split_summaries=True, tokenizer=tokenizer)
            for t, p in pairs:
                assert exact(mine.score(t, p), theirs.score(t, p)), (t, p)
            assert all(exact(g, theirs.score(t, p)) for g, (t, p) in
                       zip(mine.score_batch([t for t, _ in pairs], [p for _, p in pairs]), pairs))


def test_split_summaries_without_punkt_fails_like_rouge_score():
    import nltk

    try:
        nltk.sent_tokenize("A. B.")
    except LookupError:
        pass
    else:
        pytest.skip("NLTK's punkt data is installed here")
    for cls in (rs_scorer.RougeScorer, rouge_scorer.RougeScorer):
        with pytest.raises(LookupError):
            cls(["rougeLsum"], split_summaries=True).score("A. B.", "B. A.")
    # other types do not split: no NLTK needed
    assert rouge_scorer.RougeScorer(["rouge1"], split_summaries=True).score("a", "a")["rouge1"].fmeasure == 1.0


def test_score_values_are_rouge_scores_namedtuples():
    got = rouge_scorer.RougeScorer(["rouge1"]).score("testing one two", "testing")["rouge1"]
    assert isinstance(got, scoring.Score) and isinstance(got, tuple)
    assert got == rs_scoring.Score(precision=1.0, recall=1 / 3, fmeasure=0.5)
    assert got._fields == rs_scoring.Score._fields
    assert repr(got) == repr(rs_scoring.Score(1.0, 1 / 3, 0.5))
    assert isinstance(rouge_scorer.RougeScorer(["rouge1"]), scoring.BaseScorer)
    assert scoring.fmeasure(0.5, 0.25) == rs_scoring.fmeasure(0.5, 0.25)
    assert scoring.fmeasure(0, 0) == rs_scoring.fmeasure(0, 0) == 0.0


# -- BootstrapAggregator ------------------------------------------------------------------------
def _aggregators(n, seed, types=("rouge1", "rougeL"), **kw):
    rng = np.random.default_rng(n)
    mine, theirs = scoring.BootstrapAggregator(seed=seed, **kw), rs_scoring.BootstrapAggregator(**kw)
    for row in rng.random((n, 3)):
        scores = {t: rs_scoring.Score(*(row if i % 2 == 0 else row[::-1])) for i, t in enumerate(types)}
        mine.add_scores(scores)
        theirs.add_scores(scores)
    return mine, theirs


@pytest.mark.parametrize("n", [1, 2, 3, 10, 257, 3000])
@pytest.mark.parametrize("kw", [{}, {"confidence_interval": 0.9, "n_samples": 333}, {"confidence_interval": 0.0}])
def test_aggregate_equals_rouge_score_after_seeding_numpy(n, kw):
    mine, theirs = _aggregators(n, seed=11, **kw)
    np.random.seed(11)
    want = theirs.aggregate()
    got = mine.aggregate()
    assert got == want and list(got) == list(want)
    assert got == mine.aggregate()  # repeatable: every aggregate() starts from the seed


def test_aggregate_in_blocks_draws_as_rouge_score(monkeypatch):
    from harness.compat import scoring as module

    monkeypatch.setattr(module, "_BLOCK", 7 * 50)  # 7 resamples a block for n=50, last block short
    mine, theirs = _aggregators(50, seed=3, n_samples=100)
    np.random.seed(3)
    assert mine.aggregate() == theirs.aggregate()


def test_aggregate_seed_none_uses_numpys_global_state_as_rouge_score():
    mine, theirs = _aggregators(40, seed=None)
    np.random.seed(5)
    want = theirs.aggregate()
    np.random.seed(5)
    assert mine.aggregate() == want


def test_default_seed_is_documented_and_fixed():
    from harness.stats import DEFAULT_SEED

    mine, _ = _aggregators(30, seed=DEFAULT_SEED)
    default = scoring.BootstrapAggregator()
    for t, scores in mine._scores.items():
        for s in scores:
            default.add_scores({t: s})
    assert default.aggregate() == mine.aggregate()
    assert "12345" in scoring.BootstrapAggregator.__doc__ and DEFAULT_SEED == 12345


def test_harness_resampler_is_the_harness_bootstrap():
    from harness import stats

    filled, _ = _aggregators(500, seed=9)
    mine = scoring.BootstrapAggregator(confidence_interval=0.9, n_samples=400, seed=9, resampler="harness")
    for t, scores in filled._scores.items():
        for s in scores:
            mine.add_scores({t: s})
    got = mine.aggregate()
    assert got == mine.aggregate()
    for t, scores in mine._scores.items():
        means = stats.bootstrap_means(np.vstack(scores), 400, 9)
        want = np.percentile(means, [5.0, 50.0, 95.0], axis=0)
        assert tuple(got[t].low) == tuple(want[0]) and tuple(got[t].mid) == tuple(want[1])
        assert tuple(got[t].high) == tuple(want[2])
        assert isinstance(got[t].mid, rs_scoring.Score)
    with pytest.raises(ValueError, match="needs a seed"):
        scoring.BootstrapAggregator(seed=None, resampler="harness")
    with pytest.raises(ValueError, match="unknown resampler"):
        scoring.BootstrapAggregator(resampler="fast")


def test_aggregator_argument_errors_match():
    for kw in ({"confidence_interval": -0.1}, {"confidence_interval": 1.5}, {"n_samples": 0}):
        with pytest.raises(ValueError) as want:
            rs_scoring.BootstrapAggregator(**kw)
        with pytest.raises(ValueError) as got:
            scoring.BootstrapAggregator(**kw)
        assert str(got.value) == str(want.value)
