"""A reproducibility signature in the spirit of sacrebleu's.

Two runs whose signatures are equal were scored the same way: the string
names every choice that changes a number and the versions of the code that
computed it, so they give byte-identical scores.jsonl. Example:

    rouge1+rouge2+rougeL+rougeLsum|stem:porter|tok:rouge-score|lsum:nupunkt|multiref:max|limit:none|boot:1000|seed:12345|base:lead|resample:multinomial-chunked4096|engine:harness|harness:0.1.0|rouge-score:0.1.2|nltk:3.10.4

`stem` through `limit`, `engine` and the versions change per-example scores;
`boot`, `seed`, `base` and `resample` (the resampling scheme of
harness.stats, whose draws decide every interval and p-value) change only
the confidence intervals and p-values.
`score_signature` keeps the former: it keys the score cache, so changing the
number of resamples does not rescore anything.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from ..version import __version__
from .config import ScoreConfig

_STATS_FIELDS = ("boot", "seed", "base", "resample")


@lru_cache(maxsize=None)
def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _limit(config: ScoreConfig) -> str:
    if config.max_words is not None:
        return f"words={config.max_words}"
    if config.max_bytes is not None:
        return f"bytes={config.max_bytes}"
    return "none"


def signature_fields(config: ScoreConfig, resampler: str) -> dict[str, str]:
    """The signature as ordered key/value pairs (for diffs between runs).

    `resampler` names the resampling scheme of the statistics (harness.stats
    passes its own): scoring does not depend on how scores are resampled.
    """
    if config.rouge155 is not None:  # ROUGE-1.5.5 mode: its options decide stemming, tokens, references, limits
        scoring = {"lsum": config.lsum_split, "rouge155": config.rouge155, "exceptions": config.rouge155_exceptions}
    else:
        scoring = {"stem": "porter" if config.use_stemmer else "none", "tok": config.tokenizer,
                   "lsum": config.lsum_split, "multiref": config.multiref, "limit": _limit(config)}
    return {
        "types": "+".join(config.rouge_types),
        **scoring,
        "boot": str(config.bootstrap),
        "seed": str(config.seed),
        "base": config.baseline_system or "none",
        "resample": resampler,
        "engine": config.engine,
        "harness": __version__,  # the code's own (the distribution is summarization-harness)
        "rouge-score": _version("rouge-score"),
        "nltk": _version("nltk"),  # its Porter stemmer is part of the numbers
    }


def _join(fields: dict[str, str]) -> str:
    fields = dict(fields)
    head = fields.pop("types")
    return "|".join([head] + [f"{k}:{v}" for k, v in fields.items()])


def make_signature(config: ScoreConfig, resampler: str) -> str:
    return _join(signature_fields(config, resampler))


def score_signature(config: ScoreConfig) -> str:
    """The part of the signature that per-example scores depend on."""
    return _join({k: v for k, v in signature_fields(config, "").items() if k not in _STATS_FIELDS})


def parse_signature(sig: str) -> dict[str, str]:
    head, *rest = sig.split("|")
    out = {"types": head}
    for part in rest:
        k, _, v = part.partition(":")
        out[k] = v
    return out
