"""The on-disk cache of per-source analyses, the trained Punkt model and the last build's LSH bucket
leaders (from which candidate same-fact pairs come), one SQLite file.

SQLite (stdlib) gives atomic transactions, so a build killed while writing leaves the cache as it
was before or after, never half-written. Anything unreadable (a damaged file, a damaged entry, a
file from another version) is dropped and recomputed: the cache can only make a build faster. A file
SQLite finds damaged inside (a malformed page, met only when it is read) is replaced by an empty one
there and then, so the build stores its work again (see `Cache.rebuilt`).
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

T = TypeVar("T")

SCHEMA_VERSION = 1
FILE_NAME = "analysis.sqlite"
DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
"""SQLite's (primary) result codes for a file damaged inside."""
BUCKETS = "bucket-leaders"
"""The `corpus` row of the LSH bucket leaders. Older builds stored candidate pairs instead, as 'pairs',
found incrementally by a rule that could differ from a fresh search: that row is dropped."""


@dataclass(frozen=True)
class StoredBuckets:
    """The last build's LSH bucket leaders (a sentences × bands table, see `dedupe.bucket_leaders`),
    and the sources (feature keys, in order, with their sentence counts) whose sentences it numbers."""

    keys: tuple[str, ...]
    counts: np.ndarray
    leaders: np.ndarray

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez(out, keys=np.array(self.keys, dtype=str), counts=self.counts.astype(np.int64),
                 leaders=self.leaders.astype(np.int32))
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> StoredBuckets:
        """The leaders stored by `to_bytes`; ValueError when the bytes are not such a record."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                keys, counts, leaders = arrays["keys"], arrays["counts"], arrays["leaders"]
        except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:  # a zip checksum that fails
            raise ValueError(f"damaged bucket leaders ({exc})") from None
        if len(keys) != len(counts) or leaders.ndim != 2 or len(leaders) != counts.sum():
            raise ValueError("damaged bucket leaders")
        if leaders.size and (leaders.min() < -1 or leaders.max() >= len(leaders)):
            raise ValueError("bucket leaders outside the sentences")
        return cls(tuple(map(str, keys)), counts, leaders)


@dataclass(frozen=True)
class StoredModel:
    """A trained Punkt model and what it was trained on, to decide when to train again."""

    params: str
    corpus_characters: int
    sample: tuple[str, ...]


class Cache:
    """Per-source analyses keyed by content; in memory only when `folder` is None. A read-only cache
    (for `sources` and `explain`, which describe the last build) is read but never changed."""

    def __init__(self, folder: Path | None, read_only: bool = False) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME if folder else None
        self.read_only = read_only
        self.rebuilt = False
        """Whether the file was found damaged since it was opened and replaced by an empty one: what was
        read from it before is stored no longer, and the build stores it again (`incremental`)."""
        self._punkt: str | None = None  # the Punkt model read or stored, kept again in a rebuilt file
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._schema(sqlite3.connect(":memory:"))
        if self.read_only:
            return self._open_read_only(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._schema(sqlite3.connect(self.path, timeout=60))
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)
            return self._schema(sqlite3.connect(self.path, timeout=60))

    @classmethod
    def _open_read_only(cls, path: Path) -> sqlite3.Connection:
        """The cache file as it is, never written; an empty cache in memory when it is missing,
        unreadable or of another version."""
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
            if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return db
            db.close()
        except sqlite3.Error:
            pass
        return cls._schema(sqlite3.connect(":memory:"))

    @staticmethod
    def _schema(db: sqlite3.Connection) -> sqlite3.Connection:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.executescript("DROP TABLE IF EXISTS analyses; DROP TABLE IF EXISTS models;")
        db.executescript(f"""
            CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS corpus (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS extractions (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            PRAGMA user_version = {SCHEMA_VERSION};
        """)
        db.commit()
        return db

    def _rebuilt_if_damaged(self, exc: sqlite3.DatabaseError) -> bool:
        """When `exc` says the file is damaged inside, replace it by an empty cache (with the Punkt model
        this build uses) and say so; another error (a lock held too long, a full disk) changes nothing."""
        if self.path is None or self.read_only or (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in DAMAGED:
            return False
        self.db.close()
        try:
            for path in (self.path, self.path.with_name(f"{self.path.name}-journal")):
                path.unlink(missing_ok=True)
            self.db = self._schema(sqlite3.connect(self.path, timeout=60))
        except (OSError, sqlite3.Error):
            self.db = self._schema(sqlite3.connect(":memory:"))
        self.rebuilt = True
        if self._punkt is not None:
            self._write(lambda db: db.execute("INSERT OR REPLACE INTO models (name, value) VALUES ('punkt', ?)",
                                              (self._punkt,)))
        return True

    def _write(self, change: Callable[[sqlite3.Connection], T], otherwise: T | None = None) -> T | None:
        """`change` made in one transaction (again in a rebuilt file when the file was damaged); what it
        returns, or `otherwise` when it cannot be made."""
        if self.read_only:
            return otherwise
        for _ in range(2):
            try:
                with self.db:
                    return change(self.db)
            except sqlite3.DatabaseError as exc:
                if not self._rebuilt_if_damaged(exc):
                    break
        return otherwise

    TABLES = ("analyses", "features", "extractions")
    """The key → value tables: per-source analyses (JSON text), their sentence features (bytes) and the
    text and metadata extracted from documents (JSON text, see `briefing.ingest`)."""

    def get_many(self, keys: Sequence[str], table: str = "analyses") -> dict:
        """The stored values of the given keys that are in `table`."""
        assert table in self.TABLES
        found: dict = {}
        wanted = list(dict.fromkeys(keys))
        try:
            for n in range(0, len(wanted), 500):
                chunk = wanted[n : n + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(f"SELECT key, value FROM {table} WHERE key IN ({marks})", chunk)
                found.update(rows)
        except sqlite3.DatabaseError as exc:
            self._rebuilt_if_damaged(exc)
            return {}
        return found

    def put_many(self, entries: Iterable[tuple[str, str | bytes]], table: str = "analyses") -> None:
        assert table in self.TABLES
        rows = list(entries)
        self._write(lambda db: db.executemany(f"INSERT OR REPLACE INTO {table} (key, value) VALUES (?, ?)", rows))

    def keep_only(self, keys: Iterable[str], table: str = "analyses") -> int:
        """Drop the entries of sources no longer in the corpus (or since edited); how many went."""
        assert table in self.TABLES
        live = list(keys)

        def dropped(db: sqlite3.Connection) -> int:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM live")
            db.executemany("INSERT OR IGNORE INTO live (key) VALUES (?)", ((k,) for k in live))
            return db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM live)").rowcount

        return self._write(dropped, 0) or 0

    def model(self) -> StoredModel | None:
        try:
            row = self.db.execute("SELECT value FROM models WHERE name = 'punkt'").fetchone()
            if row is None:
                return None
            data = json.loads(row[0])
            stored = StoredModel(str(data["params"]), int(data["corpus_characters"]), tuple(map(str, data["sample"])))
        except sqlite3.DatabaseError as exc:
            self._rebuilt_if_damaged(exc)
            return None
        except (ValueError, KeyError, TypeError):
            return None
        self._punkt = row[0]
        return stored

    def store_model(self, model: StoredModel) -> None:
        value = json.dumps({"params": model.params, "corpus_characters": model.corpus_characters,
                            "sample": list(model.sample)})
        self._punkt = value
        self._write(lambda db: db.execute("INSERT OR REPLACE INTO models (name, value) VALUES ('punkt', ?)", (value,)))

    def buckets(self) -> StoredBuckets | None:
        """The bucket leaders the last build stored, if they are there and readable."""
        try:
            row = self.db.execute("SELECT value FROM corpus WHERE name = ?", (BUCKETS,)).fetchone()
            return StoredBuckets.from_bytes(row[0]) if row is not None else None
        except sqlite3.DatabaseError as exc:
            self._rebuilt_if_damaged(exc)
            return None
        except (ValueError, KeyError, OSError, TypeError):
            return None

    def store_buckets(self, buckets: StoredBuckets | None) -> None:
        """Keep the bucket leaders for the next build (None: forget them)."""
        value = buckets.to_bytes() if buckets is not None else None

        def stored(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM corpus WHERE name IN ('pairs', ?)", (BUCKETS,))
            if value is not None:
                db.execute("INSERT INTO corpus (name, value) VALUES (?, ?)", (BUCKETS, value))

        self._write(stored)

    def close(self) -> None:
        with closing(self.db):
            pass
