"""Do the techniques aimed at an entity tell its role? A check on the role model's CV folds.

For every annotated English mention: the fold model's fine-role probabilities (the fold that
held its document out, from a ``roles_variant.py`` or ``propscan evaluate --task roles
--work-dir`` folder) and the spans ``propscan analyze --entities`` aims at the same entity
(its last word matched). Prints how often mentions with and without an aimed technique are
antagonists, then main-role accuracy per fold of: the model's own decision; a logistic
regression on its three main-role probabilities; the same with the aimed-technique counts
(each regression fitted on the other folds' mentions)::

    python benchmarks/roles_aimed.py ../shared/entity-framing/EN ROLES_CV_DIR
"""

from __future__ import annotations

import argparse
import re
import statistics
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from propscan.article import Article, Span
from propscan.attribute import attribute
from propscan.attribute.targets import AIMED_TECHNIQUES
from propscan.cli.evaluate_roles import ANNOTATIONS
from propscan.model.roles import RoleModel
from propscan.pipeline import analyze
from propscan.tasks.entity_framing import FINE_ROLES, read_documents, read_mentions
from propscan.train.roles import document_folds

MAIN_ROLES = list(FINE_ROLES)
COUNTED = ("Name_Calling,Labeling", "Loaded_Language", "Doubt", "Appeal_to_fear-prejudice")


def last_word(name: str | None) -> str | None:
    words = re.findall(r"[A-Za-z]+", name or "")
    return words[-1].lower() if words else None


def aimed_counts(mention: str, spans: Sequence[Span]) -> list[float]:
    """log(1 + count) of the aimed spans at the mention's entity: all, then each of COUNTED."""
    key = last_word(mention)
    aimed = [s for s in spans if s.technique in AIMED_TECHNIQUES and last_word(s.target) == key]
    counts = [len(aimed), *(sum(s.technique == t for s in aimed) for t in COUNTED)]
    return [float(np.log1p(c)) for c in counts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("cv_dir", type=Path, help="fold-N/ role models of the same folds")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    documents = read_documents(args.folder)
    mentions = [m for m in read_mentions(args.folder / ANNOTATIONS, documents) if m.main_role]
    probabilities, aimed, gold, fold_of = [], [], [], []
    for fold, held_out in enumerate(document_folds(mentions, args.folds)):
        model = RoleModel.load(args.cv_dir / f"fold-{fold}")
        children = model.children
        for name in sorted(held_out):
            mine = [m for m in mentions if m.document == name]
            spans = attribute(analyze(Article(name, documents[name]), language="en")).spans
            rows = model.probabilities(documents[name], [(m.start, m.end) for m in mine])
            for mention, row in zip(mine, rows, strict=True):
                probabilities.append([float(row[children[main]].sum()) for main in MAIN_ROLES])
                aimed.append(aimed_counts(documents[name][mention.start : mention.end], spans))
                gold.append(mention.main_role)
                fold_of.append(fold)
    p, a, y, f = (np.asarray(x) for x in (probabilities, aimed, gold, fold_of))
    some = a[:, 0] > 0
    print(f"{len(y)} mentions; {int(some.sum())} with a technique aimed at their entity")
    for label, chosen in (("with", some), ("without", ~some)):
        print(f"  antagonists among mentions {label}: {np.mean(y[chosen] == 'Antagonist'):.3f}")
    own = np.asarray(MAIN_ROLES)[p.argmax(axis=1)]
    logs = np.log(p + 1e-6)
    for title, features in (
        ("the model's decision", None),
        ("regression on its probabilities", logs),
        ("the same and the aimed techniques", np.hstack([logs, a])),
    ):
        predicted = own.copy()
        if features is not None:
            for fold in range(args.folds):
                fit = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
                fit.fit(features[f != fold], y[f != fold])
                predicted[f == fold] = fit.predict(features[f == fold])
        scores = [float(np.mean(predicted[f == k] == y[f == k])) for k in range(args.folds)]
        shown = " / ".join(f"{s:.3f}" for s in scores)
        print(f"{title}: {shown} (mean {statistics.mean(scores):.3f})")


if __name__ == "__main__":
    main()
