"""Alembic migrations of the corpus store (run by ``propscan.corpus.store.Store`` on open)."""
