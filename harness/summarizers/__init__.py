"""Summarizers, found by name: `get("lead:k=3")`, `get("mmr:k=3:lambda=0.7")`, `get("pkg.mod:Fancy:k=2")`."""
from .base import Budget, Summarizer
from .registry import (ENTRY_POINT_GROUP, FunctionSummarizer, SpecError, available, catalog, get, parse_spec,
                       split_spec, uses_references)

__all__ = ["Budget", "Summarizer", "available", "get", "parse_spec", "split_spec", "catalog", "uses_references",
           "FunctionSummarizer", "SpecError", "ENTRY_POINT_GROUP"]
