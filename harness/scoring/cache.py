"""A persistent score cache, so a rerun scores only what changed.

One SQLite file (`$HARNESS_CACHE_DIR/scores.sqlite`, default
`~/.cache/harness/`) maps a key to the scores of one summary of one example:

    key = sha256(sha256 of [score signature, example id, sha256(source), references]
                 + the summary sentences, each prefixed by its length)

The score signature (see signature.py) names every choice the per-example
numbers depend on, with the versions of harness, rouge-score and nltk, so a
hit is exactly what scoring again would give. In CI, rerunning after editing
one summarizer rescores only that summarizer's summaries that changed.

Never trusted blindly:
- every entry carries a checksum of its key and value; a mismatch means the
  file was damaged, and the cache is emptied and refilled;
- the file records a fingerprint of the scoring code (the source of
  harness/scoring and harness/sentences.py); a cache written by other code is
  stale and is emptied (version numbers alone miss edits between releases);
- a file SQLite cannot read is moved aside (`scores.sqlite.corrupt`) and a
  new one is created.

Several processes may share the file: SQLite's write-ahead log lets readers
and one writer work at once, writes are single transactions, waits for a
lock are bounded by `timeout`, and every operation opens its own connection
(so nothing crosses a fork).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import warnings
from array import array
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

SCHEMA = "2"  # values: packed little-endian doubles
FILENAME = "scores.sqlite"
_CHUNK = 500  # keys per SELECT (SQLite limits bound parameters)


def default_dir() -> Path:
    env = os.environ.get("HARNESS_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "harness"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the code that computes per-example scores."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(SCHEMA.encode())
    for p in sorted(here.glob("*.py")) + [here.parent / "sentences.py"]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:32]


def _check(key: str, value: bytes) -> str:
    return hashlib.sha256(key.encode() + b"\0" + value).hexdigest()[:16]


def _pack(values: Sequence[float]) -> bytes:
    a = array("d", values)
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def _unpack(blob: bytes) -> list[float]:
    if not isinstance(blob, bytes) or len(blob) % 8:
        raise ValueError("not packed doubles")
    a = array("d")
    a.frombytes(blob)
    if sys.byteorder != "little":
        a.byteswap()
    return a.tolist()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def example_key(score_signature: str, example_id: str, source_hash: str, references: Sequence[str]) -> str:
    """What a summary's key shares with every other summary of the example (hashed once per example)."""
    blob = json.dumps([score_signature, example_id, source_hash, list(references)],
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def summary_key(example: str, summary: Sequence[str]) -> str:
    """The key of one summary of the example whose `example_key` is `example`.

    Each sentence is prefixed by its length, so no two summaries share an encoding."""
    blob = example + "".join([f"{len(s)}:{s}" for s in summary])
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


class CacheWarning(UserWarning):
    """The cache was found damaged and rebuilt, or cannot be used (results are unaffected)."""


class CacheUnavailable(Exception):
    """The cache file cannot be created or opened (e.g. a read-only directory)."""


class ScoreCache:
    """`get_many(keys) -> {key: value}` and `put_many({key: value})`; a value is a list of floats
    (one summary's P, R, F per ROUGE type), stored as packed doubles."""

    def __init__(self, path: str | os.PathLike | None = None, timeout: float = 60.0) -> None:
        self.path = Path(path) if path is not None else default_dir() / FILENAME
        self.timeout = timeout
        self.rebuilt = 0  # how often this object found the file damaged or stale

    # -- connection, schema, validation -------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                pass  # e.g. a file system without shared memory: rollback journal still works
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE IF NOT EXISTS scores "
                             "(key TEXT PRIMARY KEY, value BLOB NOT NULL, chk TEXT NOT NULL)")
                row = conn.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
                if row is None or row[0] != code_fingerprint():
                    if row is not None:
                        self.rebuilt += 1  # written by other scoring code: stale
                    conn.execute("DELETE FROM scores")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (code_fingerprint(),))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _move_aside(self, error: Exception) -> None:
        warnings.warn(f"score cache {self.path} is unreadable ({error}); moved it aside and started a new one",
                      CacheWarning, stacklevel=4)
        self.rebuilt += 1
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{self.path}{suffix}")
            try:
                os.replace(p, Path(f"{self.path}.corrupt{suffix}"))
            except FileNotFoundError:
                pass  # another process moved it first

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            try:
                conn = self._open()
            except sqlite3.DatabaseError as e:
                if isinstance(e, sqlite3.OperationalError) and ("locked" in str(e) or "unable to open" in str(e)):
                    raise
                self._move_aside(e)
                conn = self._open()
        except (OSError, sqlite3.OperationalError) as e:
            if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
                raise
            raise CacheUnavailable(f"score cache {self.path} cannot be used: {e}") from e
        try:
            yield conn
        finally:
            conn.close()

    def _clear(self, conn: sqlite3.Connection, why: str) -> None:
        warnings.warn(f"score cache {self.path}: {why}; emptied it, the scores are recomputed", CacheWarning,
                      stacklevel=4)
        self.rebuilt += 1
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM scores")
        conn.execute("COMMIT")

    # -- the API --------------------------------------------------------------------------
    def get_many(self, keys: Sequence[str]) -> dict[str, object]:
        """The cached values of those keys that are cached and intact."""
        out: dict[str, object] = {}
        if not keys:
            return out
        with self._connection() as conn:
            try:
                bad = None
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i:i + _CHUNK]
                    q = f"SELECT key, value, chk FROM scores WHERE key IN ({','.join('?' * len(chunk))})"
                    for key, value, chk in conn.execute(q, chunk):
                        if chk != _check(key, value):
                            bad = key
                            break
                        try:
                            out[key] = _unpack(value)
                        except ValueError:
                            bad = key
                            break
                    if bad:
                        break
            except sqlite3.DatabaseError as e:  # damaged pages surface here
                conn.close()
                self._move_aside(e)
                return {}
            if bad is not None:
                self._clear(conn, f"entry {bad[:12]}... fails its checksum")
                return {}
        return out

    def put_many(self, items: dict[str, object] | Iterable[tuple[str, object]]) -> None:
        rows = []
        for key, value in (items.items() if isinstance(items, dict) else items):
            v = _pack(value)
            rows.append((key, v, _check(key, v)))
        if not rows:
            return
        with self._connection() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?)", rows)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
                    raise
                conn.close()
                self._move_aside(e)

    def __len__(self) -> int:
        with self._connection() as conn:
            return conn.execute("SELECT COUNT(*) FROM scores").fetchone()[0]

    def clear(self) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM scores")
