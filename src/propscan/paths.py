"""Where propscan keeps its data: the corpus database in the user's data folder by default."""

from __future__ import annotations

from pathlib import Path

import platformdirs

DB_VARIABLE = "PROPSCAN_DB"


def data_dir() -> Path:
    """The user's data folder for propscan (e.g. ~/.local/share/propscan on Linux)."""
    return Path(platformdirs.user_data_dir("propscan", appauthor=False))


def default_db_url() -> str:
    """The default corpus database: propscan.db in the user's data folder."""
    return f"sqlite:///{data_dir() / 'propscan.db'}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL (or bare path); None for other databases and memory."""
    if "://" in url and not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return None if path in ("", ":memory:") else Path(path)
