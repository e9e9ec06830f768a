import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HARNESS_SHARED", ROOT.parent / "shared"))
SHARED_DATA = SHARED / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test: users' clones don't have it."""
    p = SHARED_DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs {p} (the team's shared data)")
    return p


@pytest.fixture(scope="session")
def interview():
    import harness

    return harness.load("interview")
