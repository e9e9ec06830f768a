"""The harness's version and distribution name, in one place.

Versions follow 0.MINOR.PATCH until 1.0 (see CHANGELOG.md): MINOR moves when a
number, a file format or a public API changes (the version is part of every
run's signature, so scores of different versions are never mixed up), PATCH
for fixes that change none of them. The import package is `harness`; the
distribution on the package index is `summarization-harness` (`harness` is an
unrelated project there).
"""
__version__ = "0.1.0"
DISTRIBUTION = "summarization-harness"
