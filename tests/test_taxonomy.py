"""The two taxonomies as data: the 14 PTC-2020 techniques, the 23 SemEval-2023 techniques in 6
categories, and the mapping from 2023 to 2020, checked against the shared corpora."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import get_args

import pytest
from coloraide import Color

from propscan.render.segments import describe
from propscan.render.tags import short_tag
from propscan.tasks.ptc import Corpus
from propscan.techniques import (
    CATEGORIES,
    LABELS,
    PTC2020,
    SEMEVAL2023,
    SEMEVAL2023_TO_PTC2020,
    TAXONOMIES,
    TECHNIQUES,
    TaxonomyKey,
    find_technique,
)

pytestmark = pytest.mark.issue(13)

VISIONS = (None, "deutan", "protan")
MIN_2023_PAIR_DE = 6.0
"""23 light colours cannot keep the 10 ΔE2000 of the 14 (test_palette.py); the 9 added to the 14
were picked by a greedy max-min search under the three visions, and the short tags name them."""


def test_taxonomy_keys() -> None:
    assert set(TAXONOMIES) == set(get_args(TaxonomyKey)) == {"ptc2020", "semeval2023"}
    assert TAXONOMIES["ptc2020"].labels == LABELS
    assert TAXONOMIES["ptc2020"].techniques is TECHNIQUES
    assert len(SEMEVAL2023.labels) == 23
    assert len(CATEGORIES) == 6


def test_every_2023_label_of_the_release_is_here(semeval2023_dir: Path) -> None:
    listed = (semeval2023_dir / "techniques-semeval2023.txt").read_text(encoding="utf-8").split()
    assert sorted(listed) == sorted(SEMEVAL2023.labels)


def test_every_2023_technique_has_a_category() -> None:
    names = {c.name for c in CATEGORIES}
    assert all(t.category in names for t in SEMEVAL2023.techniques.values())
    grouped = SEMEVAL2023.grouped()
    assert [c.name for c, _ in grouped if c] == [c.name for c in CATEGORIES]
    assert sum(len(ts) for _, ts in grouped) == 23
    assert all(ts for _, ts in grouped)
    assert all(t.category is None for t in PTC2020.techniques.values())
    assert PTC2020.grouped() == [(None, list(TECHNIQUES.values()))]


def test_every_technique_is_described() -> None:
    for taxonomy in TAXONOMIES.values():
        for t in taxonomy.techniques.values():
            assert t.name and t.definition and t.tag.isupper(), t.label
            assert Color(t.color).luminance() >= 7 * 0.05 - 0.05, t.label  # 7:1 with black
        assert len({t.tag for t in taxonomy.techniques.values()}) == len(taxonomy.labels)


def test_shared_labels_mean_the_same() -> None:
    for label in set(PTC2020.labels) & set(SEMEVAL2023.labels):
        old, new = PTC2020.techniques[label], SEMEVAL2023.techniques[label]
        assert (old.name, old.definition, old.color, old.tag) == (
            new.name,
            new.definition,
            new.color,
            new.tag,
        )
        assert SEMEVAL2023_TO_PTC2020[label] == label


def test_renderers_know_2023_labels() -> None:
    assert (
        find_technique("False_Dilemma-No_Choice")
        is SEMEVAL2023.techniques["False_Dilemma-No_Choice"]
    )
    assert find_technique("Loaded_Language") is TECHNIQUES["Loaded_Language"]
    assert find_technique("Made_Up") is None
    assert short_tag("Straw_Man") == "STRAW-MAN"
    assert short_tag("Name_Calling,Labeling") == "NAME-CALLING"
    assert short_tag("Made_Up_Label") == "MADE"
    assert describe("Red_Herring").color == SEMEVAL2023.techniques["Red_Herring"].color


@pytest.mark.parametrize("vision", VISIONS)
def test_2023_colours_are_apart(vision: str | None) -> None:
    def seen(color: str) -> Color:
        c = Color(color)
        return c.filter(vision, method="machado").convert("srgb").clip() if vision else c

    close = [
        (x.label, y.label)
        for x, y in combinations(SEMEVAL2023.techniques.values(), 2)
        if seen(x.color).delta_e(seen(y.color), method="2000") < MIN_2023_PAIR_DE
    ]
    assert close == []


def test_the_mapping_covers_every_2023_technique(semeval2023_corpus: Corpus) -> None:
    assert set(SEMEVAL2023_TO_PTC2020) == set(SEMEVAL2023.labels)
    assert set(SEMEVAL2023_TO_PTC2020.values()) - {None} == set(LABELS)
    with_spans = {t for _, t, _, _ in semeval2023_corpus.labels}
    unmapped = {t for t in with_spans if SEMEVAL2023_TO_PTC2020[t] is None}
    assert unmapped == {"Obfuscation-Vagueness-Confusion"}


def test_the_mapping_holds_on_the_data(semeval2023_corpus: Corpus, ptc_corpus: Corpus) -> None:
    """The texts differ slightly, so spans are matched by article and span text."""
    ptc_text = {a.id: a.text for a in ptc_corpus.articles}
    ptc_techniques: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for article, technique, start, end in ptc_corpus.labels:
        ptc_techniques[(article, ptc_text[article][start:end])].add(technique)
    text = {a.id: a.text for a in semeval2023_corpus.articles}
    matched = wrong = 0
    for article, technique, start, end in semeval2023_corpus.labels:
        found = ptc_techniques.get((article, text[article][start:end]))
        if found is not None:
            matched += 1
            wrong += SEMEVAL2023_TO_PTC2020[technique] not in found
    assert matched > 0.9 * len(semeval2023_corpus.labels)
    assert wrong == 0
