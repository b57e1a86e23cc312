"""Anything a user brings (text, file, folder, HTML) -> Article, or a clear InputError."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from propscan.article import Article
from propscan.errors import DoubtfulInput, InputError
from propscan.tasks.ptc import article_id
from propscan.text.dates import UnreadableDate, iso_date
from propscan.text.encoding import decode

DEFAULT_MAX_BYTES = 1_000_000
TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# What no store keeps: NUL (PostgreSQL refuses it), the other C0 controls but tab, line and page
# breaks, DEL, and lone surrogates (not encodable as UTF-8).
_UNSTORABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


def clean(article: Article, *, name: str | None = None) -> Article:
    """The article with one kind of line break (CRLF and CR become LF, so that the same text
    pasted in a browser or read from a file is one article with the same offsets), without the
    characters no store keeps (in its text and its metadata, the same on every backend, and
    before analysis so that span offsets hold), and with its date as 'YYYY-MM-DD' or, when the
    date cannot be read, none and a warning naming the input as ``name`` (default: its id)."""
    changed: dict[str, Any] = {
        f.name: _UNSTORABLE.sub("", normalize_newlines(value))
        for f in fields(article)
        if isinstance(value := getattr(article, f.name), str)
        and (_UNSTORABLE.search(value) or "\r" in value)
    }
    given = changed.get("date", article.date)
    if given is not None:
        try:
            changed["date"] = iso_date(given)
        except UnreadableDate as reason:
            warnings.warn(
                DoubtfulInput(f"{name or article.id}: {reason}; kept no date"), stacklevel=2
            )
            changed["date"] = None
    return replace(article, **changed) if changed else article


def normalize_newlines(text: str) -> str:
    """``text`` with Windows (CRLF) and old Mac (CR) line breaks as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_like_html(text: str) -> bool:
    """Whether a text starts like an HTML page (a doctype or an html, head, body or article tag)."""
    return bool(_HTML_START.match(text.encode("utf-8", "replace")[:1000]))


def from_html(
    html: bytes | str, *, ident: str, url: str | None = None, name: str | None = None
) -> Article:
    """The main article of an HTML page, with its title, site name and date (trafilatura)."""
    import trafilatura  # 0.15 s to import: only when a page is read
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if not isinstance(document, Document) or not (document.text or "").strip():
        raise InputError("no article text found in this HTML page")
    body, title = document.text or "", document.title
    if title and body.startswith(title):  # the headline leads the body: keep a blank line after it
        body = body[len(title) :].lstrip("\n")
    text = f"{title}\n\n{body}" if title else body
    return clean(
        Article(
            id=ident,
            text=text,
            title=title,
            source=document.sitename or document.hostname,
            url=url or document.url,
            date=document.date,
            author=document.author,
        ),
        name=name,
    )


def from_text(text: str, *, ident: str = "text") -> Article:
    """An article from plain text; its first non-blank line is taken as the title."""
    text = _UNSTORABLE.sub("", normalize_newlines(text))
    if not text.strip():
        raise InputError("empty article (nothing but whitespace)")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    return clean(Article(id=ident, text=text, title=title[:200]))


def from_bytes(
    data: bytes, *, ident: str, html: bool | None = None, name: str | None = None
) -> Article:
    """An article from raw bytes: HTML when it says so (or ``html``), text otherwise.

    Errors name the input as ``name`` (default: ``ident``).
    """
    try:
        if not data.strip():
            raise InputError("empty article (nothing but whitespace)")
        if html or (html is None and _HTML_START.match(data)):
            return from_html(data, ident=ident, name=name)
        decoded = decode(data)
        if decoded.doubt:
            warnings.warn(DoubtfulInput(f"{name or ident}: {decoded.doubt}"), stacklevel=2)
        return from_text(decoded.text, ident=ident)
    except InputError as error:
        raise InputError(f"{name or ident}: {error}") from None


def read_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, ident: str | None = None
) -> Article:
    """One article file (.txt, .html, ...): checked for size, encoding and content; its id is
    ``ident`` (default: ``ptc.article_id`` of the file name)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path}: {size / 1e6:.1f} MB is more than the {max_bytes / 1e6:.1f} MB limit for "
            "one article (split it, or raise the limit with --max-bytes)"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror})") from None
    suffix = path.suffix.lower()
    html = True if suffix in HTML_SUFFIXES else None
    return from_bytes(data, ident=ident or article_id(path), html=html, name=str(path))


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Files named directly plus the .txt and .html files inside named folders and their
    subfolders (hidden ones left out); second, the other files found there, which are skipped."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if child.is_file() and not hidden:
                readable = child.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES
                (files if readable else skipped).append(child)
    return files, skipped


def relative_id(file: Path, root: Path) -> str:
    """The id of a file found in the folder ``root``: its path below ``root`` without the
    suffix ('x/article' for ROOT/x/article.txt), so that same-named files of two subfolders
    stay apart; a file directly in ``root`` gets ``ptc.article_id`` ('123' for article123.txt),
    as the PTC commands name it."""
    parents = file.relative_to(root).parent.parts
    return "/".join((*parents, article_id(file)))
