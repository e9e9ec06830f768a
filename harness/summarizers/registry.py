"""Find summarizers by name and build them from `name:key=value:...` specs."""
from __future__ import annotations

import inspect

from .base import Budget, Summarizer
from .lead import Lead
from .random import RandomSentences

BUILTINS: dict[str, type[Summarizer]] = {cls.name: cls for cls in (Lead, RandomSentences)}
BUDGET_KEYS = {"k": int, "words": int, "ratio": float}


def available() -> dict[str, type[Summarizer]]:
    return dict(BUILTINS)


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """`"mmr:k=3:lambda=0.7"` -> `("mmr", {"k": "3", "lambda": "0.7"})`."""
    name, *parts = spec.strip().split(":")
    opts: dict[str, str] = {}
    for part in parts:
        key, eq, value = part.partition("=")
        if not eq or not key:
            raise ValueError(f"summarizer {spec!r}: option {part!r} is not key=value")
        opts[key.strip()] = value.strip()
    return name.strip(), opts


def _convert(value: str, default):
    if isinstance(default, bool):
        return value.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def get(spec: str) -> Summarizer:
    """Build the summarizer a spec names, with its options."""
    name, opts = parse_spec(spec)
    cls = BUILTINS.get(name)
    if cls is None:
        raise ValueError(f"unknown summarizer {name!r}; available: {', '.join(sorted(BUILTINS))}")
    budget_opts = {k: BUDGET_KEYS[k](opts.pop(k)) for k in list(opts) if k in BUDGET_KEYS}
    params = inspect.signature(cls.__init__).parameters
    kwargs = {}
    for key, value in opts.items():
        if key not in params or key in ("self", "budget"):
            accepted = [p for p in params if p not in ("self", "budget")] + list(BUDGET_KEYS)
            raise ValueError(f"summarizer {name!r} has no option {key!r}; options: {', '.join(accepted)}")
        kwargs[key] = _convert(value, params[key].default)
    return cls(budget=Budget(**budget_opts), **kwargs)
