"""Where the data files that ship with the harness are, in a checkout or an installed package.

The data lives in folders at the repository's root (DATA_FOLDERS: the
bundled corpus and its references). A checkout, or an editable install, reads
them there; a wheel carries copies inside the package, under harness/_data/
(setup.py copies DATA_FOLDERS at build time), so an installed harness finds
them without the repository.
"""
from __future__ import annotations

from pathlib import Path

DATA_FOLDERS = ("references",)  # setup.py reads this list: add a folder here to ship it

_PACKAGE = Path(__file__).resolve().parent
INSTALLED_DATA = _PACKAGE / "_data"


def data_dir(name: str) -> Path:
    """The folder `name` (one of DATA_FOLDERS): the installed copy if there is one, else the checkout's."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"{name!r} is not a data folder of the harness ({', '.join(DATA_FOLDERS)})")
    installed = INSTALLED_DATA / name
    return installed if installed.is_dir() else _PACKAGE.parent / name
