"""Where an article's analysis time goes: the tagger's model runs, the classifier's, and the
rest (tokenising, decoding, building the result), one article at a time.

Usage: python benchmarks/profile_analyze.py ../shared/ptc/train-articles [--articles 25]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from propscan.model.bundle import load_model
from propscan.pipeline import analyze
from propscan.tasks.ptc import read_articles


class TimedSession:
    """Passes runs on to an ONNX Runtime session and adds up their seconds."""

    def __init__(self, session: Any) -> None:
        self.session, self.seconds, self.runs = session, 0.0, 0

    def run(self, names: Sequence[str], feed: Mapping[str, Any]) -> list[Any]:
        began = time.perf_counter()
        try:
            return list(self.session.run(names, feed))
        finally:
            self.seconds += time.perf_counter() - began
            self.runs += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=25)
    args = parser.parse_args()
    articles = read_articles(args.folder)[: args.articles]
    model = load_model()
    analyze(articles[0], model)
    tagger = TimedSession(model.tagger.session)  # type: ignore[attr-defined]
    classifier = TimedSession(model.classifier.session)  # type: ignore[attr-defined]
    model.tagger.session, model.classifier.session = tagger, classifier  # type: ignore[attr-defined]
    began = time.perf_counter()
    for article in articles:
        analyze(article, model)
    total = time.perf_counter() - began
    rest = total - tagger.seconds - classifier.seconds
    print(f"{len(articles)} articles, one at a time: {total:.2f} s")
    for name, seconds, runs in (
        ("tagger model runs", tagger.seconds, tagger.runs),
        ("classifier model runs", classifier.seconds, classifier.runs),
        ("everything else", rest, None),
    ):
        count = f" ({runs} runs)" if runs is not None else ""
        print(f"{name}: {seconds:.2f} s, {seconds / total:.0%}{count}")


if __name__ == "__main__":
    main()
