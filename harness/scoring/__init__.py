"""ROUGE scoring: configuration, the engines, the scorer, the cache and the reproducibility signature.

Each name is imported when first used (`harness.lazy`): the command line reads
`config`'s defaults without loading the engines.
"""
from ..lazy import exports

_EXPORTS = {
    "ScoreCache": ".cache",
    "DEFAULT_ROUGE_TYPES": ".config", "MULTIREF_RULES": ".config", "TOKENIZERS": ".config", "ScoreConfig": ".config",
    "Engine": ".engine", "prf": ".engine",
    "PairScore": ".scorer", "Scorer": ".scorer", "summary_text": ".scorer",
    "make_signature": ".signature", "parse_signature": ".signature", "score_signature": ".signature",
    "signature_fields": ".signature",
}
__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = ["DEFAULT_ROUGE_TYPES", "MULTIREF_RULES", "TOKENIZERS", "ScoreConfig", "ScoreCache", "Engine", "prf",
           "PairScore", "Scorer", "summary_text", "make_signature", "parse_signature",
           "score_signature", "signature_fields"]
