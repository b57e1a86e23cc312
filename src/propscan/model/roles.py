"""The entity-role model at run time: for each mention of a named entity, its main role
(protagonist, antagonist, innocent), its fine role and a confidence (ONNX Runtime, no torch)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propscan.errors import ModelNotFound
from propscan.model.transformer.classifier import LEGACY_SPANS_PER_RUN, OnnxTechniqueClassifier
from propscan.tasks.entity_framing import FINE_ROLES, RoleMention

KIND = "roles-onnx"
DEFAULT_ROLES_DIR = Path(__file__).parent.parent / "models" / "roles"


@dataclass(frozen=True)
class Roles:
    """A main role, its likeliest fine role and how likely the main role is."""

    main_role: str
    fine_roles: tuple[str, ...]
    confidence: float


class RoleModel:
    """Fine-role probabilities from one network; the main role is the one whose fine roles are
    likeliest together."""

    def __init__(self, classifier: OnnxTechniqueClassifier, name: str) -> None:
        self.classifier, self.name = classifier, name
        labels = classifier.labels
        self.children = {
            main: [labels.index(role) for role in roles] for main, roles in FINE_ROLES.items()
        }

    @classmethod
    def load(cls, folder: Path) -> RoleModel:
        """The role model in ``folder`` (made by ``train.roles.train_roles``)."""
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelNotFound(f"{folder}: no role model ({error})") from None
        if manifest.get("kind") != KIND:
            raise ModelNotFound(f"{folder}: not a role model (kind {manifest.get('kind')!r})")
        classifier = OnnxTechniqueClassifier(
            folder / manifest["model"],
            folder / manifest["tokenizer"],
            manifest["fine_roles"],
            max_pieces=int(manifest["max_pieces"]),
            batch_size=int(manifest.get("batch_size", LEGACY_SPANS_PER_RUN)),
        )
        return cls(classifier, str(manifest.get("name", folder.name)))

    def roles(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Roles]:
        """The roles of each mention ``text[start:end]``."""
        return [self._decide(row) for row in self.probabilities(text, spans)]

    def probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """Fine-role probabilities, one row per mention."""
        return self.classifier.raw_probabilities(text, spans)

    def entity_roles(self, text: str, spans: Sequence[tuple[int, int]]) -> Roles:
        """The roles of an entity from all its mentions (their probabilities averaged)."""
        return self._decide(self.probabilities(text, spans).mean(axis=0))

    def label(
        self, documents: dict[str, str], mentions: Sequence[RoleMention]
    ) -> list[RoleMention]:
        """The mentions with their predicted roles (the task's contract)."""
        labelled = []
        for name in sorted({m.document for m in mentions}):
            mine = [m for m in mentions if m.document == name]
            found = self.roles(documents[name], [(m.start, m.end) for m in mine])
            labelled += [
                replace(m, main_role=r.main_role, fine_roles=r.fine_roles)
                for m, r in zip(mine, found, strict=True)
            ]
        return labelled

    def _decide(self, row: NDArray[np.float64]) -> Roles:
        totals = {main: float(row[i].sum()) for main, i in self.children.items()}
        main = max(totals, key=lambda m: totals[m])
        fine = max(self.children[main], key=lambda i: row[i])
        return Roles(
            main, (self.classifier.labels[fine],), totals[main] / max(sum(totals.values()), 1e-9)
        )


@cache
def bundled_role_model() -> RoleModel:
    """The role model shipped in the package, loaded once."""
    return RoleModel.load(DEFAULT_ROLES_DIR)
