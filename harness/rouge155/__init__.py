"""ROUGE-1.5.5 without Perl, exact to the printed digit (docs/rouge155.md).

Leaf-first: porter, resources, options -> text -> kernels -> measures -> resample -> api
-> evals, output -> command (the drop-in for ROUGE-1.5.5.pl).
"""
from .api import Rouge155, Score, measure_names
from .options import Options, OptionError, parse_string

__all__ = ["Rouge155", "Score", "measure_names", "Options", "OptionError", "parse_string"]
