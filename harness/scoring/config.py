"""Every scoring choice that changes a number, in one place."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

DEFAULT_ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_VALID_TYPE = re.compile(r"^(rouge[1-9]|rougeL|rougeLsum)$")
MULTIREF_RULES = ("max",)


@dataclass(frozen=True)
class ScoreConfig:
    """How summaries are scored.

    rouge_types: which ROUGE variants; rougeN counts n-gram overlap, rougeL the
        longest common subsequence, rougeLsum the union LCS over sentences.
    use_stemmer: Porter-stem tokens longer than three letters (rouge-score's rule).
    tokenizer: how text becomes tokens; "rouge-score" lowercases and keeps only
        runs of ASCII letters and digits.
    lsum_split: how texts are split into sentences for rougeLsum; lines are
        always sentence boundaries, and "nupunkt" also splits within a line.
    multiref: how several references combine; "max" keeps, per ROUGE type, the
        reference with the highest F (rouge-score's `score_multi`).
    """

    rouge_types: tuple[str, ...] = DEFAULT_ROUGE_TYPES
    use_stemmer: bool = True
    tokenizer: str = "rouge-score"
    lsum_split: str = "nupunkt"
    multiref: str = "max"
    engine: str = "rouge-score"

    def __post_init__(self) -> None:
        object.__setattr__(self, "rouge_types", tuple(self.rouge_types))
        bad = [t for t in self.rouge_types if not _VALID_TYPE.match(t)]
        if bad or not self.rouge_types:
            raise ValueError(f"invalid ROUGE type(s) {bad}: use rouge1..rouge9, rougeL, rougeLsum")
        if self.multiref not in MULTIREF_RULES:
            raise ValueError(f"unknown multi-reference rule {self.multiref!r}; choose from {MULTIREF_RULES}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rouge_types"] = list(self.rouge_types)
        return d
