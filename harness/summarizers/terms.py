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
from typing import Sequence, TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
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


def tokens(sentence: str) -> list[str]:
    """Lowercased runs of letters and digits, in order."""
    return _TOKEN.findall(sentence.lower())


_SEP = " \x00 "  # sentence separator: a token of its own after the split
# On UTF-8 bytes: ASCII punctuation and whitespace -> space, every other byte
# (letters, digits, the separator, multi-byte characters) unchanged.
_ASCII_PUNCT_TO_SPACE = bytes(b if b == 0 or b >= 128 or chr(b).isalnum() else 32 for b in range(256))
_LIMIT = 1_000_000  # distinct tokens remembered per process before the tables start afresh
STOP = -1  # the id of a stop word kept as a placeholder
BOUNDARY = -2  # the id of a sentence boundary
_NOTHING = -3  # a piece without terms (a dropped stop word)
_SEVERAL = -4  # pieces with several terms ("naïve—café") are stored as _SEVERAL - k: entry k of a side list


class _Vocabulary:
    """Process-wide term ids, and per analyzer a piece -> id table (each piece analysed once).

    A piece is what a whitespace split leaves once ASCII punctuation is gone;
    almost every piece is one token and so one term, stored as its id.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tables: dict[tuple, tuple[dict[str, int], list[tuple[int, ...]]]] = {}

    def table(self, key: tuple) -> tuple[dict[str, int], list[tuple[int, ...]]]:
        if len(self.ids) > _LIMIT:  # ids stay valid within a call: this runs only at its start
            self.ids.clear()
            self.tables.clear()
        t = self.tables.get(key)
        if t is None:
            t = self.tables[key] = ({"\x00": BOUNDARY}, [])
        return t

    def id(self, term: str) -> int:
        return self.ids.setdefault(term, len(self.ids))


_VOCAB = _Vocabulary()


@dataclass(frozen=True)
class Analyzer:
    """How tokens become terms: stop words removed and/or Porter stemming."""

    stem: bool = True
    stopwords: bool = True

    def terms(self, sentence: str) -> list[str]:
        """The terms of one sentence (the definition; `encode` is the fast path for whole documents)."""
        toks = tokens(sentence)
        if self.stopwords:
            toks = [t for t in toks if t not in STOP_WORDS]
        if self.stem:
            from ..scoring.backend import porter_stem as stem  # NLTK's Porter, memoized (in C where built)

            toks = [stem(t) for t in toks]
        return toks

    def _analyse(self, piece: str, placeholders: bool, several: list) -> int:
        from ..scoring.backend import porter_stem as stem  # imported here: `harness list` needs no scoring engine

        out = []
        for t in tokens(piece):
            if self.stopwords and t in STOP_WORDS:
                if placeholders:
                    out.append(STOP)
                continue
            out.append(_VOCAB.id(stem(t) if self.stem else t))
        if len(out) == 1:
            return out[0]
        if not out:
            return _NOTHING
        several.append(tuple(out))
        return _SEVERAL - (len(several) - 1)

    def encode(self, sentences: Sequence[str], placeholders: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Every term of the document as (sentence index, term id) arrays, in text order.

        Term ids are process-wide (valid until the next call). With
        `placeholders`, each stop word stays in the sequence as `STOP` (Luhn
        counts them in a cluster's span); otherwise stop words are dropped.

        The document is lowercased, stripped of ASCII punctuation (a bytes
        translation) and split on whitespace once; each distinct piece is
        analysed by the rules of `terms` once per process and looked up after
        that, so this is several times faster than `terms` sentence by
        sentence. Tests check that the two agree.
        """
        import numpy as np

        if not sentences:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        table, several = _VOCAB.table((self.stem, self.stopwords, placeholders))
        text = _SEP.join(s.replace("\x00", " ") for s in sentences).lower()
        pieces = text.encode("utf-8", "surrogatepass").translate(_ASCII_PUNCT_TO_SPACE) \
            .decode("utf-8", "surrogatepass").split()
        try:
            ids = np.fromiter(map(table.__getitem__, pieces), dtype=np.int64, count=len(pieces))
        except KeyError:  # new pieces: analyse them once, then look up again
            for piece in set(pieces).difference(table):
                table[piece] = self._analyse(piece, placeholders, several)
            ids = np.fromiter(map(table.__getitem__, pieces), dtype=np.int64, count=len(pieces))
        multi = np.flatnonzero(ids <= _SEVERAL)
        if len(multi):  # splice in the terms of the few multi-term pieces
            parts, prev = [], 0
            for j in multi.tolist():
                parts += [ids[prev:j], np.array(several[_SEVERAL - int(ids[j])], dtype=np.int64)]
                prev = j + 1
            ids = np.concatenate(parts + [ids[prev:]])
        ids = ids[ids != _NOTHING]
        boundary = ids == BOUNDARY
        sentence = np.cumsum(boundary)[~boundary]
        return sentence, ids[~boundary]

    def document_terms(self, sentences: Sequence[str]) -> list[list[str]]:
        """`[self.terms(s) for s in sentences]` through `encode` (for tests and callers that want strings)."""
        sentence, ids = self.encode(sentences)
        term_of = list(_VOCAB.ids)  # id -> term
        out: list[list[str]] = [[] for _ in sentences]
        for i, t in zip(sentence.tolist(), ids.tolist()):
            out[i].append(term_of[t])
        return out


class Bag:
    """A document's sentences as a count matrix `counts[i, t]` = occurrences of term t in sentence i.

    `lengths[i]` is the number of terms of sentence i (after stop-word
    removal); `term_ids[t]` is the process-wide id of column t's term.
    """

    def __init__(self, n_sentences: int, sentence: np.ndarray, ids: np.ndarray) -> None:
        import numpy as np

        self.term_ids, cols = np.unique(ids, return_inverse=True)
        v = len(self.term_ids)
        flat = np.bincount(sentence * v + cols, minlength=n_sentences * v) if v else np.zeros(0, dtype=np.int64)
        self.counts = flat.reshape(n_sentences, v).astype(np.float64)
        self.lengths = self.counts.sum(axis=1)

    @classmethod
    def of(cls, sentences: Sequence[str], analyzer: Analyzer) -> "Bag":
        return cls(len(sentences), *analyzer.encode(sentences))

    @property
    def n_sentences(self) -> int:
        return self.counts.shape[0]

    def idf(self) -> np.ndarray:
        """log(N / df) per term, sentences as documents (every term occurs somewhere, so df >= 1)."""
        import numpy as np

        df = (self.counts > 0).sum(axis=0)
        return np.log(self.n_sentences / df) if len(df) else np.zeros(0)

    def vector(self, text_terms: Sequence[str]) -> np.ndarray:
        """Counts of another text (a question, a query) over this document's terms; other terms are dropped."""
        import numpy as np

        v = np.zeros(len(self.term_ids))
        column = {int(t): j for j, t in enumerate(self.term_ids)}
        for term in text_terms:
            j = column.get(_VOCAB.ids.get(term, -1))
            if j is not None:
                v[j] += 1
        return v


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarity of the rows; a zero row has similarity 0 with everything, itself included."""
    import numpy as np

    norms = np.sqrt((vectors * vectors).sum(axis=1))
    safe = np.where(norms > 0, norms, 1.0)
    unit = vectors / safe[:, None]
    return unit @ unit.T


def cosine(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine of each row with one vector (0 where either is zero)."""
    import numpy as np

    qn = float(np.sqrt(query @ query))
    norms = np.sqrt((vectors * vectors).sum(axis=1))
    denom = norms * qn
    return np.divide(vectors @ query, denom, out=np.zeros(len(vectors)), where=denom > 0)
