"""The data ROUGE-1.5.5 reads, shipped in harness/rouge155/data/ (provenance and licences in NOTICE).

- `wordnet-2.0-exceptions.tsv`: the lookup table `-m` applies before Porter, i.e. ROUGE's
  `WordNet-2.0.exc.db` as its `buildExeptionDB.pl` builds it from the WordNet 2.0 .exc lists
  (noun, adv, verb, adj read in that order, later keys overwrite earlier ones): 5,930 entries.
- `none`: the empty database some widely used copies ship (SummEval's among them): `-m` is Porter alone.
- `smart_common_words.txt`: the stop-word list `-s` removes (598 words, the SMART system's list).
"""
from functools import lru_cache
from pathlib import Path

from ..errors import HarnessError

DATA = Path(__file__).resolve().parent / "data"
EXCEPTIONS = ("wordnet-2.0", "none")
DEFAULT_EXCEPTIONS = "wordnet-2.0"


@lru_cache(maxsize=None)
def exceptions(name: str) -> dict:
    """The exception table `name` (one of EXCEPTIONS) as {inflected: replacement}."""
    if name == "none":
        return {}
    if name != "wordnet-2.0":
        raise HarnessError(f"unknown ROUGE-1.5.5 exception database {name!r}: use one of {', '.join(EXCEPTIONS)}")
    rows = (line.split("\t") for line in (DATA / "wordnet-2.0-exceptions.tsv").read_text("ascii").splitlines())
    return {key: value for key, value in rows}


@lru_cache(maxsize=None)
def stopwords() -> frozenset:
    """ROUGE's `-s` list: each line of smart_common_words.txt, as it reads them (chomped, nothing else)."""
    return frozenset((DATA / "smart_common_words.txt").read_text("ascii").split("\n"))
