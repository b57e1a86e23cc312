"""A trained model on disk: a folder with ``manifest.json`` whose ``kind`` says how to load it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from propscan.errors import ModelNotFound
from propscan.model import SpanDetector, TechniqueScorer
from propscan.model.calibration import Calibration
from propscan.model.semeval2023_head import Semeval2023Head
from propscan.model.training_texts import fingerprint, read_training_hashes
from propscan.techniques import SEMEVAL2023, SEMEVAL2023_TO_PTC2020, TaxonomyKey

MANIFEST = "manifest.json"
DEFAULT_MODEL_DIR = Path(__file__).parent.parent / "models" / "default"
MULTILINGUAL_MODEL_DIR = Path(__file__).parent.parent / "models" / "multilingual"
"""The bundled multilingual model: the default model sends it the languages it was not trained
on (``Model.for_language``)."""

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
    routes: tuple[Model, ...] = ()
    """Models that analyse the languages this one was not trained on (``for_language``)."""
    complement: Model | None = None
    """A model of the 2023 taxonomy whose spans of the 2023 techniques this one cannot name
    (``unnamed_in_2023``) are added when it analyses in that taxonomy."""

    @property
    def unnamed_in_2023(self) -> frozenset[str]:
        """The SemEval-2023 techniques this model never gives (for a PTC-2020 model: those
        with no PTC class, which its 2023 head cannot reach)."""
        if self.taxonomy == "semeval2023":
            return frozenset(SEMEVAL2023.labels) - set(self.classifier.labels)
        return frozenset(t for t, parent in SEMEVAL2023_TO_PTC2020.items() if parent is None)

    @property
    def taxonomy(self) -> TaxonomyKey:
        """The taxonomy its classifier's labels come from (its manifest's ``taxonomy``;
        PTC-2020 for models that name none)."""
        return (
            "semeval2023" if (self.manifest or {}).get("taxonomy") == "semeval2023" else "ptc2020"
        )

    def for_language(self, language: str | None) -> Model:
        """The model to analyse text in ``language`` with: this one where it was trained on
        the language (or where it has no routes), else the first route trained on it, else the
        first route (a multilingual model is the safer guess for an untested language; an
        undetermined language stays here)."""
        if not self.routes or language in self.languages or language in (None, "und"):
            return self
        return next((m for m in self.routes if language in m.languages), self.routes[0])

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
    """Load a model folder, once per process. None: the bundled default (English), which routes
    the languages it was not trained on to the bundled multilingual model where that is
    installed, and adds that model's spans of the techniques it cannot name when it analyses in
    the 2023 taxonomy; a folder given is used alone, for every language."""
    if folder is None:
        return _load_bundled()
    return _load_cached(Path(folder).resolve())


@cache
def _load_bundled() -> Model:
    english = _load_cached(DEFAULT_MODEL_DIR.resolve())
    if not (MULTILINGUAL_MODEL_DIR / MANIFEST).is_file():
        return english
    multilingual = _load_cached(MULTILINGUAL_MODEL_DIR.resolve())
    return replace(english, routes=(multilingual,), complement=multilingual)


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
