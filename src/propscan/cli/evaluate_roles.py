"""``propscan evaluate LANG_FOLDER --task roles``: the entity-role model by cross-validation over
documents (SemEval-2025 Task 10, subtask 1), or a trained role model on a task folder."""

from __future__ import annotations

import logging
from pathlib import Path

from rich.table import Table

from propscan.cli.common import errors_as_exit, stdout_console
from propscan.errors import InputError
from propscan.tasks.entity_framing import (
    exact_match_ratio,
    main_role_accuracy,
    read_documents,
    read_mentions,
)

ANNOTATIONS = "subtask-1-annotations.txt"


def evaluate_roles(
    folder: Path, folds: int, seed: int, work_dir: Path, encoder: Path | None, model: Path | None
) -> None:
    """Print main-role accuracy and the fine-role exact-match ratio."""
    with errors_as_exit():
        if not (folder / ANNOTATIONS).is_file():
            raise InputError(
                f"{folder}: no {ANNOTATIONS}; give a language folder of the entity-framing "
                "data, e.g. ../shared/entity-framing/EN"
            )
        documents = read_documents(folder)
        mentions = [m for m in read_mentions(folder / ANNOTATIONS, documents) if m.main_role]
        table = Table(title=f"Entity roles: {len(mentions)} annotated mentions in {folder}")
        table.add_column("")
        table.add_column("main-role accuracy", justify="right")
        table.add_column("fine-role exact match", justify="right")
        if model is not None:
            from propscan.model.roles import RoleModel

            predicted = RoleModel.load(model).label(documents, mentions)
            table.add_row(
                str(model),
                f"{main_role_accuracy(mentions, predicted):.3f}",
                f"{exact_match_ratio(mentions, predicted):.3f}",
            )
        else:
            try:
                from propscan.train.roles import RolesConfig, cross_validate_roles
                from propscan.train.transformer import default_encoder
            except ImportError as error:
                raise InputError(
                    f"cross-validation trains models: pip install 'propscan[train]' ({error})"
                ) from None
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
            result = cross_validate_roles(
                documents,
                mentions,
                work_dir,
                encoder_dir=encoder or default_encoder(),
                k=folds,
                config=RolesConfig(seed=seed),
            )
            for fold, (main, exact, n) in enumerate(
                zip(result.main_accuracy, result.exact_match, result.mentions, strict=True)
            ):
                table.add_row(f"fold {fold} ({n} mentions)", f"{main:.3f}", f"{exact:.3f}")
            s = result.summary()
            table.add_row(
                f"mean ± std over {folds} folds",
                f"{s['main_accuracy']:.3f} ± {s['main_accuracy_std']:.3f}",
                f"{s['exact_match']:.3f} ± {s['exact_match_std']:.3f}",
            )
        majority = max(
            (sum(m.main_role == role for m in mentions), role)
            for role in {m.main_role for m in mentions}
        )
        share = majority[0] / len(mentions)
        table.caption = f"always '{majority[1]}' would score main-role accuracy {share:.3f}"
    stdout_console().print(table)
