"""Every scoring choice that changes a number, in one place."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

# The statistics' defaults live with the statistics (a leaf module); a run's
# configuration carries them so that one object describes the whole run.
from ..stats import DEFAULT_BASELINE, DEFAULT_RESAMPLES, DEFAULT_SEED
from ..errors import HarnessError
from ..rouge155.api import measure_names
from ..rouge155.options import parse_string as parse_rouge155
from ..rouge155.resources import DEFAULT_EXCEPTIONS, EXCEPTIONS as ROUGE155_EXCEPTIONS

DEFAULT_ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_VALID_TYPE = re.compile(r"^(rouge[1-9]|rougeL|rougeLsum)$")
MULTIREF_RULES = ("max", "mean", "jackknife", "pooled")
TOKENIZERS = ("rouge-score", "unicode")
ENGINES = ("harness", "rouge-score")
LSUM_SPLITS = ("nupunkt", "pysbd", "newline")


@dataclass(frozen=True)
class ScoreConfig:
    """How summaries are scored.

    rouge_types: which ROUGE variants; rougeN counts n-gram overlap, rougeL the
        longest common subsequence, rougeLsum the union LCS over sentences.
    use_stemmer: Porter-stem tokens longer than three letters (rouge-score's rule).
    tokenizer: how text becomes tokens; "rouge-score" lowercases and keeps only
        runs of ASCII letters and digits; "unicode" keeps letters and digits of
        every script (see harness.scoring.tokenize).
    lsum_split: how texts are split into sentences for rougeLsum; lines are
        always sentence boundaries, and "nupunkt" also splits within a line.
    multiref: how several references combine: "max" keeps, per ROUGE type, the
        reference with the highest F (rouge-score's `score_multi`); "mean",
        "jackknife" and "pooled" (ROUGE-1.5.5 -f A), see harness.scoring.multiref.
    max_words / max_bytes: cut each summary to its first N words / bytes before
        scoring (ROUGE-1.5.5 -l / -b); at most one of them.
    bootstrap: resamples for confidence intervals and paired tests (0: none).
    seed: seed of those resamples.
    baseline_system: the system every other one is tested against.
        These three are statistics settings (their defaults live in
        harness.stats): the scorer reads none of them and the score cache's
        key leaves them out, but they ride here so that one object, and
        summary.json's "config", describes everything that decides a run's numbers.
    engine: "harness" (the fast engine) or "rouge-score" (the reference); equal numbers.
    rouge155: ROUGE-1.5.5 mode: its option string ("-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m"); the
        scores are ROUGE-1.5.5's (harness.rouge155), named as it prints them, and replace
        rouge_types; references combine by its -f, lengths are cut by its -l/-b.
    rouge155_exceptions: the exception database of its -m: "wordnet-2.0" or "none".
    cache: reuse scores from the persistent cache (not a number-changing choice).
    """

    rouge_types: tuple[str, ...] = DEFAULT_ROUGE_TYPES
    use_stemmer: bool = True
    tokenizer: str = "rouge-score"
    lsum_split: str = "nupunkt"
    multiref: str = "max"
    max_words: int | None = None
    max_bytes: int | None = None
    bootstrap: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    baseline_system: str | None = DEFAULT_BASELINE
    engine: str = "harness"
    rouge155: str | None = None
    rouge155_exceptions: str = DEFAULT_EXCEPTIONS
    cache: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        if self.rouge155 is not None:
            self._rouge155_mode()
        types = self.rouge_types
        if isinstance(types, str):
            types = [t.strip() for t in types.split(",") if t.strip()]
        object.__setattr__(self, "rouge_types", tuple(types))
        bad = [t for t in self.rouge_types if not _VALID_TYPE.match(t)] if self.rouge155 is None else []
        if bad or not self.rouge_types:
            raise ValueError(f"invalid ROUGE type(s) {bad}: use rouge1..rouge9, rougeL, rougeLsum")
        if len(set(self.rouge_types)) != len(self.rouge_types):
            raise ValueError(f"ROUGE type listed twice in {list(self.rouge_types)}")
        for name, value, allowed in (("multi-reference rule", self.multiref, MULTIREF_RULES),
                                     ("tokenizer", self.tokenizer, TOKENIZERS),
                                     ("engine", self.engine, ENGINES),
                                     ("rougeLsum sentence splitter", self.lsum_split, LSUM_SPLITS)):
            if value not in allowed:
                raise ValueError(f"unknown {name} {value!r}; choose from {', '.join(allowed)}")
        if self.max_words is not None and self.max_bytes is not None:
            raise ValueError("give a length limit in words or in bytes, not both (as ROUGE-1.5.5's -l / -b)")
        for name in ("max_words", "max_bytes"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if isinstance(self.bootstrap, bool) or not isinstance(self.bootstrap, int) or self.bootstrap < 0:
            raise ValueError(f"bootstrap must be a number of resamples >= 0, got {self.bootstrap!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be an integer >= 0, got {self.seed!r}")
        if self.multiref == "pooled" and self.engine != "harness":
            raise ValueError("multiref 'pooled' needs the counts behind each score: use engine 'harness'")

    def _rouge155_mode(self) -> None:
        try:
            options = parse_rouge155(self.rouge155)
        except HarnessError as e:
            raise ValueError(f"--rouge155: {e}") from None
        if options.counting != 0:
            raise ValueError("--rouge155 -t 1/-t 2 average over tokens, not per summary: the harness's statistics "
                             "need per-summary scores (harness rouge155 runs them)")
        if self.max_words is not None or self.max_bytes is not None:
            raise ValueError("--rouge155: give the length limit inside the option string (-l N or -b N)")
        if self.engine != "harness":
            raise ValueError("--rouge155 is its own engine: leave --engine at harness")
        if self.rouge155_exceptions not in ROUGE155_EXCEPTIONS:
            raise ValueError(f"unknown ROUGE-1.5.5 exception database {self.rouge155_exceptions!r}; "
                             f"choose from {', '.join(ROUGE155_EXCEPTIONS)}")
        names = tuple(measure_names(options))
        if not names:
            raise ValueError(f"--rouge155 {self.rouge155!r} computes no measure (add -n N, -w W or -2 N, or drop -x)")
        object.__setattr__(self, "rouge155", " ".join(self.rouge155.split()))
        object.__setattr__(self, "rouge_types", names)

    def to_dict(self) -> dict:
        """The number-changing choices (what summary.json records; the ROUGE-1.5.5 fields only in that mode)."""
        d = asdict(self)
        d["rouge_types"] = list(self.rouge_types)
        del d["cache"]
        if self.rouge155 is None:
            del d["rouge155"], d["rouge155_exceptions"]
        return d
