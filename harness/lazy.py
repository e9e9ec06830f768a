"""Package front doors that import their parts when first used (PEP 562's module `__getattr__`).

    __getattr__, __dir__ = exports(__name__, {"Scorer": ".scorer", "compare_runs": ".compare:compare"})

Each public name maps to the module that defines it (relative to the package),
with `:attr` when the public name differs. `harness --help` and `harness list`
then import neither numpy nor the scoring engine: a command loads what it uses.
tests/test_imports.py reads these tables as imports, so the import graph stays
checked.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def exports(package: str, table: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package` for the names of `table`."""

    def __getattr__(name: str) -> object:
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = target.partition(":")
        value = getattr(importlib.import_module(module, package), attr or name)
        setattr(sys.modules[package], name, value)  # the next look-up is a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(table))

    return __getattr__, __dir__
