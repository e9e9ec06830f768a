"""Summarizers, found by name: `build("lead:k=3")`, `build("mmr:k=3:lambda=0.7")`, `build("pkg.mod:Fancy:k=2")`."""
from .base import Budget, Summarizer
from .registry import (ENTRY_POINT_GROUP, FunctionSummarizer, SpecError, builtins, catalog, build, parse_spec,
                       split_spec, uses_references)

__all__ = ["Budget", "Summarizer", "builtins", "build", "parse_spec", "split_spec", "catalog", "uses_references",
           "FunctionSummarizer", "SpecError", "ENTRY_POINT_GROUP"]
