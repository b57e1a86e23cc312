"""Login sessions (in the store) and the limit on wrong tokens (in each server process's memory)."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque

from propscan.corpus.login_sessions import LoginSessions

SESSION_SECONDS = 12 * 3600
FAILED_ATTEMPTS = 10
FAILURE_WINDOW = 60.0


class Sessions:
    """Random session ids, each valid for ``seconds`` after login or until logout; kept in the
    store (a hash of each), so that every worker process of the server knows them."""

    def __init__(self, store: LoginSessions, seconds: float = SESSION_SECONDS) -> None:
        self.store, self.seconds = store, seconds

    def open(self) -> str:
        """A new session id."""
        session = secrets.token_urlsafe(32)
        now = time.time()
        self.store.open_login(_digest(session), now + self.seconds, now)
        return session

    def valid(self, session: str) -> bool:
        """Whether ``session`` was opened, has not expired and was not closed."""
        return bool(session) and self.store.login_valid(_digest(session), time.time())

    def close(self, session: str) -> None:
        """Revoke a session (logout)."""
        if session:
            self.store.close_login(_digest(session))


def _digest(session: str) -> str:
    return hashlib.sha256(session.encode("utf-8", "replace")).hexdigest()


class FailureLimit:
    """At most ``attempts`` wrong tokens per client within ``window`` seconds."""

    def __init__(self, attempts: int = FAILED_ATTEMPTS, window: float = FAILURE_WINDOW) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds ``client`` must wait before trying again (0: it may try now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(client)
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            if not failures or len(failures) < self.attempts:
                return 0
            return max(1, round(failures[0] + self.window - now + 0.5))

    def fail(self, client: str) -> None:
        """Count one wrong token from ``client``."""
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 10_000:  # forget clients that have stopped trying
                cutoff = now - self.window
                self._failures = {c: f for c, f in self._failures.items() if f and f[-1] > cutoff}
            self._failures.setdefault(client, deque(maxlen=self.attempts)).append(now)
