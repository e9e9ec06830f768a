"""ROUGE scoring: configuration, the scorer, and the reproducibility signature."""
from .config import DEFAULT_ROUGE_TYPES, ScoreConfig
from .scorer import PairScore, Scorer, summary_text
from .signature import make_signature, parse_signature, signature_fields

__all__ = ["DEFAULT_ROUGE_TYPES", "ScoreConfig", "PairScore", "Scorer", "summary_text",
           "make_signature", "parse_signature", "signature_fields"]
