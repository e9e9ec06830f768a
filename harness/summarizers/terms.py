"""Sentences as bags of terms: the shared text analysis of the extractive methods.

A sentence's *tokens* are its runs of Unicode letters and digits, lowercased.
Its *terms* are those tokens with English stop words removed and
Porter-stemmed (each step can be switched off per summarizer), so "Elections"
and "election" count as one term. Counting is vectorised: a document becomes a
sentences x terms count matrix, from which TF-IDF vectors, cosine similarities
and word probabilities follow with numpy.

The IDF of a term is computed over the document's own sentences, each sentence
taken as a document (log N/df): the summarizers see one example at a time and
no background corpus, as in sumy and most single-document reimplementations of
LexRank and MEAD.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

_TOKEN = re.compile(r"[^\W_]+")

# NLTK's English stop-word list (179 words), written out because NLTK's data
# package cannot be downloaded here; the list is what "stop words" means in
# the sumy and NLTK-based reimplementations these methods are compared with.
STOP_WORDS = frozenset("""
i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him
his himself she she's her hers herself it it's its itself they them their theirs themselves what which who
whom this that that'll these those am is are was were be been being have has had having do does did doing a
an the and but if or because as until while of at by for with about against between into through during
before after above below to from up down in out on off over under again further then once here there when
where why how all any both each few more most other some such no nor not only own same so than too very s t
can will just don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't
doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't
shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn wouldn't
""".split())


@lru_cache(maxsize=1)
def _porter():
    from nltk.stem.porter import PorterStemmer  # no NLTK data needed

    return PorterStemmer()


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Porter stem of a lowercased token (memoised: news text repeats its words)."""
    return _porter().stem(token)


def tokens(sentence: str) -> list[str]:
    """Lowercased runs of letters and digits, in order."""
    return _TOKEN.findall(sentence.lower())


@dataclass(frozen=True)
class Analyzer:
    """How tokens become terms: stop words removed and/or Porter stemming."""

    stem: bool = True
    stopwords: bool = True

    def terms(self, sentence: str) -> list[str]:
        toks = tokens(sentence)
        if self.stopwords:
            toks = [t for t in toks if t not in STOP_WORDS]
        if self.stem:
            toks = [stem(t) for t in toks]
        return toks


class Bag:
    """A document's sentences as a count matrix `counts[i, t]` = occurrences of term t in sentence i.

    `vocab` maps each term to its column; `lengths[i]` is the number of terms
    of sentence i (after stop-word removal).
    """

    def __init__(self, sentence_terms: Sequence[Sequence[str]]) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for i, terms in enumerate(sentence_terms):
            for t in terms:
                cols.append(vocab.setdefault(t, len(vocab)))
            rows.extend([i] * len(terms))
        n, v = len(sentence_terms), len(vocab)
        flat = np.bincount(np.asarray(rows, dtype=np.int64) * v + np.asarray(cols, dtype=np.int64),
                           minlength=n * v) if v else np.zeros(0, dtype=np.int64)
        self.vocab = vocab
        self.counts = flat.reshape(n, v).astype(np.float64)
        self.lengths = self.counts.sum(axis=1)

    @classmethod
    def of(cls, sentences: Sequence[str], analyzer: Analyzer) -> "Bag":
        return cls([analyzer.terms(s) for s in sentences])

    @property
    def n_sentences(self) -> int:
        return self.counts.shape[0]

    def idf(self) -> np.ndarray:
        """log(N / df) per term, sentences as documents (every term occurs somewhere, so df >= 1)."""
        df = (self.counts > 0).sum(axis=0)
        return np.log(self.n_sentences / df) if len(df) else np.zeros(0)

    def vector(self, text_terms: Sequence[str]) -> np.ndarray:
        """Counts of another text (a question, a query) over this document's terms; unknown terms are dropped."""
        v = np.zeros(len(self.vocab))
        for t in text_terms:
            j = self.vocab.get(t)
            if j is not None:
                v[j] += 1
        return v


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarity of the rows; a zero row has similarity 0 with everything, itself included."""
    norms = np.sqrt((vectors * vectors).sum(axis=1))
    safe = np.where(norms > 0, norms, 1.0)
    unit = vectors / safe[:, None]
    return unit @ unit.T


def cosine(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine of each row with one vector (0 where either is zero)."""
    qn = float(np.sqrt(query @ query))
    norms = np.sqrt((vectors * vectors).sum(axis=1))
    denom = norms * qn
    return np.divide(vectors @ query, denom, out=np.zeros(len(vectors)), where=denom > 0)
