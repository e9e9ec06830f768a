"""Summarizers, found by name: `get("lead:k=3")`."""
from .base import Budget, Summarizer
from .registry import available, get, parse_spec

__all__ = ["Budget", "Summarizer", "available", "get", "parse_spec"]
