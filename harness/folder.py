"""Who owns what in a run folder, who may write it, and how its files change all at once.

    <run>/.harness/          the harness's own folder: its name is reserved, nothing else writes in it
        lock                 held (fcntl.flock, exclusive) by the one process writing the run; holds its pid
        commit.lock          held shared by readers, exclusive while a commit renames files into place
        manifest.json        every file of <run> the harness wrote, and the generation they belong to
        parts/               the checkpoints of a run under way (harness.run_folder.Parts)
        staging/             the next generation's files, written there until they are committed

Ownership: the harness deletes or replaces only what it wrote: the files its
manifest lists and its own `.harness/`. Anything else in the folder is left
alone (a note says so when the folder is first used), and a file the run
would replace but did not write is refused before any work starts.

All or nothing: a writer (`writing`) renders every output into `staging/`;
`Writer.commit` then writes the manifest of the new generation with the state
"committing" (the commit point), renames the staged files into place, removes
what the new generation no longer has, and marks the manifest "complete". A
process killed at any moment leaves the previous generation untouched (before
the commit point) or a manifest from which the next writer or reader finishes
the renames (after it): readers (`reading`) hold `commit.lock` shared, so they
never see a commit half done.

The locks are `flock` locks: the kernel releases them when their process
dies, so a lock left by a killed run is stale by construction; its pid, still
in the file, is named when it is taken over.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import storage
from .errors import HarnessError

OWN = ".harness"
LOCK, COMMIT_LOCK, MANIFEST, PARTS, STAGING = "lock", "commit.lock", "manifest.json", "parts", "staging"
FORMAT = 1  # of manifest.json
COMPLETE, COMMITTING = "complete", "committing"
# Errors of the disk rather than of the input: reported as a message naming the file, exit 2.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


class FolderBusy(HarnessError):
    """Another process is writing the run folder."""


def _own(path: Path) -> Path:
    return path / OWN


def read_manifest(path: Path) -> dict | None:
    """The manifest of a run folder, None if the harness has not committed there (or it is unreadable)."""
    try:
        manifest = json.loads((_own(path) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def _write_manifest(path: Path, manifest: dict) -> None:
    storage.write_json(_own(path) / MANIFEST, manifest)


def _holder(lock_file: Path) -> str:
    try:
        return lock_file.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return ""


def _lock(path: Path, log: Callable[[str], None]) -> int:
    """The exclusive writer's lock of `path`, as an open descriptor; FolderBusy if another process holds it."""
    lock_file = _own(path) / LOCK
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        pid = _holder(lock_file) or "unknown"
        raise FolderBusy(f"{path}: another harness process (pid {pid}) is writing this run folder; wait for it "
                         "to end or choose another folder") from None
    stale = _holder(lock_file)
    if stale:  # released by the kernel, not by its process: that process died
        log(f"{path}: taking over the lock of pid {stale}, which ended without releasing it")
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    return fd


def _unlock(fd: int) -> None:
    os.ftruncate(fd, 0)  # an empty lock file: released in order (a pid left in it means its process died)
    os.close(fd)


@contextmanager
def _commit_lock(path: Path, mode: int) -> Iterator[None]:
    lock_file = _own(path) / COMMIT_LOCK
    if mode == fcntl.LOCK_SH and not lock_file.exists():
        yield  # a folder the harness has never committed to: nothing to wait for
        return
    fd = os.open(lock_file, os.O_RDONLY if mode == fcntl.LOCK_SH else os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)


def _files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _roll_forward(path: Path, manifest: dict) -> None:
    """Finish a commit from its manifest: staged files into place, dropped ones out, the parts gone."""
    staging = _own(path) / STAGING
    for rel in manifest["files"]:
        src = staging / rel
        if src.exists():
            (path / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, path / rel)
    for rel in manifest.get("remove", []):
        (path / rel).unlink(missing_ok=True)
        _remove_empty_parents(path, path / rel)
    _fsync_dir(path)
    if manifest.get("drop_parts"):
        shutil.rmtree(_own(path) / PARTS, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    _write_manifest(path, {k: v for k, v in manifest.items() if k not in ("remove", "drop_parts")} | {"state": COMPLETE})


def _remove_empty_parents(root: Path, path: Path) -> None:
    parent = path.parent
    while parent != root:
        try:
            parent.rmdir()  # only when empty: a user's file in it keeps it
        except OSError:
            return
        parent = parent.parent


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _legacy_outputs(path: Path, outputs: Iterable[str]) -> list[str]:
    """The output files of a run folder written before the manifest existed (a summary.json of a run)."""
    try:
        summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not (isinstance(summary, dict) and "signature" in summary and "systems" in summary):
        return []
    return [rel for rel in outputs if (path / rel).is_file()]


class Writer:
    """The one process writing a run folder: it holds the lock; its outputs go to `staging` until `commit`."""

    def __init__(self, path: Path, log: Callable[[str], None], outputs: Iterable[str]) -> None:
        self.path, self.log = path, log
        self.staging = _own(path) / STAGING
        self.parts = _own(path) / PARTS
        self.manifest = read_manifest(path) or {"format": FORMAT, "files": {}}
        self._adopt(list(outputs))

    def _adopt(self, outputs: list[str]) -> None:
        """Which files are the harness's; refuse a folder where an output would replace someone else's file."""
        if self.manifest.get("state") == COMMITTING:
            _roll_forward(self.path, self.manifest)  # a commit cut short: finish it first
            self.manifest = read_manifest(self.path)
        if "generation" not in self.manifest:  # first use of this folder by a harness that keeps a manifest
            self.manifest["files"] = {rel: {"bytes": (self.path / rel).stat().st_size}
                                      for rel in _legacy_outputs(self.path, outputs)}
            others = sorted(p.name for p in self.path.iterdir() if p.name != OWN and p.name not in self.manifest["files"]
                            and not any(o.startswith(p.name + "/") for o in self.manifest["files"]))
            if others:
                self.log(f"{self.path} holds files harness did not write ({', '.join(others[:5])}"
                         f"{', ...' if len(others) > 5 else ''}): they are left alone")
        self.refuse_foreign(outputs)

    def refuse_foreign(self, outputs: Iterable[str]) -> None:
        foreign = [rel for rel in outputs if rel not in self.manifest["files"] and os.path.lexists(self.path / rel)]
        if foreign:
            raise HarnessError(f"{self.path}: {', '.join(foreign)} {'was' if len(foreign) == 1 else 'were'} not "
                               "written by harness and would be replaced; move "
                               f"{'it' if len(foreign) == 1 else 'them'} or choose another folder")

    def commit(self, replace: bool, drop_parts: bool = False) -> None:
        """Make the staged files the folder's, all at once.

        `replace`: they are a whole new run, and the harness's files they do
        not include go (a run); else they are added to the current files (the
        tables written again, a page). `drop_parts`: the checkpoints are used up.
        """
        staged = _files_of(self.staging) if self.staging.exists() else []
        self.refuse_foreign(staged)
        old = self.manifest["files"]
        files = {} if replace else dict(old)
        files.update({rel: {"bytes": (self.staging / rel).stat().st_size} for rel in staged})
        manifest = {"format": FORMAT, "generation": uuid.uuid4().hex, "state": COMMITTING, "files": files,
                    "remove": [rel for rel in old if rel not in files], "drop_parts": drop_parts}
        with _commit_lock(self.path, fcntl.LOCK_EX):
            _write_manifest(self.path, manifest)  # the commit point
            _roll_forward(self.path, manifest)
        self.manifest = read_manifest(self.path)
        self.fresh_staging()

    def fresh_staging(self) -> Path:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self.staging


def disk_error(path: Path, e: OSError) -> HarnessError:
    """An OSError of the disk (full, read-only, no permission) as a message naming the file and the folder."""
    where = e.filename or path
    return HarnessError(f"{where}: {e.strerror or e}; the run folder {path} keeps its previous complete run "
                        "(and the checkpoints saved so far: run the same command again to resume)")


@contextmanager
def writing(path: str | Path, log: Callable[[str], None] | None = None, outputs: Iterable[str] = ()) -> Iterator[Writer]:
    """Hold `path` as its one writer: create it, lock it, finish a commit cut short, check who owns what.

    `outputs` are the files the writer means to write (checked before any work).
    """
    path = Path(path)
    log = log or (lambda message: None)
    if path.exists() and not path.is_dir():
        raise HarnessError(f"{path}: not a folder (a run folder is a directory)")
    try:
        _own(path).mkdir(parents=True, exist_ok=True)
        fd = _lock(path, log)
    except OSError as e:
        raise HarnessError(f"{path}: cannot write the run folder: {e.strerror or e}") from None
    try:
        writer = Writer(path, log, outputs)
        writer.fresh_staging()
        yield writer
    except OSError as e:
        if e.errno in DISK_ERRORS:
            raise disk_error(path, e) from None
        raise
    finally:
        if (read_manifest(path) or {}).get("state") != COMMITTING:  # else staging holds what the commit still moves
            shutil.rmtree(_own(path) / STAGING, ignore_errors=True)
        _unlock(fd)


@contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Read `path` between commits: wait for one under way; finish one a killed process cut short."""
    path = Path(path)
    for _ in range(2):
        with _commit_lock(path, fcntl.LOCK_SH):
            manifest = read_manifest(path)
            if manifest is None or manifest.get("state") != COMMITTING:
                yield
                return
        _finish_commit(path)
    raise HarnessError(f"{path}: its last commit could not be finished")


def _finish_commit(path: Path) -> None:
    try:
        with writing(path):
            pass  # taking the folder as a writer finishes the commit
    except HarnessError as e:
        raise HarnessError(f"{path}: a run was interrupted while its files were put in place, and they cannot be "
                           f"finished now ({e}); run `harness report {path}` where the folder is writable") from None
