"""The native core (harness/scoring/_rouge.c): its Porter stemmer is NLTK's, word for word;
its engine gives the pure-Python engine's statistics (and so rouge-score's, see
test_scoring_parity.py, which runs both engines on every case)."""
import json
import random
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st
from nltk.stem import porter

from harness.scoring import native
from harness.scoring.engine import Engine
from harness.scoring.synthetic import TextMaker
from harness.scoring.backend import get_tokenizer

from conftest import shared_path

pytestmark = pytest.mark.skipif(not native.AVAILABLE, reason="the native core is not built (no C compiler)")

NLTK = porter.PorterStemmer()  # what rouge-score uses

# Every suffix a rule of the Porter algorithm (or an NLTK extension) looks at,
# and stems chosen to hit the measure, *d, *o and "y" conditions.
SUFFIXES = ["s", "es", "ies", "sses", "ss", "ed", "eed", "ied", "ing", "at", "bl", "iz", "y", "ational", "tional",
            "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation", "ator", "alism",
            "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "fulli", "logi", "icate", "ative", "alize",
            "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
            "ent", "ion", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll", "le", "yy",
            "ying", "ey", "ay"]
STEMS = ["", "b", "c", "tr", "a", "e", "y", "ya", "ye", "oy", "hop", "hope", "fil", "fall", "cr", "agree", "feed",
         "sky", "ski", "news", "inning", "r", "rat", "ration", "gener", "condit", "val", "sens", "digit", "formal",
         "el", "electr", "relat", "argu", "troubl", "siz", "fail", "tann", "motor", "control", "roll", "bowdler",
         "radic", "sti", "fizz", "x", "w", "yw", "1", "9a", "a1", "syllog", "happ", "toy", "cry", "spy"]


def _generated_words():
    words = {stem + s1 for stem in STEMS for s1 in [""] + SUFFIXES}
    words |= {stem + s1 + s2 for stem in STEMS[::4] for s1 in SUFFIXES for s2 in SUFFIXES[::3]}
    rng = random.Random(0)
    alphabet = "aeiouybcdlstnrmgzwx1"
    words |= {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(30_000)}
    words |= {"sky", "skies", "dying", "lying", "tying", "news", "innings", "inning", "outings", "outing",
              "cannings", "canning", "howe", "proceed", "exceed", "succeed"}  # NLTK's irregular forms
    return sorted(w for w in words if w)


def test_porter_equals_nltk_on_words_built_for_every_rule():
    words = _generated_words()
    assert len(words) > 40_000
    wrong = [(w, NLTK.stem(w), native.porter_stem(w)) for w in words if NLTK.stem(w) != native.porter_stem(w)]
    assert not wrong, wrong[:20]


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=30))
def test_porter_equals_nltk_on_any_token(word):
    assert native.porter_stem(word) == NLTK.stem(word)


def test_porter_equals_nltk_on_the_vocabulary_of_real_evaluation_sets():
    """Every distinct token (as rouge-score tokenizes, longer than 3 characters) of four sets in ../shared."""
    vocab = set()
    for path in (("realsumm", "realsumm100.jsonl"), ("summeval", "summeval100.jsonl"),
                 ("dialsummeval", "samsum100.jsonl"), ("dialogsum", "test.jsonl")):
        with open(shared_path(*path), encoding="utf-8") as fh:
            for line in fh:
                vocab.update(w for w in re.findall(r"[a-z0-9]+", line.lower()) if len(w) > 3)
    assert len(vocab) > 10_000
    wrong = [(w, NLTK.stem(w), native.porter_stem(w)) for w in sorted(vocab) if NLTK.stem(w) != native.porter_stem(w)]
    assert not wrong, wrong[:20]


def test_porter_rejects_what_it_was_not_made_for():
    with pytest.raises(ValueError):
        native.porter_stem("Running")  # rouge-score lowercases first
    with pytest.raises(TypeError):
        native.porter_stem("naïve")


@pytest.mark.parametrize("tokenizer", ["rouge-score", "unicode"])
@pytest.mark.parametrize("stem", [True, False], ids=["stem", "nostem"])
def test_native_engine_equals_python_engine(tokenizer, stem):
    """Same sufficient statistics, rougeN up to 9, lines longer than 64 tokens, unicode text."""
    types = [f"rouge{n}" for n in range(1, 10)] + ["rougeL", "rougeLsum"]
    tok = get_tokenizer(tokenizer, stem)
    fast, slow = native.NativeEngine(types, tok), Engine(types, tok)
    maker = TextMaker(seed=11)
    rng = random.Random(11)
    words = ["the", "cat", "cats", "sat", "running", "İstanbul", "naïve", "東京", "москва", "x1", "a", "b"]
    pairs = [maker.pair(55, 40) for _ in range(300)] + [maker.pair(400, 400) for _ in range(20)]
    for _ in range(300):
        pairs.append(tuple(" ".join(rng.choice(words) + ("\n" if rng.random() < 0.01 else "")
                                    for _ in range(rng.randint(0, 200))) for _ in range(2)))
    for ref, pred in pairs:
        a, b = fast.text(ref), fast.text(pred)
        assert list(fast.stats(a, b)) == [tuple(x) for x in slow.stats(slow.text(ref), slow.text(pred))], (ref, pred)


def test_stats_rejects_malformed_arrays():
    from array import array

    e = native.NativeEngine(["rouge1", "rougeLsum"], get_tokenizer("rouge-score", False))
    ok = e.text("a b\nc")
    plan = e._code
    with pytest.raises(ValueError, match="add up"):
        native._rouge.stats(ok.ids, array("i", [1]).tobytes(), ok.ids, ok.lens, plan)
    with pytest.raises(ValueError, match="negative"):
        native._rouge.stats(array("i", [-1]).tobytes(), array("i", [1]).tobytes(), ok.ids, ok.lens, plan)
    with pytest.raises(ValueError, match="int32"):
        native._rouge.stats(b"abc", ok.lens, ok.ids, ok.lens, plan)


def test_vocab_folds_case_splits_lines_and_keeps_ids_stable():
    vocab = native._rouge.Vocab(False)
    ids, lens = vocab.encode("Keep, drop! KEEP\n\nkeep--it's")
    ids = list(memoryview(ids).cast("i"))
    assert ids == [0, 1, 0, 0, 2, 3]  # keep drop keep | | keep it s
    assert list(memoryview(lens).cast("i")) == [3, 0, 3]
    assert vocab.size() == 4
    assert list(memoryview(vocab.encode("s it drop")[0]).cast("i")) == [3, 2, 1]
    with pytest.raises(TypeError):
        vocab.encode("naïve")  # non-ASCII text is folded in Python first (native.NativeEngine.text)


def test_vocab_in_c_gives_one_id_per_porter_stem():
    """Vocab(stem=True): rouge-score's rule (stem tokens longer than 3 characters) without Python."""
    vocab = native._rouge.Vocab(True)
    ids, lens = vocab.encode("Running runs run ran\ngenerously generous")
    ids = list(memoryview(ids).cast("i"))
    assert ids[0] == ids[1] == ids[2] != ids[3]  # run, run, run (3 letters: as is), ran
    assert (NLTK.stem("generously"), NLTK.stem("generous")) == ("gener", "gener") and ids[4] == ids[5]
    assert list(memoryview(lens).cast("i")) == [4, 2]
    plain = native._rouge.Vocab(False)
    ids = list(memoryview(plain.encode("running runs running")[0]).cast("i"))
    assert ids[0] == ids[2] != ids[1]


def test_pure_python_engine_is_used_when_the_native_core_is_disabled():
    code = ("from harness.scoring import native, Scorer, ScoreConfig; import json; "
            "s = Scorer(ScoreConfig(cache=False)); print(json.dumps([native.ENABLED, type(s._engine).__name__]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "HARNESS_NATIVE": "0"}).stdout
    assert json.loads(out) == [False, "Engine"]
