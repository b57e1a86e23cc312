"""Train the entity-role model (SemEval-2025 Task 10, subtask 1) and cross-validate it.

One network, the technique classifier's recipe (the mention marked « » in its context, the
encoder's [CLS] state and the mention's mean state, a linear head), learns the 22 fine roles; a
mention with two fine roles is two examples. The main role is the one whose fine roles are
likeliest together, and the fine role the likeliest of that main role's (``model.roles``).
"""

from __future__ import annotations

import json
import logging
import random
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from propscan import __version__
from propscan.article import Article
from propscan.model.roles import KIND, RoleModel
from propscan.model.transformer.text import Specials, load_tokenizer
from propscan.tasks.entity_framing import (
    ALL_FINE_ROLES,
    RoleMention,
    exact_match_ratio,
    main_role_accuracy,
)
from propscan.tasks.ptc import Corpus
from propscan.train import tc
from propscan.train._loop import Schedule, where_to_train
from propscan.train.export import export_onnx, max_difference, quantize

log = logging.getLogger("propscan.train")
TOKENIZER = "tokenizer.json"


@dataclass(frozen=True)
class RolesConfig:
    """The recipe of the role model (``max_steps`` caps training, for smoke tests)."""

    layers: int | None = 4
    max_pieces: int = 128
    epochs: float = 10.0
    batch_size: int = 16
    lr: float = 1e-4
    weight_power: float = 0.5
    minutes: float | None = 30.0
    max_steps: int | None = None
    seed: int = 0


MULTILINGUAL_ROLES = RolesConfig(layers=6, epochs=6.0, minutes=12.0)
"""The recipe on every language of the data, from the multilingual encoder (``e5_encoder``):
4.6 times the English mentions, so fewer epochs, capped at 12 minutes on 2 cores."""


def role_corpus(documents: dict[str, str], mentions: Sequence[RoleMention]) -> Corpus:
    """The mentions as a corpus of labelled spans: one label per (mention, fine role)."""
    used = sorted({m.document for m in mentions})
    labels = tuple((m.document, role, m.start, m.end) for m in mentions for role in m.fine_roles)
    return Corpus(tuple(Article(name, documents[name]) for name in used), labels)


def train_roles(
    documents: dict[str, str],
    mentions: Sequence[RoleMention],
    out_dir: Path,
    *,
    encoder_dir: Path,
    config: RolesConfig = RolesConfig(),
    languages: Sequence[str] = ("en",),
) -> dict[str, Any]:
    """Fine-tune, export (int8) and write a role-model folder; returns its manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(encoder_dir / TOKENIZER)
    tokenizer.save(str(out_dir / TOKENIZER))
    corpus = role_corpus(documents, mentions)
    device, bf16 = where_to_train(None, None)
    schedule = Schedule(
        epochs=config.epochs,
        batch_size=config.batch_size,
        lr=config.lr,
        max_steps=config.max_steps,
        minutes=config.minutes,
        seed=config.seed,
        bf16=bf16,
        device=device,
    )
    model, seconds, examples = tc.train_classifier(
        corpus,
        tokenizer,
        encoder_dir,
        list(ALL_FINE_ROLES),
        max_pieces=config.max_pieces,
        layers=config.layers,
        weight_power=config.weight_power,
        schedule=schedule,
    )
    inputs, axes = tc.export_inputs(examples, Specials.of(tokenizer).pad)
    fp32 = out_dir / "roles-fp32.onnx"
    export_onnx(model, inputs, fp32, axes)
    quantize(fp32, out_dir / "roles.onnx")
    parity = max_difference(model, inputs, out_dir / "roles.onnx")
    fp32.unlink()
    manifest = {
        "kind": KIND,
        "name": f"roles-onnx-{__version__}",
        "propscan_version": __version__,
        "model": "roles.onnx",
        "tokenizer": TOKENIZER,
        "max_pieces": config.max_pieces,
        "fine_roles": list(ALL_FINE_ROLES),
        "languages": list(languages),
        "trained_on": {"documents": len(corpus.articles), "mentions": len(mentions)},
        "train_seconds": round(seconds, 1),
        "parity_int8": parity,
        "config": asdict(config),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class RolesCV:
    """Per-fold main-role accuracy and fine-role exact-match ratio."""

    main_accuracy: list[float]
    exact_match: list[float]
    mentions: list[int]

    def summary(self) -> dict[str, float]:
        def spread(values: list[float]) -> float:
            return statistics.stdev(values) if len(values) > 1 else 0.0

        return {
            "main_accuracy": statistics.mean(self.main_accuracy),
            "main_accuracy_std": spread(self.main_accuracy),
            "exact_match": statistics.mean(self.exact_match),
            "exact_match_std": spread(self.exact_match),
        }


def document_folds(mentions: Sequence[RoleMention], k: int, seed: int = 0) -> list[set[str]]:
    """The annotated documents dealt at random into ``k`` folds (a document's mentions stay
    together)."""
    names = sorted({m.document for m in mentions})
    random.Random(seed).shuffle(names)
    return [set(names[i::k]) for i in range(k)]


def cross_validate_roles(
    documents: dict[str, str],
    mentions: Sequence[RoleMention],
    work_dir: Path,
    *,
    encoder_dir: Path,
    k: int = 5,
    config: RolesConfig = RolesConfig(),
    also_train_on: Sequence[RoleMention] = (),
    folds: Sequence[int] | None = None,
) -> RolesCV:
    """Train one model per document fold (kept in ``work_dir/fold-N``; reused when there)
    and score it on the fold's mentions. Every fold also trains on ``also_train_on`` (e.g. the
    mentions of other languages; ``documents`` must hold their documents too), which are never
    scored. ``folds``: only these folds (all for None)."""
    result = RolesCV([], [], [])
    for fold, held_out in enumerate(document_folds(mentions, k, config.seed)):
        if folds is not None and fold not in folds:
            continue
        fold_dir = work_dir / f"fold-{fold}"
        train = [m for m in mentions if m.document not in held_out] + list(also_train_on)
        test = [m for m in mentions if m.document in held_out]
        if not (fold_dir / "manifest.json").exists():
            train_roles(documents, train, fold_dir, encoder_dir=encoder_dir, config=config)
        predicted = RoleModel.load(fold_dir).label(documents, test)
        result.main_accuracy.append(main_role_accuracy(test, predicted))
        result.exact_match.append(exact_match_ratio(test, predicted))
        result.mentions.append(len(test))
        log.info("roles fold %d: %s", fold, result.summary())
    return result
