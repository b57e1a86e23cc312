"""Opening a store's database: the engine for its URL, SQLite's settings, the schema migrations."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.pool import StaticPool

from propscan.errors import StoreError
from propscan.paths import data_dir, sqlite_path


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def printable(reason: str, limit: int = 300) -> str:
    """An error message without the raw bytes a damaged database may put in it."""
    shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in reason)
    return shown if len(shown) <= limit else shown[:limit] + "…"


def create_engine(url: str) -> sa.Engine:
    """An engine for a store URL: a bare path means SQLite, 'postgresql://' means psycopg 3."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"not a database URL: {url!r}; use sqlite:///FILE or postgresql://USER@HOST/DB"
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        try:
            engine = sa.create_engine(
                parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True
            )
        except ImportError:
            raise StoreError("PostgreSQL needs pip install 'propscan[postgres]'") from None
    elif backend == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        path = sqlite_path(url)
        if path is not None and path.parent == data_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed,
            **({"poolclass": StaticPool} if memory else {}),
            connect_args={"check_same_thread": False, "timeout": 60},
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL: readers do not block the writer, and a killed writer loses no committed article.

    Switching a new file to WAL can fail at once with "database is locked" while another
    process creates the same store (SQLite's busy timeout does not cover it): retry it."""
    cursor = connection.cursor()
    deadline = time.monotonic() + 60
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_MIGRATION_LOCK = 0x70726F7073  # any constant: the PostgreSQL advisory lock of migrations


def migrate(engine: sa.Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision, one process at a time:
    under SQLite's write lock (BEGIN IMMEDIATE) or a PostgreSQL advisory lock, so that a
    process opening the store while another migrates it waits, then finds the schema made."""
    config = Config()
    config.set_main_option("script_location", "propscan.corpus:migrations")
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
