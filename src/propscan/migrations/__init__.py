"""Alembic migrations of the corpus store (run by ``propscan.store.Store`` on open)."""
