"""Build the optional native core of the ROUGE engine (everything else is in pyproject.toml).

The extension is `optional`: where no C compiler is available the build goes
on without it and the harness uses its pure-Python engine, which gives the
same numbers, only slower (`harness.scoring.native.AVAILABLE` says which).
"""
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("harness.scoring._rouge", ["harness/scoring/_rouge.c"], optional=True,
                  extra_compile_args=["-O3", "-ffp-contract=off"]),  # floats as Python computes them
    ],
)
