"""Build steps that pyproject.toml cannot declare: the optional C core and the data folders.

The native core of the ROUGE engine is `optional`: where no C compiler is
available (or it fails) the build goes on without it and the harness uses its
pure-Python engine, which gives the same numbers, only slower
(`harness.scoring.native.AVAILABLE` says which). `HARNESS_BUILD_NATIVE=0`
leaves it out on purpose, which makes a pure-Python wheel (py3-none-any).

Wheels also carry the repository's data folders (`harness.package_data.DATA_FOLDERS`,
e.g. the bundled corpus in references/) inside the package, under
harness/_data/, where `harness.package_data.data_dir` finds them.
"""
import importlib.util
import os
import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _data_folders() -> tuple:
    # read from the module itself, without importing the harness (its dependencies may be absent here)
    spec = importlib.util.spec_from_file_location("_harness_package_data", HERE / "harness" / "package_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DATA_FOLDERS


class BuildPyWithData(build_py):
    """build_py, then the data folders copied to harness/_data/ in the build tree (not in an editable
    install, which reads them from the checkout)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in _data_folders():
            src = HERE / name
            if not src.is_dir():
                raise FileNotFoundError(f"data folder {src} is missing: it ships with the package")
            shutil.copytree(src, Path(self.build_lib) / "harness" / "_data" / name, dirs_exist_ok=True)


NATIVE = os.environ.get("HARNESS_BUILD_NATIVE", "1") != "0"

setup(
    cmdclass={"build_py": BuildPyWithData},
    ext_modules=[
        Extension("harness.scoring._rouge", ["harness/scoring/_rouge.c"], optional=True,
                  extra_compile_args=["-O3", "-ffp-contract=off"]),  # floats as Python computes them
        Extension("harness.rouge155._kernels", ["harness/rouge155/_kernels.c"], optional=True,
                  extra_compile_args=["-O3", "-ffp-contract=off"]),  # ROUGE-W's floats as Python's
    ] if NATIVE else [],
)
