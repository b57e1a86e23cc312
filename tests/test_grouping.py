"""Cross-validation folds keep near-duplicate articles together (issue 18, item 1)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from propscan.article import Article
from propscan.tasks.ptc import Corpus
from propscan.train.evaluation import article_folds, hold_out
from propscan.train.grouping import MAX_SHARERS, MIN_CHARS, near_duplicate_groups

pytestmark = pytest.mark.issue(18)

STORY = "The minister said on Tuesday that the harbour will be sold to the highest bidder soon."
OTHER = "Fishermen gathered at dawn to protest against the sale of the old harbour and its piers."
BOILERPLATE = "Subscribe to our newsletter to receive the latest news from our town every morning."


def article(ident: str, *lines: str) -> Article:
    return Article(ident, "\n".join((f"Title {ident}", *lines, f"Only in {ident}.")))


def test_the_lines_used_are_long() -> None:
    assert len(STORY) > MIN_CHARS and len(OTHER) > MIN_CHARS and len(BOILERPLATE) > MIN_CHARS


def test_a_shared_long_line_groups_articles_and_groups_are_transitive() -> None:
    articles = [
        article("a", STORY),
        article("b", "  " + STORY.replace(" ", "  ")),  # spacing differs: the same line
        article("c", OTHER, STORY.upper()),  # case differs: another line...
        article("d", OTHER),  # ...but c and d share OTHER
        article("e", "Short shared line."),
        article("f", "Short shared line."),
    ]
    groups = near_duplicate_groups(articles)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3] != groups[0]
    assert len({groups[4], groups[5], groups[0], groups[2]}) == 4  # short lines link nothing


def test_boilerplate_that_many_articles_carry_links_nothing() -> None:
    articles = [article(str(i), BOILERPLATE) for i in range(MAX_SHARERS + 1)]
    assert len(set(near_duplicate_groups(articles))) == MAX_SHARERS + 1
    few = articles[:MAX_SHARERS]
    assert len(set(near_duplicate_groups(few))) == 1


def test_folds_never_split_a_group_and_cover_every_article_once() -> None:
    articles = [article(f"x{i}") for i in range(20)]
    articles += [article("dup1", STORY), article("dup2", STORY), article("dup3", OTHER)]
    articles += [article("dup4", OTHER)]
    for seed in range(5):
        folds = article_folds(articles, 4, seed)
        ids = [i for fold in folds for i in fold]
        assert sorted(ids) == sorted(a.id for a in articles)
        where = {i: n for n, fold in enumerate(folds) for i in fold}
        assert where["dup1"] == where["dup2"] and where["dup3"] == where["dup4"]
        assert max(map(len, folds)) - min(map(len, folds)) <= 2
    assert article_folds(articles, 4, 1) == article_folds(list(reversed(articles)), 4, 1)


@pytest.mark.corpus
def test_no_ptc_test_fold_has_a_near_copy_in_its_training_part(ptc_corpus: Corpus) -> None:
    sharers: defaultdict[str, set[str]] = defaultdict(set)
    for a in ptc_corpus.articles:
        for line in a.text.splitlines():
            if len(line := " ".join(line.split())) > MIN_CHARS:
                sharers[line].add(a.id)
    rare = [ids for ids in sharers.values() if 2 <= len(ids) <= MAX_SHARERS]
    assert len(rare) > 20  # the corpus has near-copies: the test has something to check
    for fold in range(5):
        train, test = hold_out(ptc_corpus, fold)
        held_out = {a.id for a in test.articles}
        assert len(held_out) + len(train.articles) == len(ptc_corpus.articles)
        for ids in rare:
            assert ids <= held_out or not ids & held_out
