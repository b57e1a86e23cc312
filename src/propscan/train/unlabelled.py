"""Unlabelled news for a teacher to label: a random sample of articles of training length."""

from __future__ import annotations

import logging
import random
from collections.abc import Collection, Iterator
from pathlib import Path

from propscan.article import Article
from propscan.corpus.sources import open_source
from propscan.errors import InputError
from propscan.tasks.allsides import is_allsides, read_allsides

MIN_CHARS, MAX_CHARS = 1_500, 12_000
"""The lengths kept: about those of the PTC's articles (very short items are often teasers,
very long ones transcripts)."""

log = logging.getLogger("propscan.train")


def unlabelled_articles(path: Path) -> Iterator[Article]:
    """The articles of the AllSides release, or of any input ``propscan analyze`` reads (a
    folder, a .jsonl/.csv/.parquet feed); unreadable items are skipped with a note."""
    if is_allsides(path):
        yield from read_allsides(path)
        return
    skipped = 0
    for item in open_source(path):
        if isinstance(item, Article):
            yield item
        else:
            skipped += 1
    if skipped:
        log.warning("%s: %d unreadable items skipped", path, skipped)


def sample_unlabelled(
    path: Path, count: int, *, seed: int = 0, exclude: Collection[str] = ()
) -> list[Article]:
    """``count`` articles of ``MIN_CHARS`` to ``MAX_CHARS`` characters at random (all of them if
    fewer), leaving out any whose text is in ``exclude`` (the gold articles)."""
    kept = [
        article
        for article in unlabelled_articles(path)
        if MIN_CHARS <= len(article.text) <= MAX_CHARS and article.text not in exclude
    ]
    if not kept:
        raise InputError(
            f"{path}: no unlabelled article of {MIN_CHARS:,} to {MAX_CHARS:,} characters"
        )
    return random.Random(seed).sample(kept, min(count, len(kept)))
