"""ROUGE scoring: configuration, the engines, the scorer, the cache and the reproducibility signature."""
from .cache import ScoreCache
from .config import DEFAULT_ROUGE_TYPES, MULTIREF_RULES, TOKENIZERS, ScoreConfig
from .engine import Engine, prf
from .scorer import PairScore, Scorer, summary_text
from .signature import make_signature, parse_signature, score_signature, signature_fields

__all__ = ["DEFAULT_ROUGE_TYPES", "MULTIREF_RULES", "TOKENIZERS", "ScoreConfig", "ScoreCache", "Engine", "prf",
           "PairScore", "Scorer", "summary_text", "make_signature", "parse_signature",
           "score_signature", "signature_fields"]
