"""Model folders of kind ``transformer-onnx``: ONNX span tagger + ONNX technique classifier.

``manifest.json`` holds ``{"kind": "transformer-onnx", "tokenizer": "tokenizer.json",
"si": {"model", "max_pieces", "threshold", "max_gap", "min_chars"},
"tc": {"model", "max_pieces", "labels", "features"}, ...}``. A one-pass model has no
``tc.onnx``: its ``tc`` entry names a span head (``"head"``, NumPy arrays) that reads the
tagger's encoder states (``"shared_encoder": true``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from propscan.errors import ModelNotFound
from propscan.model.bundle import Model
from propscan.model.transformer.classifier import OnnxTechniqueClassifier
from propscan.model.transformer.shared_classifier import SharedEncoderClassifier
from propscan.model.transformer.tagger import OnnxSpanTagger

KIND = "transformer-onnx"


def read_transformer_model(folder: Path, manifest: dict[str, Any]) -> Model:
    """Load the ONNX sessions and tokenizer of a ``transformer-onnx`` model folder."""
    try:
        tokenizer = str(manifest["tokenizer"])
        tagger = OnnxSpanTagger.from_settings(folder, tokenizer, manifest["si"])
        classifier = (
            SharedEncoderClassifier.from_tagger(folder, tagger, manifest["tc"])
            if manifest["tc"].get("shared_encoder")
            else OnnxTechniqueClassifier.from_settings(folder, tokenizer, manifest["tc"])
        )
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise ModelNotFound(f"{folder}: incomplete or damaged model ({error})") from error
    return Model.from_manifest(folder, manifest, tagger, classifier)
