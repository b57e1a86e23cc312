"""An article's date as given (ISO, RFC 2822, 'March 3, 2019', ...) -> 'YYYY-MM-DD', or None.

A date is kept only when it names a real day (not '2019-02-30'), says which day (not 'May 2019'
or 'last tuesday'), and is plausible for a news article (from 1900 to tomorrow); otherwise
``iso_date`` raises ``UnreadableDate`` with the reason, and callers store no date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dateutil import parser

EARLIEST = date(1900, 1, 1)
# Two defaults that differ in every field: a part missing from the text shows as a difference.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


class UnreadableDate(ValueError):
    """A date that is not a plausible day of publication."""


def iso_date(value: str | date) -> str:
    """The day ``value`` names, as 'YYYY-MM-DD' (raises UnreadableDate)."""
    day = value if isinstance(value, date) else _parse(value)
    if isinstance(day, datetime):
        day = day.date()
    latest = datetime.now(UTC).date() + timedelta(days=1)
    if not EARLIEST <= day <= latest:
        raise UnreadableDate(f"date {day.isoformat()} is not from 1900 to today")
    return day.isoformat()


def _parse(text: str) -> date:
    try:
        first, second = (parser.parse(text, default=d) for d in _DEFAULTS)
    except (parser.ParserError, OverflowError, ValueError):
        raise UnreadableDate(f"cannot read the date {text!r}") from None
    if first.date() != second.date():
        raise UnreadableDate(f"the date {text!r} does not say which day")
    day: date = first.date()
    return day
