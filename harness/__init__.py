"""harness: summarization evaluation with ROUGE identical to rouge-score.

    import harness
    corpus = harness.load("interview")
    summaries = harness.summarize(corpus, ["lead:k=3", "random:k=3"])
    result = harness.score(corpus, summaries, use_stemmer=True)
    print(result.table())
"""
from .data import Corpus, Example, Reference
from .errors import DataError, HarnessError
from .loaders import load
from .pipeline import Result, run, score, summarize
from .report import render_table
from .runner import RunFailed
from .scoring import ScoreConfig, Scorer
from .summarizers import Budget, Summarizer

__version__ = "0.1.0"
__all__ = ["Corpus", "Example", "Reference", "DataError", "HarnessError", "load", "Result", "run", "score",
           "summarize", "render_table", "ScoreConfig", "Scorer", "Budget", "Summarizer", "RunFailed"]
