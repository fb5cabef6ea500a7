"""The Atom feed of new and updated cases (``feed.xml`` at the site's root).

In: validated cases. Out: the feed's bytes (Atom 1.0, RFC 4287). Pure and deterministic.

What dates a case has: the case model records one, ``last_reviewed`` (when the case was last
checked against its sources); it has no date of first publication. So each entry's ``updated`` is
the case's ``last_reviewed`` date, a case without one is left out (no date is invented), and no
entry has ``published``. A case reviewed again moves to the top of the feed under the same
``id`` (its address), which feed readers show as an update. The newest :data:`LIMIT` entries are
kept, so the feed stays small however many cases there are.

The XML is built with ``xml.etree.ElementTree``, which escapes every text and attribute, so a
title such as ``<b>R&D</b>`` reaches the reader as text.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from builder import release
from builder.model import Case

ATOM = "http://www.w3.org/2005/Atom"
#: The most entries in the feed: the newest by review date, then by title.
LIMIT = 50
PATH = "feed.xml"


def _stamp(day: datetime.date) -> str:
    """A date as an Atom date-time: midnight UTC of that day."""
    return f"{day.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def entries(cases: list[Case]) -> list[Case]:
    """The cases in the feed: those with a ``last_reviewed`` date, newest first, then by title and id."""
    dated = [c for c in cases if c.last_reviewed]
    dated.sort(key=lambda c: (-c.last_reviewed.toordinal(), c.title.casefold(), c.id))  # type: ignore[union-attr]
    return dated[:LIMIT]


def atom(cases: list[Case]) -> bytes:
    """The feed as UTF-8 XML. Its ``updated`` is the newest entry's date (the release date when no case
    has one), so the same cases give the same bytes."""
    chosen = entries(cases)
    newest = chosen[0].last_reviewed if chosen else release.RELEASE_DATE
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _add(feed, "id", release.SITE_URL + PATH)
    _add(feed, "title", f"{release.NAME}: new and updated cases")
    _add(feed, "subtitle", release.TITLE)
    _add(feed, "updated", _stamp(newest))  # type: ignore[arg-type]
    _add(feed, "link", rel="self", type="application/atom+xml", href=release.SITE_URL + PATH)
    _add(feed, "link", rel="alternate", type="text/html", href=release.SITE_URL + "cases/")
    _add(_add(feed, "author"), "name", release.AUTHOR)
    _add(feed, "rights", "Case texts CC BY 4.0")
    _add(feed, "generator", "Makeable Deals builder", version=release.VERSION)
    for case in chosen:
        url = f"{release.SITE_URL}cases/{case.id}/"
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        _add(entry, "title", case.title, type="text")
        _add(entry, "updated", _stamp(case.last_reviewed))  # type: ignore[arg-type]
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "summary", case.tagline, type="text")
        for domain in case.domains:
            _add(entry, "category", term=domain)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
