"""A reproducibility signature in the spirit of sacrebleu's.

Two runs whose signatures are equal were scored the same way: the string
names every choice that changes a number and the versions of the code that
computed it. Example:

    rouge1+rouge2+rougeL+rougeLsum|stem:porter|tok:rouge-score|lsum:nupunkt|multiref:max|engine:rouge-score|harness:0.1.0|rouge-score:0.1.2
"""
from __future__ import annotations

from importlib import metadata

from .config import ScoreConfig


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def signature_fields(config: ScoreConfig) -> dict[str, str]:
    """The signature as ordered key/value pairs (for diffs between runs)."""
    return {
        "types": "+".join(config.rouge_types),
        "stem": "porter" if config.use_stemmer else "none",
        "tok": config.tokenizer,
        "lsum": config.lsum_split,
        "multiref": config.multiref,
        "engine": config.engine,
        "harness": _version("harness"),
        "rouge-score": _version("rouge-score"),
    }


def make_signature(config: ScoreConfig) -> str:
    fields = signature_fields(config)
    head = fields.pop("types")
    return "|".join([head] + [f"{k}:{v}" for k, v in fields.items()])


def parse_signature(sig: str) -> dict[str, str]:
    head, *rest = sig.split("|")
    out = {"types": head}
    for part in rest:
        k, _, v = part.partition(":")
        out[k] = v
    return out
