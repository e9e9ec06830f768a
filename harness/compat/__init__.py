"""Drop-in versions of the ROUGE APIs people already call, on the harness's engine.

    from harness.compat import rouge_scorer, scoring   # was: from rouge_score import ...
    from harness.compat import evaluate_rouge          # was: evaluate.load("rouge")

`rouge_scorer` and `scoring` mirror rouge-score 0.1.2's modules of the same
names (the same classes, arguments, results and errors); `evaluate_rouge.compute`
returns what Hugging Face evaluate's "rouge" metric returns. The numbers are
rouge-score's, float for float (tests/test_compat.py checks them on 20,000
realistic and adversarial pairs), computed by `harness.scoring`'s engine.
See docs/migration.md.
"""
