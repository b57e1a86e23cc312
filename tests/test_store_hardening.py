"""Store hardening: ids never reused, damaged databases named without raw bytes, whole exports."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from propscan.article import Analysis, Article
from propscan.cli import main
from propscan.corpus.store import Store
from propscan.errors import StoreError


def analysis(n: int) -> Analysis:
    return Analysis(Article(f"a{n}", f"Article number {n}."), (), model="m")


@pytest.mark.issue(10)
def test_the_id_of_a_deleted_newest_article_is_not_reused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    with Store(url) as store:
        first, newest = store.add(analysis(1)), store.add(analysis(2))
        assert store.delete(newest)
        third = store.add(analysis(3))
        assert third > newest > first
        assert store.get(newest) is None
    with Store(url) as store:  # after reopening too
        assert store.delete(third)
        assert store.add_many([analysis(4), analysis(5)])[0] > third


@pytest.mark.issue(10)
def test_a_damaged_database_is_named_without_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    with Store(f"sqlite:///{path}"):
        pass
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": "\x1b[2J\x00ÿ"})
    engine.dispose()
    with pytest.raises(StoreError, match="not a propscan store, or a damaged one") as error:
        Store(f"sqlite:///{path}")
    assert all(ch.isprintable() for ch in str(error.value))
    path.write_bytes(b"\x00\x1b[31m" * 500)
    with pytest.raises(StoreError) as error:
        Store(f"sqlite:///{path}")
    assert all(ch.isprintable() for ch in str(error.value))


@pytest.mark.issue(10)
def test_a_failed_export_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    with Store(url) as store:
        store.add(analysis(1))
    out = tmp_path / "out.jsonl"
    ok = CliRunner().invoke(main, ["export", "--db", url, "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert out.read_text().count("\n") == 1

    def broken(*args: object, **kwargs: object) -> None:
        raise StoreError("disk I/O error")

    monkeypatch.setattr(Store, "iter_articles", broken)
    again = tmp_path / "again.jsonl"
    failed = CliRunner().invoke(main, ["export", "--db", url, "-o", str(again)])
    assert failed.exit_code == 1
    assert not again.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
