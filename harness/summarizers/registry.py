"""Find summarizers by name and build them from specs.

A spec names a summarizer and its options, separated by colons:

    lead                      a built-in
    textrank:words=75         options are key=value (the budget: k, words or ratio; any constructor keyword)
    mmr:k=3:lambda=0.7        several options
    mysum:k=2                 a plugin: the `harness.summarizers` entry point named "mysum"
    my_pkg.sums:Fancy:k=3     a `module:attribute` callable, then its options

The rule that keeps `module:attribute` apart from options: the parts are
split on ":", every option contains "=", so a second part *without* "=" is
the attribute of the module named by the first part, and every later part
must be an option. Names are looked up in order: built-ins, then installed
entry points (each imported only when its name is asked for), then, for
`module:attribute`, the import. Option values cannot contain ":" or ","
(the list separator of --summarizers). A constructor parameter with a
trailing underscore (`lambda_`) is the option without it (`lambda`).

What a plugin may be:
- a `Summarizer` subclass: built with `budget=Budget(k/words/ratio)` and its
  other options as keyword arguments;
- any other callable `f(example, **options) -> list[str]`: wrapped in a
  `FunctionSummarizer`; it is passed `budget=` if it declares a `budget`
  parameter. A module-level function or class pickles by reference, so
  plugins run in worker processes like the built-ins.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Callable

from ..data import Example
from ..errors import HarnessError
from .base import Budget, Summarizer, spec_text
from .centroid import Centroid
from .klsum import KLSum
from .lead import Lead
from .lexrank import LexRank
from .lsa import LSA
from .luhn import Luhn
from .mmr import MMR
from .oracle import Oracle
from .question import QuestionLexRank
from .random_sentences import RandomSentences
from .sumbasic import SumBasic
from .textrank import TextRank

ENTRY_POINT_GROUP = "harness.summarizers"
BUILTINS: dict[str, type[Summarizer]] = {
    cls.name: cls
    for cls in (Lead, RandomSentences, TextRank, LexRank, Centroid, SumBasic, KLSum, LSA, Luhn, MMR,
                QuestionLexRank, Oracle)
}
BUDGET_KEYS = {"k": int, "words": int, "ratio": float}


class SpecError(HarnessError, ValueError):
    """A summarizer spec that names nothing, or options the summarizer does not take."""


class FunctionSummarizer(Summarizer):
    """A plain function `f(example, **options) -> list[str]` as a summarizer."""

    def __init__(self, func: Callable[..., Any], budget: Budget | None = None, **options: Any) -> None:
        super().__init__(budget)
        self.func = func
        self.options = options
        self.name = getattr(func, "__name__", "function")
        self._wants_budget = "budget" in inspect.signature(func).parameters

    def signature(self) -> str:
        return spec_text(f"{getattr(self.func, '__module__', '?')}:{getattr(self.func, '__qualname__', self.name)}",
                         self.budget, self.options)

    def summarize(self, example: Example) -> list[str]:
        extra = {"budget": self.budget} if self._wants_budget else {}
        # As returned: the runner refuses anything but a list of str (list() would make a str one
        # "sentence" per character).
        return self.func(example, **extra, **self.options)


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """`"mmr:k=3:lambda=0.7"` -> `("mmr", {"k": "3", "lambda": "0.7"})`;
    `"pkg.mod:Cls:k=3"` -> `("pkg.mod:Cls", {"k": "3"})`."""
    name, attr, opts = split_spec(spec)
    return (f"{name}:{attr}" if attr else name), opts


def split_spec(spec: str) -> tuple[str, str | None, dict[str, str]]:
    """`"mmr:k=3:lambda=0.7"` -> `("mmr", None, {"k": "3", "lambda": "0.7"})`;
    `"pkg.mod:Cls:k=3"` -> `("pkg.mod", "Cls", {"k": "3"})`."""
    head, *parts = spec.strip().split(":")
    attr = None
    if parts and "=" not in parts[0] and head.strip() in BUILTINS:
        raise SpecError(f"summarizer {spec!r}: option {parts[0]!r} is not key=value (e.g. {head.strip()}:k=3)")
    if parts and "=" not in parts[0]:
        attr, parts = parts[0].strip(), parts[1:]
        if not attr:
            raise SpecError(f"summarizer {spec!r}: empty attribute after {head!r}:")
    opts: dict[str, str] = {}
    for part in parts:
        key, eq, value = part.partition("=")
        if not eq or not key.strip():
            raise SpecError(f"summarizer {spec!r}: option {part!r} is not key=value")
        if key.strip() in opts:
            raise SpecError(f"summarizer {spec!r}: option {key.strip()!r} given twice")
        opts[key.strip()] = value.strip()
    if not head.strip():
        raise SpecError(f"summarizer {spec!r}: no name")
    return head.strip(), attr, opts


def _entry_points() -> dict[str, metadata.EntryPoint]:
    found: dict[str, metadata.EntryPoint] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)  # first on sys.path wins, as for imports
    return found


def _load_entry_point(ep: metadata.EntryPoint):
    try:
        return ep.load()
    except Exception as e:  # a broken plugin must say which one
        dist = f" (from {ep.dist.name} {ep.dist.version})" if getattr(ep, "dist", None) else ""
        raise SpecError(f"summarizer plugin {ep.name!r}{dist}: cannot load {ep.value}: {type(e).__name__}: {e}") from None


def resolve(name: str, attr: str | None = None):
    """The class or callable a spec's name refers to."""
    if attr is None:
        if name in BUILTINS:
            return BUILTINS[name]
        ep = _entry_points().get(name)
        if ep is not None:
            return _load_entry_point(ep)
        known = sorted(set(BUILTINS) | set(_entry_points()))
        raise SpecError(f"unknown summarizer {name!r}; available: {', '.join(known)} "
                        "(or give a 'package.module:callable')")
    try:
        module = importlib.import_module(name)
    except ImportError as e:
        raise SpecError(f"summarizer {name}:{attr}: cannot import module {name!r}: {e}") from None
    try:
        obj = getattr(module, attr)
    except AttributeError:
        raise SpecError(f"summarizer {name}:{attr}: module {name!r} has no attribute {attr!r}") from None
    if not callable(obj):
        raise SpecError(f"summarizer {name}:{attr}: {attr!r} is not callable")
    return obj


def _is_summarizer_class(obj) -> bool:
    return inspect.isclass(obj) and issubclass(obj, Summarizer)


def option_params(obj) -> dict[str, inspect.Parameter]:
    """The options a summarizer takes besides the budget: option name -> constructor/function parameter."""
    target = obj.__init__ if _is_summarizer_class(obj) else obj
    params = list(inspect.signature(target).parameters.values())
    if not _is_summarizer_class(obj):
        params = params[1:]  # the example
    skip = {"self", "budget"}
    return {p.name.rstrip("_") if p.name.endswith("_") else p.name: p for p in params
            if p.name not in skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _convert(spec: str, key: str, value: str, param: inspect.Parameter):
    default = param.default
    kind = type(default) if default is not inspect.Parameter.empty and default is not None else None
    if kind is None and param.annotation is not inspect.Parameter.empty:
        ann = str(param.annotation)
        kind = bool if ann.startswith("bool") else int if ann.startswith("int") else float if ann.startswith("float") else None
    try:
        if kind is bool:
            low = value.lower()
            if low not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(value)
            return low in ("1", "true", "yes", "on")
        if kind is int:
            return int(value)
        if kind is float:
            return float(value)
    except ValueError:
        raise SpecError(f"summarizer {spec!r}: option {key}={value!r} is not a valid {kind.__name__}") from None
    return value


def build(spec: str) -> Summarizer:
    """Build the summarizer a spec names, with its options."""
    name, attr, opts = split_spec(spec)
    obj = resolve(name, attr)
    try:
        budget = Budget(**{k: BUDGET_KEYS[k](opts.pop(k)) for k in list(opts) if k in BUDGET_KEYS})
    except ValueError as e:
        raise SpecError(f"summarizer {spec!r}: {e}") from None
    params = option_params(obj)
    kwargs = {}
    for key, value in opts.items():
        if key not in params:
            accepted = list(params) + list(BUDGET_KEYS)
            raise SpecError(f"summarizer {spec!r} has no option {key!r}; options: {', '.join(accepted)}")
        kwargs[params[key].name] = _convert(spec, key, value, params[key])
    try:
        if _is_summarizer_class(obj):
            return obj(budget=budget, **kwargs)
        return FunctionSummarizer(obj, budget, **kwargs)
    except (ValueError, TypeError) as e:
        raise SpecError(f"summarizer {spec!r}: {e}") from None


def uses_references(spec: str | Summarizer) -> bool:
    """True for oracles: systems that read the references (tables show them as upper bounds)."""
    s = build(spec) if isinstance(spec, str) else spec
    return bool(getattr(s, "uses_references", False))


@dataclass(frozen=True)
class Info:
    """What `harness list` shows about one summarizer."""

    name: str
    origin: str  # "built-in" or "plugin <dist> <version> (<module:attr>)"
    description: str
    options: tuple[tuple[str, str], ...]  # (option, default shown as text)
    uses_references: bool = False
    error: str | None = None  # a plugin that failed to load


def _describe(obj) -> str:
    desc = getattr(obj, "description", "") if _is_summarizer_class(obj) else ""
    if not desc:
        doc = inspect.getdoc(obj) or ""
        desc = doc.strip().splitlines()[0] if doc.strip() else ""
    return desc


def _options(obj) -> tuple[tuple[str, str], ...]:
    out = []
    for key, p in option_params(obj).items():
        out.append((key, "(required)" if p.default is inspect.Parameter.empty else repr(p.default)))
    return tuple(out)


def info(name: str, obj, origin: str) -> Info:
    return Info(name, origin, _describe(obj), _options(obj), bool(getattr(obj, "uses_references", False)))


def builtins() -> dict[str, type[Summarizer]]:
    """The built-in summarizers by name."""
    return dict(BUILTINS)


def catalog() -> list[Info]:
    """Every summarizer found: the built-ins, then each installed plugin (loaded to read its options)."""
    out = [info(name, cls, "built-in") for name, cls in BUILTINS.items()]
    for name, ep in sorted(_entry_points().items()):
        dist = f"{ep.dist.name} {ep.dist.version}" if getattr(ep, "dist", None) else "?"
        origin = f"plugin {dist} ({ep.value})"
        if name in BUILTINS:
            out.append(Info(name, origin, "", (), error=f"shadowed by the built-in {name!r}; not reachable"))
            continue
        try:
            out.append(info(name, _load_entry_point(ep), origin))
        except SpecError as e:
            out.append(Info(name, origin, "", (), error=str(e)))
    return out
