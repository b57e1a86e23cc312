"""Model folders of kind ``crf-linear``: CRF span tagger + logistic-regression classifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from propscan.errors import ModelNotFound
from propscan.model.bundle import Model
from propscan.model.linear.span_tagger import CrfSpanTagger
from propscan.model.linear.technique_classifier import LinearTechniqueClassifier

KIND = "crf-linear"
SI_FILE = "si.crfsuite"


def read_crf_model(folder: Path, manifest: dict[str, Any]) -> Model:
    """Load the CRF and the classifier weights of a ``crf-linear`` model folder."""
    try:
        tagger = CrfSpanTagger(folder / SI_FILE, threshold=float(manifest["si_threshold"]))
        classifier = LinearTechniqueClassifier.load(folder)
    except (OSError, KeyError, ValueError) as error:
        raise ModelNotFound(f"{folder}: incomplete or damaged model ({error})") from error
    return Model.from_manifest(folder, manifest, tagger, classifier)
