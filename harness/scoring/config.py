"""Every scoring choice that changes a number, in one place."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

# The statistics' defaults live with the statistics (a leaf module); a run's
# configuration carries them so that one object describes the whole run.
from ..stats import DEFAULT_BASELINE, DEFAULT_RESAMPLES, DEFAULT_SEED

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
    cache: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        types = self.rouge_types
        if isinstance(types, str):
            types = [t.strip() for t in types.split(",") if t.strip()]
        object.__setattr__(self, "rouge_types", tuple(types))
        bad = [t for t in self.rouge_types if not _VALID_TYPE.match(t)]
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

    def to_dict(self) -> dict:
        """The number-changing choices (what summary.json records)."""
        d = asdict(self)
        d["rouge_types"] = list(self.rouge_types)
        del d["cache"]
        return d
