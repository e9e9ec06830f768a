"""Realistic synthetic summarization pairs, for parity tests and benchmarks.

Real evaluation sets cannot ship with the project, so tests and benchmarks
build text with the statistics that matter to ROUGE: a Zipfian vocabulary
(a few function words make up much of every text, as in English), inflected
content words (so the Porter stemmer has work: -s, -ed, -ing, -tion, ...),
capitalized names, numbers, punctuation, hyphens and apostrophes, sentences
of 5 to 35 words, and summaries and references that both draw on one source
document, so they share words, phrases and word order as real ones do.

Deterministic: the same seed gives the same texts.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass

FUNCTION_WORDS = (
    "the of and to a in is that for it was on with as he be at by his this had not are but from or have an they "
    "which one you were her all she there would their we him been has when who will more no if out so said what "
    "up its about into than them can only other new some could time these two may then do first any my now such "
    "like our over man me even most made after also did many before must through back years where much your way "
    "well down should because each just those people how too little state good very make world still own see men "
    "work long get here between both life being under never day same another know while last might us great old "
    "year off come since against go came right used take three"
).split()
_ONSETS = "b c d f g h j k l m n p r s t v w b d l m n r s t br cl dr fl gr pl pr st th tr ch sh".split()
_VOWELS = "a e i o u a e i o u ai ea ee oo ou".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "nd", "st", "rt", "ck", "m", "ng"]
_SUFFIXES = ["", "", "", "", "s", "s", "es", "ed", "ing", "er", "ly", "tion", "ness", "ment", "able", "ful", "ity",
             "ies", "ised", "izing", "ation", "ational", "ousness"]
_PUNCT = [",", ",", ",", ";", ":", " -", ""]


@dataclass
class Vocabulary:
    words: list[str]
    weights: list[float]


def vocabulary(size: int = 20000, seed: int = 0, zipf: float = 1.07) -> Vocabulary:
    """Function words first, then invented inflected words, with Zipfian weights 1 / rank**zipf."""
    rng = random.Random(seed)
    seen = set(FUNCTION_WORDS)
    words = list(FUNCTION_WORDS)
    stems = []
    while len(words) < size:
        if stems and rng.random() < 0.35:
            stem = rng.choice(stems)  # another inflection of a known stem
        else:
            stem = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                           for _ in range(rng.choice((1, 1, 1, 2, 2, 3))))
            stems.append(stem)
        w = stem + rng.choice(_SUFFIXES)
        r = rng.random()
        if r < 0.06:
            w = w.capitalize()  # a name
        elif r < 0.08:
            w = str(rng.randint(2, 2030))
        elif r < 0.10:
            w = w + "-" + rng.choice(stems)
        elif r < 0.115:
            w = w + "'s"
        if w not in seen:
            seen.add(w)
            words.append(w)
    return Vocabulary(words, [1.0 / (i + 1) ** zipf for i in range(len(words))])


class TextMaker:
    """Sentences, documents and (reference, summary) pairs over one vocabulary."""

    def __init__(self, seed: int = 0, vocab: Vocabulary | None = None) -> None:
        import numpy as np

        self.rng = random.Random(seed)
        self.vocab = vocab or vocabulary(seed=seed)
        self._np = np.random.default_rng(seed)
        cum = np.cumsum(self.vocab.weights)
        self._cum = cum / cum[-1]
        self._buffer: list[str] = []
        self._next = 0

    def words(self, n: int) -> list[str]:
        """n words drawn from the Zipfian vocabulary (drawn in blocks, with numpy)."""
        if self._next + n > len(self._buffer):
            idx = self._cum.searchsorted(self._np.random(max(8192, n)), side="right")
            words = self.vocab.words
            self._buffer = self._buffer[self._next:] + [words[i] for i in idx.tolist()]
            self._next = 0
        out = self._buffer[self._next:self._next + n]
        self._next += n
        return out

    def sentence(self, n: int | None = None) -> str:
        n = n or self.rng.randint(5, 35)
        w = self.words(n)
        rand = self.rng.random
        if n > 2:  # punctuation after about 6% of the words inside the sentence
            for i in self.rng.sample(range(1, n - 1), min(n - 2, int(0.06 * n + rand()))):
                w[i] += self.rng.choice(_PUNCT)
        s = " ".join(w)
        if rand() < 0.05:
            s = f'"{s}"'
        return s[0].upper() + s[1:] + self.rng.choice(".....?!")

    def sentences(self, n_words: int) -> list[str]:
        """Sentences totalling about `n_words` words."""
        out, total = [], 0
        while total < n_words:
            k = min(self.rng.randint(5, 35), max(5, n_words - total))
            out.append(self.sentence(k))
            total += k
        return out

    def rewrite(self, source: list[str], n_words: int, keep: float = 0.7) -> list[str]:
        """A summary-like text of about `n_words` words: source sentences in order from a
        random start, with words dropped and replaced (as abstractive and extractive systems do)."""
        picked, total = [], 0
        start = self.rng.randrange(len(source))
        rand = self.rng.random
        replace = keep + (1 - keep) / 2
        for i in list(range(start, len(source))) + list(range(start)):
            if total >= n_words:
                break
            words = source[i].split()
            if rand() < 0.5 and len(words) > 8:  # a clause, not the whole sentence
                a = self.rng.randrange(len(words) - 6)
                words = words[a:a + self.rng.randint(6, len(words) - a)]
            fresh = self.words(len(words))  # replacements, drawn at once
            draws = self._np.random(len(words)).tolist()
            out = [w if r < keep else new for w, new, r in zip(words, fresh, draws) if r < replace]
            if out:
                s = " ".join(out[: max(1, n_words - total)])
                picked.append(s[0].upper() + s[1:])
                total += len(s.split())
        return picked

    def pair(self, ref_words: int, summary_words: int) -> tuple[str, str]:
        """(reference, summary), sentences one per line, both drawn from one source document."""
        source = self.sentences(max(2 * ref_words, 100))
        ref = self.rewrite(source, ref_words, keep=0.8)
        summ = self.rewrite(source, summary_words, keep=0.7)
        return "\n".join(ref), "\n".join(summ)


# Short news-like records for tests and benchmarks of the run path (a fixed
# 40-word vocabulary: cheap to make, realistic enough to summarize and score).
NEWS_WORDS = ("the minister said talks on trade resumed after a long pause while officials in both capitals "
              "expect a deal before the summit next month although critics warn that tariffs could rise again "
              "and farmers worry about exports of grain steel cars and energy to markets abroad").split()


def _news_sentence(rng: random.Random, lo: int = 6, hi: int = 14) -> str:
    return " ".join(rng.choice(NEWS_WORDS) for _ in range(rng.randint(lo, hi))).capitalize() + "."


def news_record(i: int, seed: int = 0) -> dict:
    """Example `i` of a reproducible set: `{"id", "source" (5 sentences), "references" (1 or 2)}`."""
    rng = random.Random(seed * 1_000_003 + i)
    return {"id": f"ex{i:07d}", "source": " ".join(_news_sentence(rng) for _ in range(5)),
            "references": [" ".join(_news_sentence(rng) for _ in range(2)) for _ in range(rng.randint(1, 2))]}


def write_news_jsonl(path, n: int, seed: int = 0):
    """`n` news records as a JSONL data file."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(news_record(i, seed)) + "\n")
    return path
