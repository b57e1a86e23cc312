"""Bytes -> text: UTF-16 with a BOM or plainly without one, then UTF-8, then a legacy code page.

Among legacy code pages Windows-1252 (the usual one of Western news, a superset of Latin-1) wins
whenever its reading looks like Western text; otherwise charset-normalizer's best guess is taken.
A decode that rests on a guess says so in ``Decoded.doubt``.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

import charset_normalizer

from propscan.errors import InputError

_SAMPLE = 4096
_WESTERN_LETTERS = re.compile(r"[À-ÖØ-öø-ÿŒœŠšŽž]")
_WESTERN_OTHERS = frozenset("\u00a0‘’‚“”„–—…•€«»°§©®±·¼½¾£¥¢™†‡‰")
_NAMES = {"cp1252": "Windows-1252", "utf_16_le": "UTF-16LE", "utf_16_be": "UTF-16BE"}


class Decoded(NamedTuple):
    """Decoded text, the encoding used, and why that encoding is a guess (None: it is sure)."""

    text: str
    encoding: str
    doubt: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode an article's bytes; InputError when they look binary or no encoding fits."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be")):
        if data.startswith(bom):
            return _check(Decoded(_strict(data[len(bom) :], encoding), encoding))
    utf16 = _bomless_utf16(data)  # before UTF-8: ASCII in UTF-16 is valid UTF-8 with NULs
    if utf16:
        text = _strict(data, utf16)
        doubt = f"read as {_NAMES[utf16]} without a byte-order mark (a guess)"
        return _check(Decoded(text, utf16, doubt))
    try:
        # a UTF-8 BOM is kept: PTC offsets count it
        return _check(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:_SAMPLE]:
        raise InputError("looks like a binary file, not text")
    return _check(_legacy(data), most_controls=0.01)


def _legacy(data: bytes) -> Decoded:
    """Windows-1252 when it reads as Western text, else charset-normalizer's best guess."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _looks_western(western):
        return Decoded(western, "cp1252")
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise InputError("cannot tell its text encoding (is it a binary file?)")
    least_chaos = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least_chaos + 0.01]
    best = min(tied, key=lambda m: (not m.encoding.startswith("cp125"), -m.coherence))
    name = _NAMES.get(best.encoding, best.encoding)
    return Decoded(str(best), best.encoding, f"not UTF-8; read as {name} (a guess)")


def _looks_western(text: str) -> bool:
    """Whether every non-ASCII character is a Western letter or typographic sign, and accented
    letters are a minority (Cyrillic or Greek read as Windows-1252 is mostly accented letters)."""
    letters = accented = 0
    for ch in text:
        if ch.isascii():
            letters += ch.isalpha()
        elif _WESTERN_LETTERS.match(ch):
            letters += 1
            accented += 1
        elif ch not in _WESTERN_OTHERS:
            return False
    return accented <= 0.3 * letters


def _bomless_utf16(data: bytes) -> str | None:
    """'utf_16_le' or 'utf_16_be' when NUL bytes fill one half of the byte pairs (ASCII-heavy
    UTF-16 text), else None."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf_16_le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf_16_be"
    return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"not valid {_NAMES.get(encoding, encoding)} text") from None


def _check(decoded: Decoded, most_controls: float = 0.3) -> Decoded:
    """Refuse text with a NUL or more than ``most_controls`` of control characters: a binary
    file in disguise (whatever encoding happened to accept its bytes). Text that a Unicode
    encoding accepts may carry a few (terminal escapes, say); a legacy guess gets less room."""
    sample = decoded.text[:_SAMPLE]
    control = sum(ch < " " and ch not in "\n\r\t\f" for ch in sample)
    if "\x00" in sample or control > len(sample) * most_controls:
        raise InputError("looks like a binary file, not text")
    return decoded
