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

Each name is imported when first used (`harness.lazy`), so `import harness` and the
command's start-up stay cheap.
"""
from .lazy import exports
from .version import __version__

_EXPORTS = {
    "Corpus": ".data", "Example": ".data", "ExampleStream": ".data", "Reference": ".data",
    "DataError": ".errors", "HarnessError": ".errors",
    "load": ".loaders", "stream": ".loaders",
    "Predictions": ".loaders.predictions",
    "Result": ".pipeline", "run": ".pipeline", "score": ".pipeline", "summarize": ".pipeline",
    "compare_runs": ".compare:compare",
    "baseline_from_run": ".gate", "check_run": ".gate:check", "read_baseline": ".gate", "write_baseline": ".gate",
    "build_table": ".report", "render_table": ".report", "write_report": ".report",
    "load_run": ".run_folder", "load_scores": ".run_folder",
    "RunFailed": ".runner",
    "ScoreConfig": ".scoring.config", "Scorer": ".scoring.scorer",
    "Budget": ".summarizers.base", "Summarizer": ".summarizers.base",
    "list_summarizers": ".summarizers.registry:catalog",  # `harness list`
}
__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = ["Corpus", "Example", "Reference", "DataError", "HarnessError", "load", "Result", "run", "score",
           "summarize", "render_table", "ScoreConfig", "Scorer", "Budget", "Summarizer",
           "build_table", "load_run", "write_report", "compare_runs", "load_scores", "check_run",
           "baseline_from_run", "read_baseline", "write_baseline", "list_summarizers",
           "ExampleStream", "stream", "Predictions", "RunFailed"]
