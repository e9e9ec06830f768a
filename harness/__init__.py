"""harness: summarization evaluation with ROUGE identical to rouge-score.

    import harness
    corpus = harness.load("interview")
    result = harness.run(corpus, ["lead", "random"])           # a temporary run folder
    print(result.table())

    summaries = harness.summarize(corpus, ["lead", "textrank"])  # {system: {id: sentences}}
    result = harness.score(corpus, summaries, use_stemmer=True)  # the same path, for summaries made elsewhere

    # what `harness report`, `harness compare` and `harness check` do
    harness.write_report("runs/x", *harness.load_run("runs/x"), precision_recall=True)
    cmp = harness.compare_runs(harness.load_scores("runs/a"), harness.load_scores("runs/b"))
    gate = harness.check_run(harness.load_scores("runs/x"), harness.read_baseline("results/b.json"))
"""
from .data import Corpus, Example, ExampleStream, Reference
from .errors import DataError, HarnessError
from .loaders import load, stream
from .loaders.predictions import Predictions
from .pipeline import Result, run, score, summarize
from .compare import compare as compare_runs
from .gate import baseline_from_run, check as check_run, read_baseline, write_baseline
from .report import build_table, render_table, write_report
from .run_folder import load_run, load_scores
from .runner import RunFailed
from .scoring import ScoreConfig, Scorer
from .summarizers import Budget, Summarizer
from .summarizers import catalog as list_summarizers  # `harness list`

from .version import __version__
__all__ = ["Corpus", "Example", "Reference", "DataError", "HarnessError", "load", "Result", "run", "score",
           "summarize", "render_table", "ScoreConfig", "Scorer", "Budget", "Summarizer",
           "build_table", "load_run", "write_report", "compare_runs", "load_scores", "check_run",
           "baseline_from_run", "read_baseline", "write_baseline", "list_summarizers",
           "ExampleStream", "stream", "Predictions", "RunFailed"]
