"""Length limits on summaries, as ROUGE-1.5.5's `-l N` (words) and `-b N` (bytes).

Longer summaries earn more recall, so systems of different lengths are only
comparable at a common length. The cut follows ROUGE-1.5.5's `readText`
exactly (checked against its outputs in ../shared/data/rouge155_golden):

- words (`-l N`): sentences are taken in order; words are whitespace
  separated; the sentence that reaches the limit is cut to the words that
  fit, joined by single spaces, and nothing after it is kept.
- bytes (`-b N`): the same with UTF-8 bytes, counting each sentence's bytes
  but not the separators between sentences (ROUGE-1.5.5's rule); the sentence
  that reaches the limit is cut to the bytes that fit (a character split by
  the cut is dropped).

Sentences that fit whole are kept verbatim, so rougeLsum still sees them.
The harness applies the limit to the summaries only. (ROUGE-1.5.5 also cuts
the references with the same rule, which matters only for references longer
than the limit.)
"""
from __future__ import annotations

from typing import Sequence


def limit_words(sentences: Sequence[str], n: int) -> list[str]:
    """The first `n` whitespace-separated words of the summary."""
    out: list[str] = []
    used = 0
    for s in sentences:
        words = s.split()
        if used + len(words) < n:
            out.append(s)
            used += len(words)
        else:
            out.append(" ".join(words[: n - used]))
            break
    return out


def limit_bytes(sentences: Sequence[str], n: int) -> list[str]:
    """The first `n` UTF-8 bytes of the summary's sentences (separators not counted)."""
    out: list[str] = []
    used = 0
    for s in sentences:
        b = s.encode("utf-8")
        if used + len(b) < n:
            out.append(s)
            used += len(b)
        else:
            out.append(b[: n - used].decode("utf-8", errors="ignore"))
            break
    return out


def apply_limit(sentences: Sequence[str], max_words: int | None, max_bytes: int | None) -> list[str]:
    if max_words is not None:
        return limit_words(sentences, max_words)
    if max_bytes is not None:
        return limit_bytes(sentences, max_bytes)
    return list(sentences)
