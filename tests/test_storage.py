import pytest

from harness import storage


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "table.md"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with storage.atomic_open(target) as fh:
            fh.write("half a tab")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_uses_normal_permissions(tmp_path):
    import os, stat

    target = tmp_path / "report.html"
    storage.write_text(target, "x")
    mask = os.umask(0); os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
