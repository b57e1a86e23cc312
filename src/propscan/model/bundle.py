"""A trained model on disk: manifest, span tagger and technique classifier, loaded together."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from propscan.errors import ModelNotFound
from propscan.model import SpanDetector, TechniqueScorer
from propscan.model.span_tagger import CrfSpanTagger
from propscan.model.technique_classifier import LinearTechniqueClassifier

KIND = "crf-linear"
SI_FILE = "si.crfsuite"
MANIFEST = "manifest.json"
DEFAULT_MODEL_DIR = Path(__file__).parent.parent / "models" / "default"


@dataclass(frozen=True)
class Model:
    """Everything the pipeline needs to analyse an article."""

    name: str
    tagger: SpanDetector
    classifier: TechniqueScorer
    second_label_ratio: float = 0.0
    manifest: dict[str, Any] | None = None


def write_manifest(folder: Path, **fields: Any) -> None:
    """Record the model's kind and settings next to its weights."""
    (folder / MANIFEST).write_text(
        json.dumps({"kind": KIND, **fields}, indent=2) + "\n", encoding="utf-8"
    )


def load_model(folder: Path | None = None) -> Model:
    """Load a model folder (the bundled default when None), once per process."""
    return _load_cached(Path(folder or DEFAULT_MODEL_DIR).resolve())


@cache
def _load_cached(folder: Path) -> Model:
    return read_model(folder)


def read_model(folder: Path) -> Model:
    """Load a model folder from disk, every time."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ModelNotFound(
            f"no model at {folder} (missing {MANIFEST}); train one with "
            "'propscan train CORPUS_DIR -o MODEL_DIR'"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("kind") != KIND:
        raise ModelNotFound(f"{folder}: unknown model kind {manifest.get('kind')!r}")
    try:
        tagger = CrfSpanTagger(folder / SI_FILE, threshold=float(manifest["si_threshold"]))
        classifier = LinearTechniqueClassifier.load(folder)
    except (OSError, KeyError, ValueError) as error:
        raise ModelNotFound(f"{folder}: incomplete or damaged model ({error})") from error
    return Model(
        name=str(manifest.get("name", folder.name)),
        tagger=tagger,
        classifier=classifier,
        second_label_ratio=float(manifest.get("second_label_ratio", 0.0)),
        manifest=manifest,
    )
