"""Make control characters visible, so that an article cannot drive the terminal.

Articles can hold ESC sequences (colours, cursor moves, OSC 8 links) and bidirectional overrides
(U+202E) that a terminal would obey. C0 controls become their Unicode control pictures (ESC is
shown as ``␛``), and C1 controls and bidi controls become ``<U+XXXX>``. Newlines and tabs are kept;
carriage returns are dropped (a lone one would let text overwrite the line).
"""

from __future__ import annotations

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_TABLE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\t\n\r"},
    ord("\r"): "",
    0x7F: "\u2421",
    **{code: f"<U+{code:04X}>" for code in (*range(0x80, 0xA0), *_BIDI)},
}


def visible(text: str) -> str:
    """``text`` with its control characters shown as harmless visible characters."""
    return text.translate(_TABLE)
