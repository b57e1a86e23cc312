"""A trained model on disk: a folder with ``manifest.json`` whose ``kind`` says how to load it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from propscan.errors import ModelNotFound
from propscan.model import SpanDetector, TechniqueScorer
from propscan.model.calibration import Calibration
from propscan.model.semeval2023_head import Semeval2023Head
from propscan.model.training_texts import fingerprint, read_training_hashes

MANIFEST = "manifest.json"
DEFAULT_MODEL_DIR = Path(__file__).parent.parent / "models" / "default"

# Model kinds and the function that loads each: imported only when needed, so that loading one
# kind never imports the libraries of another (scikit-learn, onnxruntime).
LOADERS = {
    "crf-linear": "propscan.model.linear.bundle:read_crf_model",
    "transformer-onnx": "propscan.model.transformer.bundle:read_transformer_model",
}


@dataclass(frozen=True)
class Model:
    """Everything the pipeline needs to analyse an article."""

    name: str
    tagger: SpanDetector
    classifier: TechniqueScorer
    second_label_ratio: float = 0.0
    manifest: dict[str, Any] | None = None
    semeval2023: Semeval2023Head | None = None
    """The head that names techniques in the SemEval-2023 taxonomy, where the model has one."""
    label_thresholds: dict[str, float] | None = None
    """Per PTC technique, the ``span confidence × probability`` from which a detected span gets
    it (any number of techniques, none dropping the span); None: its likeliest technique."""
    calibration: Calibration | None = None
    """Maps a raw span score to the measured rate of being right (None: raw scores shown)."""
    training_hashes: frozenset[str] = frozenset()
    """Fingerprints of the articles it was trained on (``training_texts``)."""

    @property
    def languages(self) -> frozenset[str]:
        """The languages (ISO 639-1) the model was trained on (its manifest's ``languages``;
        English for models that name none)."""
        return frozenset((self.manifest or {}).get("languages") or ("en",))

    @property
    def thread_safe(self) -> bool:
        """Whether several threads may analyse with this model at once (its tagger and
        classifier say so with a true ``thread_safe`` attribute)."""
        return bool(getattr(self.tagger, "thread_safe", False)) and bool(
            getattr(self.classifier, "thread_safe", False)
        )

    def trained_on(self, text: str) -> bool:
        """Whether ``text`` is one of the articles the model was trained on."""
        return bool(self.training_hashes) and fingerprint(text) in self.training_hashes

    @classmethod
    def from_manifest(
        cls,
        folder: Path,
        manifest: dict[str, Any],
        tagger: SpanDetector,
        classifier: TechniqueScorer,
    ) -> Model:
        """A model named and tuned by its folder's manifest."""
        head = manifest.get("semeval2023")
        thresholds = (manifest.get("tc") or {}).get("label_thresholds")
        calibration = manifest.get("calibration")
        return cls(
            name=str(manifest.get("name", folder.name)),
            tagger=tagger,
            classifier=classifier,
            second_label_ratio=float(manifest.get("second_label_ratio", 0.0)),
            manifest=manifest,
            semeval2023=Semeval2023Head.load(folder / head["head"]) if head else None,
            label_thresholds={k: float(v) for k, v in thresholds.items()} if thresholds else None,
            calibration=Calibration.from_dict(calibration) if calibration else None,
            training_hashes=read_training_hashes(folder),
        )


def write_manifest(folder: Path, kind: str, **fields: Any) -> None:
    """Record a model's kind and settings next to its weights."""
    (folder / MANIFEST).write_text(
        json.dumps({"kind": kind, **fields}, indent=2) + "\n", encoding="utf-8"
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
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelNotFound(f"{manifest_path}: unreadable ({error})") from error
    kind = manifest.get("kind") if isinstance(manifest, dict) else None
    if kind not in LOADERS:
        raise ModelNotFound(f"{folder}: unknown model kind {kind!r}")
    module, function = LOADERS[kind].split(":")
    loader: Callable[[Path, dict[str, Any]], Model] = getattr(import_module(module), function)
    return loader(folder, manifest)
