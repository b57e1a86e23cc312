"""The web app's login sessions in the store: a hash of each session id and when it expires
(seconds since the epoch), shared by every process that opens the store."""

from __future__ import annotations

import sqlalchemy as sa

from propscan.corpus.connection import StoreConnection
from propscan.corpus.schema import login_sessions


class LoginSessions(StoreConnection):
    """Open, check and close login sessions by their digest."""

    def open_login(self, digest: str, expires: float, now: float) -> None:
        """Keep a new session (and forget the expired ones)."""
        s = login_sessions.c
        with self._errors(), self._engine.begin() as conn:
            conn.execute(sa.delete(login_sessions).where(s.expires <= now))
            conn.execute(sa.insert(login_sessions).values(digest=digest, expires=expires))

    def login_valid(self, digest: str, now: float) -> bool:
        """Whether a session with this digest is open and not expired."""
        s = login_sessions.c
        query = sa.select(s.digest).where(s.digest == digest, s.expires > now)
        with self._errors(), self._engine.connect() as conn:
            return conn.execute(query).first() is not None

    def close_login(self, digest: str) -> None:
        """End a session (logout)."""
        with self._errors(), self._engine.begin() as conn:
            conn.execute(sa.delete(login_sessions).where(login_sessions.c.digest == digest))
