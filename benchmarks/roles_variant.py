"""Does the role model gain from more context, more layers or a larger encoder?
Cross-validates the role recipe (as ``propscan evaluate LANG --task roles``, same folds) with
another context length, encoder depth or encoder.

Usage: python benchmarks/roles_variant.py ../shared/entity-framing/EN --max-pieces 256
           --work-dir roles-cv-256
       python benchmarks/roles_variant.py ../shared/entity-framing/EN --layers 6
           --work-dir roles-cv-6-layers
       python benchmarks/roles_variant.py ../shared/entity-framing/EN --layers 0
           --encoder TEACHER_WORK/all-mpnet-base-v2 --work-dir roles-cv-mpnet

``--layers 0`` keeps all of the encoder's layers; ``--encoder`` is a transformers folder with
a ``tokenizer.json`` whose specials are named as the project's (``teacher_fold.py`` unpacks
all-mpnet-base-v2 so). Training stops at ``--minutes`` a fold.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from propscan.cli.evaluate_roles import ANNOTATIONS
from propscan.tasks.entity_framing import read_documents, read_mentions
from propscan.train.roles import RolesConfig, cross_validate_roles
from propscan.train.transformer import default_encoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--max-pieces", type=int, default=RolesConfig.max_pieces)
    parser.add_argument("--layers", type=int, default=RolesConfig.layers)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--encoder", type=Path, help="default: the shipped recipe's")
    parser.add_argument("--minutes", type=float, default=RolesConfig.minutes)
    parser.add_argument("--work-dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    documents = read_documents(args.folder)
    mentions = [m for m in read_mentions(args.folder / ANNOTATIONS, documents) if m.main_role]
    result = cross_validate_roles(
        documents,
        mentions,
        args.work_dir,
        encoder_dir=args.encoder or default_encoder(),
        k=args.folds,
        config=RolesConfig(
            max_pieces=args.max_pieces, layers=args.layers or None, minutes=args.minutes
        ),
    )
    print("per fold main-role accuracy:", [round(x, 3) for x in result.main_accuracy])
    print("per fold exact match:", [round(x, 3) for x in result.exact_match])
    print(result.summary())


if __name__ == "__main__":
    main()
