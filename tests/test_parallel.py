"""Several articles at once (issue 19): analyze_many keeps the order and the results, uses
threads only for thread-safe models, and the cores it counts respect a cgroup quota."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from conftest import FakeClassifier, FakeTagger
from propscan.article import Article
from propscan.cores import available_cores, cgroup_quota
from propscan.model.bundle import Model, load_model
from propscan.pipeline import analyze, analyze_many


class CountingTagger(FakeTagger):
    """Records how many texts it tags at the same time."""

    def __init__(self, phrases: list[str], thread_safe: bool) -> None:
        super().__init__(phrases)
        self.thread_safe = thread_safe
        self.now = self.most = 0
        self.lock = threading.Lock()

    def detect(self, text: str, *, spans_only: bool = False) -> list[tuple[int, int, float]]:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.05)
        with self.lock:
            self.now -= 1
        return super().detect(text, spans_only=spans_only)


class SafeClassifier(FakeClassifier):
    thread_safe = True


ARTICLES = [
    Article(f"a{i}", f"Report {i}: the corrupt elites again." * (1 + i % 3)) for i in range(8)
]


@pytest.mark.issue(19)
@pytest.mark.parametrize("safe", [True, False])
def test_analyze_many_keeps_order_and_runs_at_once_only_when_safe(safe: bool) -> None:
    tagger = CountingTagger(["corrupt elites"], thread_safe=safe)
    model = Model("fake", tagger, SafeClassifier())
    results = list(analyze_many(ARTICLES, model, parallel=4))
    assert [r.article.id for r in results] == [a.id for a in ARTICLES]
    assert [r.spans for r in results] == [analyze(a, model).spans for a in ARTICLES]
    assert (tagger.most > 1) is safe


@pytest.mark.issue(19)
def test_the_bundled_model_gives_the_same_results_in_parallel() -> None:
    texts = [
        "They are traitors, and everyone knows it. Shame on the corrupt elites!",
        "The council met on Tuesday. Officials said the bridge will open in spring.",
        "Our harbour, our town, our future! Never again will these cowards sell us out.",
        "Everyone knows the truth: a shameless land grab dressed up as progress.",
    ]
    articles = [Article(str(i), text) for i, text in enumerate(texts)]
    model = load_model()
    assert model.thread_safe
    alone = [analyze(a, model) for a in articles]
    together = list(analyze_many(articles, model, parallel=4))
    assert [r.spans for r in together] == [r.spans for r in alone]


def test_cgroup_quotas_are_read_in_cores(tmp_path: Path) -> None:
    v2, quota, period = tmp_path / "cpu.max", tmp_path / "quota", tmp_path / "period"
    assert cgroup_quota(v2, quota, period) is None  # no cgroup files
    v2.write_text("max 100000\n")
    assert cgroup_quota(v2, quota, period) is None  # no limit
    v2.write_text("150000 100000\n")
    assert cgroup_quota(v2, quota, period) == 1.5
    v2.unlink()
    quota.write_text("-1\n")
    period.write_text("100000\n")
    assert cgroup_quota(v2, quota, period) is None
    quota.write_text("200000\n")
    assert cgroup_quota(v2, quota, period) == 2.0
    assert available_cores() >= 1
