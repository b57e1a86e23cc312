"""Near-duplicate articles grouped, so that cross-validation never tests on a copy of training text.

The rule: two articles belong together when they share a line of over ``MIN_CHARS`` characters
that at most ``MAX_SHARERS`` articles of the corpus have (a line that many articles carry, such
as a site's boilerplate, says nothing about a shared story); groups are the connected
components of that relation (a copy of a copy joins the same group).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from propscan.article import Article

MIN_CHARS = 80
MAX_SHARERS = 3


def near_duplicate_groups(articles: Sequence[Article]) -> list[int]:
    """A group number per article (in the order given); near-duplicates share one."""
    sharers: defaultdict[str, set[int]] = defaultdict(set)
    for index, article in enumerate(articles):
        for line in article.text.splitlines():
            if len(line := " ".join(line.split())) > MIN_CHARS:
                sharers[line].add(index)
    rows, cols = [], []
    for indices in sharers.values():
        if 2 <= len(indices) <= MAX_SHARERS:
            first, *rest = sorted(indices)
            rows += [first] * len(rest)
            cols += rest
    n = len(articles)
    links = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(links, directed=False)
    return [int(label) for label in labels]
