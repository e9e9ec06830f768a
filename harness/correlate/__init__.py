"""`harness correlate`: how far the runs' metric scores track human judgments (meta-evaluation).

    judgments.py    human judgments in the forms they come in
    align.py        the runs' scores and the judgments as (systems x examples) matrices
    coefficients.py Pearson, Spearman, Kendall tau-b / tau-c (scipy.stats), row by row
    levels.py       system, summary and global level
    resampling.py   bootstrap intervals (systems | inputs | both), permutation and Williams' tests
    compute.py      every metric x dimension x level x coefficient: `correlate`
    output.py       the table (markdown, csv, json, latex) and the --json rows
    plots.py        system means against human scores; the metric x dimension heat map
"""
from __future__ import annotations

from .align import COMPONENTS, DEFAULT_COMPONENTS, Aligned, Column, align
from .coefficients import COEFFICIENTS, DEFAULT_COEFFICIENTS
from .compute import Comparison, Correlation, Options, Row, correlate
from .judgments import Judgments, read_judgments
from .levels import LEVELS
from .resampling import RESAMPLING

__all__ = ["COEFFICIENTS", "COMPONENTS", "DEFAULT_COEFFICIENTS", "DEFAULT_COMPONENTS", "LEVELS", "RESAMPLING",
           "Aligned", "Column", "Comparison", "Correlation", "Judgments", "Options", "Row", "align", "correlate",
           "read_judgments"]
