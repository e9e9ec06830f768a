"""ROUGE-1.5.5's text handling, on bytes as the script reads its files (no decoding: `-b` counts bytes,
only ASCII A-Z is lower-cased, only ASCII characters are whitespace).

A summary is a list of units (sentences). ROUGE reads it twice, and the two readings differ under `-b`:
`joined` (ROUGE-N, S and the unigram counts that clip L and W) and `units_for_lcs` (the sentences of
ROUGE-L and W). Tokens are the runs of [a-z0-9] of the cleaned text; `-s` drops SMART stop words,
`-m` replaces tokens longer than 3 characters by their exception-table entry, else their Porter stem.
"""
import re
from typing import NamedTuple

from .porter import stem

_LINE = re.compile(rb"[^\n]*\n|[^\n]+")
_SEE = (re.compile(rb'^<a size="[0-9]+" name="[0-9]+">\[([0-9]+)\]</a>\s+<a href="#[0-9]+" id=[0-9]+>([^<]+)'),
        re.compile(rb'^<a name="[0-9]+">\[([0-9]+)\]</a>\s+<a href="#[0-9]+" id=[0-9]+>([^<]+)'))
_ISI = re.compile(rb'^<S SNTNO="[0-9a-z,]+">([^<]+)</S>')
_WS = re.compile(rb"\s+")
_TOKEN = re.compile(r"[a-z0-9]+")


class Tokenizer(NamedTuple):
    """How units become tokens: `stem` with `exceptions` (inflected -> replacement), minus `stopwords`."""
    stem: bool
    exceptions: dict
    stopwords: frozenset

    def tokens(self, text: bytes) -> list[str]:
        # latin-1 maps every byte to one character, so [a-z0-9] runs are found as in the bytes
        out = _TOKEN.findall(text.decode("latin-1"))
        if self.stopwords:
            out = [w for w in out if w not in self.stopwords]
        if self.stem:
            exceptions = self.exceptions
            out = [w if len(w) <= 3 else (exceptions.get(w) or stem(w)) for w in out]
        return out


def read_units(data: bytes, fmt: str) -> list[bytes]:
    """The units of a summary file in input format `fmt` (SEE, ISI or SPL), ASCII lower-cased."""
    kind = fmt.upper()
    lines = _LINE.findall(data)
    if kind == "SPL":
        units = [line[:-1] if line.endswith(b"\n") else line for line in lines]
        units = [u for u in units if u]
    elif kind == "SEE":
        units = [m.group(2) for line in lines if (m := _SEE[0].match(line) or _SEE[1].match(line))]
    elif kind == "ISI":
        units = [m.group(1) for line in lines if (m := _ISI.match(line))]
    else:
        raise ValueError(f"unknown input format {fmt!r}")
    return [u.lower() for u in units]


def units_from_lines(lines: list[str]) -> list[bytes]:
    """Units from a summary's lines as the SPL format reads them (empty lines dropped)."""
    return read_units("\n".join(lines).encode("utf-8"), "SPL")


def perl_split(unit: bytes) -> list[bytes]:
    """Perl's split(/\\s+/, unit): a leading empty field stays, trailing ones go."""
    fields = _WS.split(unit)
    while fields and not fields[-1]:
        fields.pop()
    return fields


def _cut_words(unit: bytes, keep: int) -> bytes:
    return b" ".join(perl_split(unit)[:keep])


def joined(units: list[bytes], words: int = 0, size: int = 0) -> bytes | None:
    """The text ROUGE-N/S read, after `-l words` or `-b size`; None where a limit leaves nothing."""
    if not words and not size:
        return b" ".join(units)
    kept, used = [], 0
    for unit in units:
        length = len(perl_split(unit)) if words else len(unit)
        limit = words or size
        if used + length < limit:
            kept.append(unit)
            used += length
            continue
        kept.append(_cut_words(unit, limit - used) if words else unit[:limit - used])
        break
    text = b" ".join(kept)
    return text if text else None


def units_for_lcs(units: list[bytes], words: int = 0, size: int = 0) -> list[bytes]:
    """The units ROUGE-L/W read. Under `-b` ROUGE does not add up the units' bytes here: every unit
    shorter than the limit is kept whole, up to the first that is not, which is cut to the limit."""
    if not words and not size:
        return list(units)
    kept, used = [], 0
    for unit in units:
        length = len(perl_split(unit)) if words else len(unit)
        if used + length < (words or size):
            kept.append(unit)
            used += length if words else 0
            continue
        kept.append(_cut_words(unit, words - used) if words else unit[:size])
        break
    return kept
