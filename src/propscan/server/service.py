"""What the API and the pages share: turn input into an Article, analyse it, store it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from dataclasses import replace

from propscan.article import Analysis, Article
from propscan.attribute.pipeline import AttributionUnavailable
from propscan.cores import available_cores
from propscan.corpus.store import Store, StoredArticle, StoredSpan, content_hash
from propscan.errors import InputError, ModelNotFound, PropscanError, StoreError
from propscan.model.bundle import Model
from propscan.pipeline import analyze, check_taxonomy, named_in, relabelled
from propscan.server.fetch import Fetcher
from propscan.server.schemas import ArticleInput
from propscan.techniques import TaxonomyKey
from propscan.text.ingest import (
    clean,
    from_bytes,
    from_html,
    from_text,
    looks_like_html,
    normalize_newlines,
)

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
log = logging.getLogger("propscan.server")
MAX_CHARS = 200_000  # longer articles: 'propscan analyze', not a request everyone waits behind
LONG_CHARS = 20_000  # longer texts take one lane of their own (about 2 s of one core and more)
MODEL_WAIT = 10.0  # seconds a request may wait for the model before it is told to come back


class Lanes:
    """Which requests analyse now: first come, first served.

    A thread-safe model (``Model.thread_safe``) analyses one article per core at once, each
    model run on one core; texts over LONG_CHARS wait for one lane of their own, so long texts
    never hold more than one core and short requests never queue behind them. Other models
    analyse one article at a time. Waiters are woken in arrival order (``threading.Semaphore``
    wakes the longest waiter first).
    """

    def __init__(self, cores: int) -> None:
        self.short = threading.Semaphore(max(1, cores))
        self.long = threading.Semaphore(1)
        self.one_at_a_time = threading.Semaphore(1)

    def lane(self, model: Model, chars: int) -> threading.Semaphore:
        """The semaphore a request for an article of ``chars`` characters waits on."""
        if not model.thread_safe:
            return self.one_at_a_time
        return self.long if chars > LONG_CHARS else self.short


_LANES = Lanes(available_cores())


def use_lanes(cores: int) -> None:
    """Analyse ``cores`` articles at once in this process (a worker of several shares the
    cores with the others)."""
    global _LANES
    _LANES = Lanes(cores)


class TooLong(InputError):
    """An article too long to analyse in a web request (413)."""


class Busy(PropscanError):
    """The model stayed busy with other requests for longer than a request may wait (503)."""

    retry_after = int(MODEL_WAIT)


def web_id(content: str) -> str:
    """A short, stable external id for an article that came without one."""
    text = normalize_newlines(content)  # the same id for a text pasted with CRLF or LF
    return "web-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def read_input(data: ArticleInput, fetch: Fetcher) -> Article:
    """The article described by an API or form input (raises InputError)."""
    if data.url is not None:
        article = fetch(data.url.strip(), ident=web_id(data.url.strip()))
    elif data.html is not None:
        article = from_html(data.html, ident=web_id(data.html))
    elif data.text is not None and looks_like_html(data.text):  # a page pasted as text
        article = from_html(data.text, ident=web_id(data.text))
    else:
        article = from_text(data.text or "", ident=web_id(data.text or ""))
    return with_metadata(article, title=data.title, source=data.source, date=data.date)


def read_upload(data: bytes, filename: str, content_type: str | None) -> Article:
    """An uploaded file as an article: HTML by suffix or media type, text otherwise."""
    is_html = filename.lower().endswith(HTML_SUFFIXES) or "html" in (content_type or "")
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "upload"
    return from_bytes(
        data, ident=stem[:100], html=True if is_html else None, name=filename or "upload"
    )


def with_metadata(
    article: Article,
    *,
    title: str | None = None,
    source: str | None = None,
    date: dt.date | None = None,
) -> Article:
    """The article with the metadata the user gave in place of what was found."""
    return clean(
        replace(
            article,
            title=title.strip() if title and title.strip() else article.title,
            source=source.strip() if source and source.strip() else article.source,
            date=date.isoformat() if date else article.date,
        )
    )


def check_taxonomy_or_422(model: Model, taxonomy: TaxonomyKey) -> None:
    """InputError (answered 422) when ``model`` has no head for ``taxonomy``."""
    try:
        check_taxonomy(model, taxonomy)
    except ModelNotFound as error:
        raise InputError(str(error)) from None


class Relabel:
    """A stored article (PTC-2020 labels, reviewed or not) seen in another taxonomy: each span
    takes the technique its label refines into, as ``analyze`` would name it."""

    def __init__(self, stored: StoredArticle, model: Model, taxonomy: TaxonomyKey) -> None:
        check_taxonomy_or_422(model, taxonomy)
        self.model, self.taxonomy = model, taxonomy
        self.text = stored.analysis.article.text
        self.analysis = relabelled(stored.analysis, model, taxonomy)

    def span(self, span: StoredSpan) -> StoredSpan:
        """The stored span with its label (and original label) in the taxonomy."""
        label, share = named_in(
            self.model, self.text, span.start, span.end, span.technique, self.taxonomy
        )
        original = span.original_technique
        if original is not None:
            original = named_in(
                self.model, self.text, span.start, span.end, original, self.taxonomy
            )[0]
        return replace(
            span,
            technique=label or span.technique,
            score=span.score * share,
            original_technique=original,
        )


def analyse(article: Article, model: Model, taxonomy: TaxonomyKey = "ptc2020") -> Analysis:
    """Analyse one article in its turn (``Lanes``): a request waits at most MODEL_WAIT seconds
    for a lane (then Busy), and articles over MAX_CHARS are refused (TooLong)."""
    if len(article.text) > MAX_CHARS:
        raise TooLong(
            f"the article has {len(article.text):,} characters, over the {MAX_CHARS:,} the web "
            "app analyses; use 'propscan analyze' for it"
        )
    check_taxonomy_or_422(model, taxonomy)
    lane = _LANES.lane(model, len(article.text))
    if not lane.acquire(timeout=MODEL_WAIT):
        raise Busy(f"the model is busy with other articles; try again in {MODEL_WAIT:g} s")
    try:
        return analyze(article, model, taxonomy)
    finally:
        lane.release()


_ATTRIBUTION_LOCK = threading.Lock()  # one spaCy parse at a time: its pipeline is not shared


def attribute_one(analysis: Analysis) -> Analysis:
    """``analysis`` with voices, targets and entities (``propscan.attribute``), one at a time."""
    from propscan.attribute import attribute  # spaCy: only when asked for

    if not _ATTRIBUTION_LOCK.acquire(timeout=MODEL_WAIT):
        raise Busy(f"attribution is busy with other articles; try again in {MODEL_WAIT:g} s")
    try:
        return attribute(analysis)
    finally:
        _ATTRIBUTION_LOCK.release()


def analyse_and_store(
    article: Article, model: Model, store: Store, *, entities: bool = False
) -> tuple[int, Analysis]:
    """Analyse (and with ``entities``, attribute) and store an article; a failed analysis is
    recorded in the store, then raised."""
    try:
        analysis = analyse(article, model)
        if entities:
            analysis = attribute_one(analysis)
    except (TooLong, Busy, AttributionUnavailable):  # refused, not failed
        raise
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        try:
            store.record_failure(article.id, content_hash(article.text), reason)
        except StoreError:
            log.exception("could not record the failure of %s", article.id)
        raise
    return store.add(analysis), analysis
