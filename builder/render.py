"""Render stage: the view data of case pages, rendered from templates (the case index is in ``builder.browse``).

In: validated ``Case`` models and plain analysis data (``CaseAnalysis.to_dict()`` plus
``pattern_counts`` and ``highlights``). Out: :class:`~builder.templating.Page` objects
(title, description and an HTML body). Pure: nothing is written here.

Python builds plain view data (text, numbers, lists, dicts) and never HTML; all markup
is in ``builder/templates/`` (``case.html`` and its ``partials/case-*.html``),
rendered with autoescape on. See ``builder.templating`` for why
contributor text is safe there and why page bodies never pass through Markdown.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections.abc import Iterable
from typing import Any

import pycountry
from babel import Locale

from builder import cite
from builder.completeness import completeness
from builder.model import PROCESS_STAGES, Case, Money, Source
from builder.network import SECTOR_COLOURS, network_data, realized_text
from builder.patterns import PATTERNS
from builder.similar import similar_cases
from builder.svg import network_picture
from builder.templating import Page, render_page
from builder.vocab import vocabulary

REPO_URL = "https://github.com/makeable-deals/casebook"
SITE_URL = "https://makeable-deals.github.io/casebook/"

STAGE_TITLES = {
    "recognition": "Recognizing the interdependence",
    "mutual-sense": "Creating a mutual sense of it",
    "holding-environment": "The holding environment",
    "value": "The dimensions of value",
    "envisioning": "Envisioning the deal",
    "agreement": "Agreement",
    "implementation": "Implementation",
}

#: The fixed sections of a case page; their ids are the slugs of their titles, as before.
SECTION_IDS = (
    "summary",
    "what-the-analysis-finds",
    "the-network-of-interdependence",
    "actors-and-their-assets",
    "interdependencies",
    "timeline",
    "the-process-stage-by-stage",
    "the-deal",
    "other-agreements",
    "value-claiming-and-credit",
    "outcomes",
    "disputed-claims",
    "what-each-would-have-done-alone",
    "related-cases",
    "similar-cases",
    "teaching-notes",
    "sources",
    "cite-this-case",
)


#: English names of territories from the Unicode CLDR, for the few ISO 3166 names written inverted.
_CLDR_EN = Locale("en")


def country_name(code: str) -> str:
    """The common English name of an ISO 3166-1 alpha-2 code (the code itself if unknown).

    ISO 3166's common name where it has one (pycountry's ``common_name``), else its short name, unless that is
    written inverted for sorting ("Congo, The Democratic Republic of the"): then the Unicode CLDR's English
    name, which readers know ("British Virgin Islands"; Babel's ``Locale("en").territories``), except where
    CLDR's is a menu label that tells two places apart ("Congo - Kinshasa"): then ISO's name turned round.

    >>> country_name("BO"), country_name("CD"), country_name("VG"), country_name("XX")
    ('Bolivia', 'Democratic Republic of the Congo', 'British Virgin Islands', 'XX')
    """
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if ", " in name:
        cldr = _CLDR_EN.territories.get(code, name)
        if " - " in cldr:  # "Congo, The Democratic Republic of the" -> "Democratic Republic of the Congo"
            head, tail = name.split(", ", 1)
            cldr = f"{tail} {head}".removeprefix("The ")
        name = cldr
    return name


_LEADING_ARTICLE = re.compile(r"^(?:the|an?)\s+(?=\S)", re.IGNORECASE)


def sort_title(title: str) -> str:
    """The key that orders titles as a library catalogue does: a leading "The", "A" or "An" left out, accents
    and case ignored ("The Flint water crisis" under F, "Whānau Ora" beside "Whanau").

    >>> sorted(["The Flint water crisis", "Whānau Ora", "Boston", "an Accord", "Theatre"], key=sort_title)
    ['an Accord', 'Boston', 'The Flint water crisis', 'Theatre', 'Whānau Ora']
    >>> sort_title("Huduma Centres, Kenya"), sort_title("Operation Ceasefire and the Boston Gun Project")
    ('huduma centres, kenya', 'operation ceasefire and the boston gun project')
    """
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", title) if not unicodedata.combining(ch))
    return _LEADING_ARTICLE.sub("", plain.strip(), count=1).casefold()


def years_text(case: Case) -> str:
    """The case's span of years as text, such as ``1995–2000`` or ``2004–ongoing``."""
    end = "ongoing" if case.years.end == "ongoing" else str(case.years.end)
    return str(case.years.start) if end == str(case.years.start) else f"{case.years.start}–{end}"


def term(vocab: str, code: str) -> str:
    """The title of a code in a vocabulary."""
    return vocabulary(vocab).title_of(code)


def number(value: float | None) -> str:
    """A figure with thousands separators; ``–`` when missing.

    >>> number(12000.0), number(2.5), number(None)
    ('12,000', '2.5', '–')
    """
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def money_text(money: Money | None) -> str:
    """An amount as its ISO 4217 code and the figure, with the year of the figure.

    >>> from builder.model import Money
    >>> money_text(Money(amount=10_000_000, currency="AUD", year=2007))
    'AUD 10,000,000 (2007)'
    >>> money_text(Money(amount=2.5, currency="EUR", approximate=True))
    'about EUR 2.5'
    """
    if money is None:
        return ""
    text = f"{money.currency} {number(money.amount)}" + (f" ({money.year})" if money.year else "")
    return f"about {text}" if money.approximate else text


def subdivision_name(code: str) -> str:
    """The name of an ISO 3166-2 subdivision (the code itself if unknown).

    >>> subdivision_name("IN-KL")
    'Kerala'
    """
    sub = pycountry.subdivisions.get(code=code)
    return sub.name if sub else code


def _unit(unit: str | None) -> str:
    """A unit after a figure: ' homicides', but '%' with no space."""
    return "" if not unit else unit if unit == "%" else f" {unit}"


def percent(share: float) -> int:
    """A share (0-1) as a whole percentage."""
    return round(share * 100)


def _journal_text(source: Source) -> str:
    """The journal with its volume, issue and pages, as a reference list prints them: ``J. Crime 38(3): 195-225``."""
    if not source.journal:
        return ""
    text = source.journal
    if source.volume:
        text += f" {source.volume}"
    if source.issue:
        text += f"({source.issue})"
    if source.pages:
        text += f": {source.pages}"
    return text


def _host(url: str) -> str:
    """The host of an address without ``www.``, as the short text of a source's link.

    >>> _host("https://www.ojp.gov/pdffiles1/nij/188741.pdf")
    'ojp.gov'
    """
    host = urllib.parse.urlsplit(url).hostname or url
    return host.removeprefix("www.")


def source_view(source: Source) -> dict[str, Any]:
    """A source as the parts of a reference-list entry."""
    return {
        "authors": list(source.authors),
        "year": source.year,
        "title": source.title,
        "where": ", ".join(x for x in (_journal_text(source), source.publisher) if x),
        "url": str(source.url) if source.url else None,
        "host": _host(str(source.url)) if source.url else None,
        "mirrors": [str(u) for u in source.mirrors],
        "doi": source.doi,
        "note": source.note,
    }


class _CaseContext:
    """Lookups shared by the parts of one case's view: names, citation numbers, anchors."""

    def __init__(self, case: Case, packet: bool, root: str) -> None:
        self.case = case
        self.root = root
        self.prefix = f"{case.id}-" if packet else ""
        self.actors = {a.id: a for a in case.actors}
        self.numbers = {s.id: i + 1 for i, s in enumerate(case.sources)}
        self.dated = {e.id: e for e in case.timeline}

    def name(self, actor_id: str) -> str:
        """The actor's short label for inline mentions; the full name is on its card."""
        actor = self.actors.get(actor_id)
        return (actor.short_name or actor.name) if actor else actor_id

    def events(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Links to timeline events, by their dates."""
        return [
            {"href": f"#event-{self.prefix}{i}", "text": date_text(self.dated[i].date, self.dated[i].approximate)}
            for i in ids
            if i in self.dated
        ]

    def cites(self, ids: Iterable[str], roles: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Citation links: number, anchor, and the role of a citation that does not support its statement."""
        roles = roles or {}
        return [
            {
                "n": self.numbers[i],
                "href": f"#{self.short_source(i)}",
                "role": term("citation-role", roles[i]).lower() if roles.get(i, "supports") != "supports" else "",
            }
            for i in ids
            if i in self.numbers
        ]

    def short_source(self, source_id: str) -> str:
        """The short anchor of a source that citation links point to: ``source-_<number>`` (a slug has no
        ``_``, so it never equals a source's own anchor ``source-<id>``, which stays for links from elsewhere).
        About 13 bytes less per citation link, and a case has over a hundred (issue #12)."""
        return f"source-{self.prefix}_{self.numbers[source_id]}"

    def cited(self, part: Any) -> list[dict[str, Any]]:
        """The citations of a part of the case (anything with ``sources`` and ``source_roles``)."""
        return self.cites(part.sources, getattr(part, "source_roles", None))


def _facts(case: Case) -> list[tuple[str, str]]:
    where = ", ".join(country_name(c) for c in case.countries)
    if case.subdivisions:
        where += "; " + ", ".join(subdivision_name(c) for c in case.subdivisions)
    if case.locality:
        where += f" ({case.locality})"
    forms = ", ".join(term("deal-form", f) for f in case.deal.forms)
    facts = [
        ("Where", where),
        ("When", years_text(case)),
        ("Policy domains", ", ".join(term("policy-domain", d) for d in case.domains)),
        ("Scale", term("scale", case.scale)),
        ("Deal", f"{term('deal-status', case.deal.status)} ({forms})"),
        ("Actors", str(len(case.actors))),
        ("Interdependencies", str(len(case.interdependencies))),
    ]
    if case.last_reviewed:
        facts.append(("Last checked against sources", case.last_reviewed.isoformat()))
    return facts


def _completeness(case: Case) -> dict[str, Any]:
    comp = completeness(case)
    todo = "; ".join(
        comp.missing + tuple(f"stage not described: {STAGE_TITLES[s].lower()}" for s in comp.missing_stages)
    )
    return {"percent": comp.percent, "tip": "Missing: " + todo if todo else "Every part of a full case is here"}


def _actors(ctx: _CaseContext) -> list[dict[str, Any]]:
    out = []
    links = _actor_links(ctx)
    for actor in ctx.case.actors:
        facts = [term("actor-kind", actor.kind)] if actor.kind != "organization" else []
        facts += [term("sector", actor.sector), term("level", actor.level)]
        if actor.country:
            facts.append(country_name(actor.country))
        out.append(
            {
                "anchor": f"actor-{ctx.prefix}{actor.id}",
                "colour": SECTOR_COLOURS[actor.sector],
                "name": actor.name,
                "links": links.get(actor.id, []),
                "facts": facts,
                "cites": ctx.cited(actor),
                "mission": actor.mission,
                "role": actor.role,
                "part_of": ctx.name(actor.part_of) if actor.part_of else None,
                "members": [ctx.name(m) for m in actor.members],
                "answers_to": actor.authorizing_environment,
                "changes": [
                    {
                        "when": date_text(c.date),
                        "change": term("actor-change", c.change),
                        "text": c.description,
                        "cites": ctx.cited(c),
                    }
                    for c in sorted(actor.changes, key=lambda c: c.date)
                ],
                "purposes": [
                    {"anchor": f"purpose-{ctx.prefix}{actor.id}-{p.id}", "text": p.description} for p in actor.purposes
                ],
                "assets": [
                    {
                        "id": a.id,
                        "kind": term("asset-kind", a.kind),
                        "text": a.description,
                        "value": money_text(a.value),
                    }
                    for a in actor.assets
                ],
            }
        )
    return out


#: Characters of an asset or a purpose that an interdependency's card repeats from the actor's card.
EXCERPT_CHARS = 60


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first words of a text, at most about ``limit`` characters, with "…" when shortened; a text at most
    a fifth longer than the limit is given whole. An interdependency's card gives its asset and purpose so, as
    a reminder: the actor's card above gives them in full (issue #12: about 2 KB less on a case page).

    >>> excerpt("Reduce gang-related youth homicide and gun violence in Boston.", 40)
    'Reduce gang-related youth homicide and…'
    >>> excerpt("Short purpose.", 40)
    'Short purpose.'
    """
    if len(text) <= limit * 1.2:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—(") + "…"


def _edges(ctx: _CaseContext) -> list[dict[str, Any]]:
    out = []
    for edge in ctx.case.interdependencies:
        holder, target = ctx.actors[edge.holder], ctx.actors[edge.target]
        out.append(
            {
                "anchor": f"edge-{ctx.prefix}{edge.id}",
                "holder": ctx.name(edge.holder),
                "asset": excerpt(next(a.description for a in holder.assets if a.id == edge.asset)),
                "effect": edge.effect,
                "target": ctx.name(edge.target),
                "purpose": excerpt(next(p.description for p in target.purposes if p.id == edge.purpose)),
                "description": edge.description,
                "note": edge.note,
                "recognized": term("recognition-stage", edge.recognized),
                "recognized_by": [ctx.name(a) for a in edge.recognized_by],
                "seen_at": ctx.events([edge.seen_at] if edge.seen_at else []),
                "complements": [
                    {"href": f"#edge-{ctx.prefix}{o.id}", "text": _edge_label(ctx, o)}
                    for o in ctx.case.interdependencies
                    if edge.bundle and o.bundle == edge.bundle and o.id != edge.id
                ],
                "realized": realized_text(edge.realized),
                "realized_by": [
                    {"href": f"#agreement-{ctx.prefix}{a.id}", "title": a.title}
                    for a in ctx.case.agreements
                    if a.id in edge.realized_by
                ],
                "confidence": term("confidence", edge.confidence) if edge.confidence else None,
                "cites": ctx.cited(edge),
            }
        )
    return out


def pair_anchor(prefix: str, a: str, b: str) -> str:
    """The element id of the group of links between two actors (ids are slugs, so ``--`` cannot be in one).

    >>> pair_anchor("", "police", "clergy")
    'pair-police--clergy'
    """
    return f"pair-{prefix}{a}--{b}"


def _pairs(ctx: _CaseContext, edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The interdependencies grouped by the pair of actors they join, so a reader can follow one pair.

    Pairs come in the order of their first interdependency in the file, the two actors in the order of the
    file's actor list (the holder first where all its links run one way); inside a pair, links keep the
    file's order. Each pair says whether help or harm runs both ways (``two_way``); its anchor is that of
    :func:`pair_anchor` for the two ids in the actor list's order, whichever way the links run.
    """
    rank = {a.id: i for i, a in enumerate(ctx.case.actors)}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for edge, view in zip(ctx.case.interdependencies, edges, strict=True):
        a, b = sorted((edge.holder, edge.target), key=lambda x: (rank.get(x, 0), x))
        group = groups.setdefault(
            (a, b),
            {
                "anchor": pair_anchor(ctx.prefix, a, b),
                "a": ctx.name(a),
                "b": ctx.name(b),
                "a_href": f"#actor-{ctx.prefix}{a}",
                "b_href": f"#actor-{ctx.prefix}{b}",
                "directions": set(),
                "edges": [],
            },
        )
        group["directions"].add(edge.holder)
        group["edges"].append(view)
    out = []
    for group in groups.values():
        directions = group.pop("directions")
        group["two_way"] = len(directions) == 2
        if not group["two_way"] and group["a_href"] != f"#actor-{ctx.prefix}{next(iter(directions))}":
            # help (or harm) runs one way: the heading names the holder first
            group["a"], group["b"], group["a_href"], group["b_href"] = (
                group["b"],
                group["a"],
                group["b_href"],
                group["a_href"],
            )
        out.append(group)
    return out


def _actor_links(ctx: _CaseContext) -> dict[str, list[dict[str, Any]]]:
    """For each actor id, the pairs it is part of: ``{"href", "other", "n"}`` in the order of the pairs."""
    rank = {a.id: i for i, a in enumerate(ctx.case.actors)}
    counts: dict[tuple[str, str], int] = {}
    for edge in ctx.case.interdependencies:
        key = tuple(sorted((edge.holder, edge.target), key=lambda x: (rank.get(x, 0), x)))
        counts[key] = counts.get(key, 0) + 1
    out: dict[str, list[dict[str, Any]]] = {a.id: [] for a in ctx.case.actors}
    for (a, b), n in counts.items():
        href = "#" + pair_anchor(ctx.prefix, a, b)
        out.setdefault(a, []).append({"href": href, "other": ctx.name(b), "n": n})
        out.setdefault(b, []).append({"href": href, "other": ctx.name(a), "n": n})
    return out


def _stages(ctx: _CaseContext) -> list[dict[str, Any]]:
    out = []
    for code in PROCESS_STAGES:
        stage = getattr(ctx.case.process, code.replace("-", "_"))
        if stage is None:
            continue
        view: dict[str, Any] = {
            "title": STAGE_TITLES[code],
            "anchor": ctx.prefix + STAGE_TITLES[code].lower().replace(" ", "-"),
            "period": getattr(stage, "period", None),
            "narrative": stage.narrative,
            "events": ctx.events(getattr(stage, "events", [])),
            "cites": ctx.cited(stage),
        }
        if code == "holding-environment":
            view["mechanisms"] = [
                {
                    "kind": term("holding-mechanism", m.kind),
                    "text": m.description,
                    "actors": [ctx.name(a) for a in m.actors],
                }
                for m in stage.mechanisms
            ]
            view["conveners"] = [ctx.name(a) for a in stage.conveners]
        if code == "value":
            view["stakes"] = [
                {
                    "actor": ctx.name(s.actor),
                    "dimension": term("value-dimension", s.dimension),
                    "text": s.description,
                    "cites": ctx.cited(s),
                }
                for s in stage.stakes
            ]
        out.append(view)
    return out


def _deal(ctx: _CaseContext) -> dict[str, Any]:
    deal = ctx.case.deal
    commitments = [_commitment(ctx, com) for com in deal.commitments]
    return {
        "status": term("deal-status", deal.status),
        "year": deal.year,
        "cost": money_text(deal.cost),
        "events": ctx.events(deal.events),
        "ended_text": _ended_text(ctx, deal.end, deal.ended, deal.ended_by),
        "why_ended": deal.why_ended,
        "forms": [term("deal-form", f) for f in deal.forms],
        "cites": ctx.cited(deal),
        "joint_product": deal.joint_product,
        "commitments": commitments,
    }


def _ended_text(ctx: _CaseContext, end: str | None, ended: str | None, ended_by: list[str]) -> str:
    """How a deal ended, in words: 'Cut short in March 2012 by Council'."""
    if not end and not ended:
        return ""
    text = term("agreement-end", end) if end else "Ended"
    if ended:
        text += f" in {date_text(ended)}"
    if ended_by:
        text += " by " + ", ".join(ctx.name(a) for a in ended_by)
    return text


def _agreements(ctx: _CaseContext) -> list[dict[str, Any]]:
    """Further agreements: role, status, parties, dates, how they ended, commitments, and what they put to use."""
    out = []
    for a in ctx.case.agreements:
        dates = []
        if a.agreed:
            dates.append(f"agreed {date_text(a.agreed)}")
        dates += [f"amended {date_text(d)}" for d in a.amended]
        if a.ended or a.end:
            ended = term("agreement-end", a.end).lower() if a.end else "ended"
            dates.append(ended + (f" {date_text(a.ended)}" if a.ended else ""))
        used = [e for e in ctx.case.interdependencies if a.id in e.realized_by]
        out.append(
            {
                "anchor": f"agreement-{ctx.prefix}{a.id}",
                "title": a.title,
                "role": term("agreement-role", a.role),
                "status": term("deal-status", a.status),
                "forms": [term("deal-form", f) for f in a.forms],
                "parties": [ctx.name(p) for p in a.parties],
                "dates": dates,
                "ended_by": [ctx.name(p) for p in a.ended_by],
                "why_ended": a.why_ended,
                "joint_product": a.joint_product,
                "cost": money_text(a.cost),
                "commitments": [_commitment(ctx, c) for c in a.commitments],
                "used": [{"href": f"#edge-{ctx.prefix}{e.id}", "text": _edge_label(ctx, e)} for e in used],
                "cites": ctx.cited(a),
            }
        )
    return out


def _edge_label(ctx: _CaseContext, edge) -> str:
    """An interdependency in a few words, as an arrow with its effect as a label: "Trust → Council (helps): Tenancy
    support workers." (no verb agrees with an actor's name, which may be plural: "Streetworkers")."""
    asset = next((a.description for a in ctx.actors[edge.holder].assets if a.id == edge.asset), edge.asset)
    return f"{ctx.name(edge.holder)} → {ctx.name(edge.target)} ({edge.effect}): {asset}"


def _commitment(ctx: _CaseContext, com) -> dict[str, Any]:
    assets = ctx.actors[com.actor].assets if com.actor in ctx.actors else []
    return {
        "actor": ctx.name(com.actor),
        "text": com.commitment,
        "assets": [a.description for a in assets if a.id in com.assets],
        "value": money_text(com.value),
    }


def _results(ctx: _CaseContext) -> dict[str, Any]:
    """Credit moves, outcomes and counterfactuals."""
    case = ctx.case
    outcomes = []
    for o in case.outcomes:
        figures = ""
        if o.before is not None or o.after is not None:
            if o.currency:
                figures = f"{o.currency} {number(o.before)} → {o.currency} {number(o.after)}"
                figures += f" ({o.price_year} prices)" if o.price_year else ""
            else:
                figures = f"{number(o.before)} → {number(o.after)}" + _unit(o.unit)
        outcomes.append(
            {
                "indicator": o.indicator,
                "figures": figures,
                "result": o.description or "",
                "period": o.period or "",
                "confidence": term("confidence", o.confidence),
                "evidence": _evidence(ctx, o),
                "events": ctx.events(o.events),
                "cites": ctx.cited(o),
            }
        )
    return {
        "credit": [
            {
                "move": term("credit-move", m.move),
                "actor": ctx.name(m.actor),
                "text": m.description,
                "credited": [ctx.name(a) for a in m.credited],
                "cites": ctx.cited(m),
            }
            for m in case.credit
        ],
        "outcomes": outcomes,
        "counterfactuals": [
            {"actor": ctx.name(c.actor), "text": c.alone, "cites": ctx.cited(c)} for c in case.counterfactuals
        ],
    }


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_text(date: str, approximate: bool = False) -> str:
    """A partial ISO date in words, as precise as it is.

    >>> date_text("1996"), date_text("1996-05"), date_text("1996-05-07"), date_text("1996", approximate=True)
    ('1996', 'May 1996', '7 May 1996', 'about 1996')
    """
    parts = [int(p) for p in date.split("-")]
    words = [str(parts[2])] if len(parts) == 3 else []
    words += [MONTHS[parts[1] - 1]] if len(parts) >= 2 else []
    text = " ".join([*words, str(parts[0])])
    return f"about {text}" if approximate else text


def _timeline(ctx: _CaseContext) -> list[dict[str, Any]]:
    """The case's events in date order (events on the same date keep the order of the file)."""
    return [
        {
            "anchor": f"event-{ctx.prefix}{e.id}",
            "date": e.date,
            "when": date_text(e.date, e.approximate),
            "kind": term("event-kind", e.kind),
            "text": e.description,
            "actors": [ctx.name(a) for a in e.actors],
            "cites": ctx.cited(e),
        }
        for e in sorted(ctx.case.timeline, key=lambda e: e.date)
    ]


def _evidence(ctx: _CaseContext, outcome) -> dict[str, Any] | None:
    """How an outcome's figure was produced, as short phrases, and who contests it."""
    e = outcome.evidence
    if e is None:
        return None
    unit = _unit(outcome.unit)
    parts = [term("outcome-design", e.design)]
    if e.comparison is not None:
        parts.append(
            f"comparison group {number(e.comparison)}{unit}"
            + (f" ({e.comparison_group})" if e.comparison_group else "")
        )
    elif e.comparison_group:
        parts.append(f"compared with {e.comparison_group}")
    if e.sample_size:
        parts.append(f"n = {number(e.sample_size)}" + (f" {e.unit_of_analysis}" if e.unit_of_analysis else ""))
    if e.significance:
        parts.append(e.significance)
    measured = term("measured-by", e.measured_by)
    measured = measured[0].lower() + measured[1:]
    if e.measured_by_actor:
        measured += f" ({ctx.name(e.measured_by_actor)})"
    parts.append(f"measured by {measured}")
    return {
        "parts": parts,
        "contested": [{"by": d.by, "text": d.description, "cites": ctx.cited(d)} for d in e.contested],
    }


def _claims(ctx: _CaseContext) -> list[dict[str, Any]]:
    """Disputed claims with who makes and who disputes each, and the sources on each side."""
    return [
        {
            "anchor": f"claim-{ctx.prefix}{c.id}",
            "claim": c.claim,
            "status": term("claim-status", c.status),
            "made_by": [ctx.name(a) for a in c.made_by],
            "disputed_by": [ctx.name(a) for a in c.disputed_by] + [d.by for d in c.dissent],
            "dissent": [{"by": d.by, "text": d.description, "cites": ctx.cited(d)} for d in c.dissent],
            "cites_for": ctx.cites(c.sources_for),
            "cites_against": ctx.cites(c.sources_against),
            "note": c.note,
        }
        for c in ctx.case.claims
    ]


#: How a relation reads from the other case's page.
INVERSE_RELATIONS = {
    "adapted-from": "Adapted by",
    "successor-of": "Succeeded by",
    "part-of": "Includes",
    "contrasts-with": "Contrasts with",
}


def related_index(cases: list[Case]) -> dict[str, list[dict[str, Any]]]:
    """For each case id, its related cases both ways: those it names and those that name it.

    Each entry is ``{"id", "title", "relation", "note"}``, the relation read from this case's side; sorted
    by relation, then title.
    """
    titles = {c.id: c.title for c in cases}
    out: dict[str, list[dict[str, Any]]] = {c.id: [] for c in cases}
    for case in cases:
        for r in case.related:
            if r.case not in titles:
                continue
            out[case.id].append(
                {"id": r.case, "title": titles[r.case], "relation": term("case-relation", r.relation), "note": r.note}
            )
            out[r.case].append(
                {"id": case.id, "title": case.title, "relation": INVERSE_RELATIONS[r.relation], "note": r.note}
            )
    return {k: sorted(v, key=lambda r: (r["relation"], sort_title(r["title"]))) for k, v in out.items()}


def case_features(case: Case, pattern_codes: Iterable[str]) -> set[tuple[str, str]]:
    """What makes two cases alike: the patterns found, the policy domains and the holding mechanisms."""
    env = case.process.holding_environment
    return (
        {("pattern", p) for p in pattern_codes}
        | {("domain", d) for d in case.domains}
        | {("mechanism", m.kind) for m in (env.mechanisms if env else [])}
    )


def _feature_title(feature: tuple[str, str]) -> str:
    kind, code = feature
    if kind == "pattern":
        return pattern_title(code).lower()
    return term("policy-domain" if kind == "domain" else "holding-mechanism", code).lower()


def similar_index(
    cases: list[Case], pattern_codes: dict[str, list[str]], k: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """For each case id, up to ``k`` similar cases (``builder.similar``) that are not already related to it.

    Each entry is ``{"id", "title", "shares"}``, ``shares`` the shared patterns, domains and mechanisms in
    words, the four most telling first. ``pattern_codes`` maps case id to the patterns the case shows.
    """
    features = {c.id: case_features(c, pattern_codes.get(c.id, [])) for c in cases}
    titles = {c.id: c.title for c in cases}
    related = {c.id: {r.case for r in c.related} for c in cases}
    for c in cases:
        for r in c.related:
            related.setdefault(r.case, set()).add(c.id)
    found = similar_cases(features, k=k + max((len(v) for v in related.values()), default=0))
    return {
        case_id: [
            {"id": s["id"], "title": titles[s["id"]], "shares": [_feature_title(f) for f in s["shared"][:4]]}
            for s in found[case_id]
            if s["id"] not in related.get(case_id, set())
        ][:k]
        for case_id in found
    }


def _teaching(ctx: _CaseContext) -> dict[str, Any]:
    teaching = ctx.case.teaching
    return {
        "objectives": list(teaching.learning_objectives),
        "questions": [
            {"text": q.question, "stage": STAGE_TITLES[q.stage] if q.stage else None}
            for q in teaching.discussion_questions
        ],
        "concepts": [
            {"href": f"{ctx.root}concepts/#{code}", "title": term("concept", code)} for code in teaching.concepts
        ],
    }


#: Terms of the analysis's plain-words findings and the page that defines each (relative to the site root).
#: The first match of each term in a finding becomes a link; longer terms are tried first.
FINDING_TERMS: tuple[tuple[str, str], ...] = (
    ("makeable deals?", "concepts/#makeable-deal"),
    ("reciprocal pairs?", "patterns/reciprocal-pair/"),
    ("cycles? of help|cycles?", "patterns/cycle/"),
    ("multi-party deals?", "patterns/multi-party-deal/"),
    ("one-way dependences?", "patterns/one-way-dependence/"),
    ("side payment", "concepts/#side-payment"),
    ("pooled interdependence", "patterns/pooled/"),
    ("reciprocal interdependence", "patterns/reciprocal-group/"),
    ("sequential chains?", "patterns/sequential/"),
    ("holding the network together", "patterns/broker/"),
    ("betweenness", "patterns/#measure-brokers"),
    ("hurts? a purpose", "patterns/conflict/"),
    ("one helps while the other hurts", "patterns/mixed-pair/"),
    ("never recognized|recognized only in hindsight|not recognized by the time of agreement", "patterns/latent-deal/"),
    ("recognized by the time of agreement", "patterns/#measure-recognition_curve"),
    ("put to use by the deal", "patterns/#measure-metrics"),
)
_FINDING_RE = re.compile("|".join(f"(?P<t{i}>{rx})" for i, (rx, _) in enumerate(FINDING_TERMS)), re.IGNORECASE)


def finding_runs(text: str, root: str = "", shown: Iterable[str] | None = None) -> list[dict[str, str]]:
    """A plain-words finding as runs for the ``rich`` macro, each analysis term linked to its definition once.

    ``shown`` are the codes of the patterns the case shows: a term for any other pattern (as in "no makeable
    deals (reciprocal pairs or cycles)") links to the exact rule on its page, not to the page's top, which
    lists the cases that show it (``None``: every pattern is shown).

    >>> finding_runs("2 makeable deals (reciprocal pairs or cycles).", "../")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'text': '2 '}, {'text': 'makeable deals', 'href': '../concepts/#makeable-deal'}, {'text': ' ('},
     {'text': 'reciprocal pairs', 'href': '../patterns/reciprocal-pair/'}, {'text': ' or '},
     {'text': 'cycles', 'href': '../patterns/cycle/'}, {'text': ').'}]
    """
    out: list[dict[str, str]] = []
    done: set[str] = set()
    pos = 0
    for match in _FINDING_RE.finditer(text):
        href = FINDING_TERMS[int(match.lastgroup[1:])][1]
        if href in done:
            continue
        done.add(href)
        code = href.split("/")[1] if href.startswith("patterns/") else ""
        if code in PATTERNS and shown is not None and code not in shown:
            href += "#the-exact-rule"
        if match.start() > pos:
            out.append({"text": text[pos : match.start()]})
        out.append({"text": match.group(0), "href": root + href})
        pos = match.end()
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def _shown(analysis: dict[str, Any] | None) -> set[str] | None:
    """The codes of the patterns a case shows at least once, from its analysis data (None without counts)."""
    counts = (analysis or {}).get("pattern_counts")
    return None if counts is None else {code for code, n in counts.items() if n}


def _analysis(ctx: _CaseContext, analysis: dict[str, Any]) -> dict[str, Any]:
    """Pattern links, recognition over time, the what-if table and the measures, from the analysis data."""
    purposes = {(a.id, p.id): p.description for a in ctx.case.actors for p in a.purposes}
    curve = analysis["recognition_curve"]
    metrics = analysis["metrics"]
    counts = analysis.get("pattern_counts") or {}
    return {
        "pattern_links": [
            {"href": f"{ctx.root}patterns/{code}/", "title": pattern_title(code), "count": n}
            for code, n in counts.items()
            if n
        ],
        "curve": {
            "stages": [
                {"label": term("recognition-stage", r["stage"]), "count": r["count"], "percent": percent(r["share"])}
                for r in curve["stages"]
            ],
            "never": {"count": curve["never"]["count"], "percent": percent(curve["never"]["share"])},
            "unknown": {"count": curve["unknown"]["count"], "percent": percent(curve["unknown"]["share"])},
            "partly": {
                "count": curve["partly_realized"]["count"],
                "percent": percent(curve["partly_realized"]["share"]),
            },
            "realized": {"count": curve["realized"]["count"], "percent": percent(curve["realized"]["share"])},
        }
        if curve["total"]
        else None,
        "timeline": [
            {"when": date_text(row["date"]), "count": row["count"], "percent": percent(row["count"] / total)}
            for row in analysis.get("recognition_timeline", [])
        ]
        if (total := curve["total"])
        else [],
        "what_if": [
            {
                "actor": ctx.name(actor_id),
                "items": [{"actor": ctx.name(t), "purpose": excerpt(purposes.get((t, p), p))} for t, p in items],
            }
            for actor_id, items in analysis["what_if"].items()
            if items
        ],
        "metrics": {
            "reciprocity": f"{metrics['reciprocity']:.0%}",
            "density": f"{metrics['density']:.2f}",
            "recognized_by_agreement": f"{metrics['recognized_by_agreement']:.0%}",
            "realized": f"{metrics['realized']:.0%}",
        },
    }


def _page_data(data: dict[str, Any]) -> dict[str, Any]:
    """The network data as a case page carries it (issue #12): without the options and stages every case shares
    (casebook.js holds them), and with each pattern's nodes and edges as indexes into ``nodes`` and ``edges``
    (casebook.js turns them back into ids); each edge's ends are indexes into ``nodes`` too, and an edge leaves out
    ``effect`` when it helps and ``realized`` when it is yes (casebook.js fills them in). A node leaves out its
    ``name``, which is the heading of the actor's card on the same page (``anchor`` + id; casebook.js reads it
    back). The view's ``full`` data keeps the shape of ``network_data``."""
    node_at = {n["id"]: i for i, n in enumerate(data["nodes"])}
    edge_at = {e["id"]: i for i, e in enumerate(data["edges"])}
    patterns = [
        {**p, "nodes": [node_at[n] for n in p["nodes"]], "edges": [edge_at[e] for e in p["edges"]]}
        if all(n in node_at for n in p["nodes"]) and all(e in edge_at for e in p["edges"])
        else p
        for p in data.get("patterns", [])
    ]
    edges = [
        {
            **{k: v for k, v in e.items() if (k, v) not in (("effect", "helps"), ("realized", "yes"))},
            "from": node_at[e["from"]],
            "to": node_at[e["to"]],
        }
        for e in data["edges"]
    ]
    nodes = [{k: v for k, v in n.items() if k != "name"} for n in data["nodes"]]
    return {
        **{k: v for k, v in data.items() if k not in ("options", "stages")},
        "nodes": nodes,
        "edges": edges,
        "patterns": patterns,
    }


def cite_view(case: Case, root: str) -> dict[str, Any]:
    """The "Cite this case" view (:func:`builder.cite.case_view`) plus ``record``: the citation's fields as
    plain data (key, title, url, ISO date, date label, container, version, author), from which cite.js writes
    the BibTeX, RIS and CSL-JSON on the page, so the page carries one small record, not three texts (issue #12).
    """
    out = cite.case_view(case, root)
    r = cite.case_record(case)
    out["record"] = {
        "key": r.key,
        "title": r.title,
        "url": r.url,
        "date": r.date.isoformat(),
        "label": r.date_label,
        "container": r.container,
        "version": r.version,
        "author": r.author,
        "stem": case.id,
    }
    return out


def network_view(case: Case, analysis: dict[str, Any] | None, root: str = "../../") -> dict[str, Any]:
    """The interactive network of one case: element id, data for vis-network (with its legend; without the
    options and stages every case shares, which casebook.js holds; with ``alt``, the id of the interdependencies
    section, from which casebook.js writes the text alternative, every link as a line linked to its card, when
    it draws the network) and ``full``, the same with them, height, label, and a link to "Reading the network"
    (``root`` is the site root relative to the page)."""
    data = network_data(case, (analysis or {}).get("highlights", []))
    # What every case shares is in casebook.js, not in each page (issue #12): vis-network's options and
    # the stages of the process (the script fills them in when the data has none).
    return {
        "id": f"graph-{case.id}",
        "data": {**_page_data(data), "alt": "#interdependencies"},
        "full": data,
        "height": "",
        "label": f"Network of interdependence among the {len(case.actors)} actors of this case; "
        "the list of links below it and the cards under Interdependencies give the same information.",
        "help_href": f"{root}frame/#reading-the-network",
        "lines": line_styles(case),
    }


def line_styles(case: Case) -> list[str]:
    """The kinds of line the case's network draws, for its legend to explain only those: ``helps``, ``hurts``,
    ``unseen`` (recognized never or only in hindsight), ``unknown`` (when it was seen is not known) and ``thick``
    (realized by the deal, fully or partly), in that order."""
    edges = case.interdependencies
    found = {
        "helps": any(e.effect == "helps" for e in edges),
        "hurts": any(e.effect == "hurts" for e in edges),
        "unseen": any(e.recognized in ("hindsight", "never") for e in edges),
        "unknown": any(e.recognized == "unknown" for e in edges),
        "thick": any(e.realized in (True, "partly") for e in edges),
    }
    return [kind for kind, present in found.items() if present]


def case_view(
    case: Case,
    analysis: dict[str, Any] | None = None,
    findings: list[str] | None = None,
    root: str = "../../",
    packet: bool = False,
    related: list[dict[str, Any]] | None = None,
    similar: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything ``case.html`` shows of one case, as plain data (arguments as for :func:`render_case`).

    With ``packet=True`` the case is a section of a printable packet: headings one level down, element ids
    prefixed with the case id (several cases share the page), and no network or edit links.
    """
    ctx = _CaseContext(case, packet, root)
    drawing = network_view(case, analysis)
    network = None if packet else drawing
    edges = _edges(ctx)
    report_title = urllib.parse.quote(f"Problem in case: {case.id}")
    return {
        "title": case.title,
        "tagline": case.tagline,
        "status": case.status,
        "root": root,
        "shift": 1 if packet else 0,
        "ids": {"title": case.id, **{key: ctx.prefix + key for key in SECTION_IDS}},
        "completeness": _completeness(case),
        "facts": _facts(case),
        "summary": case.summary,
        "findings": findings or [],
        "finding_runs": [finding_runs(f, root, _shown(analysis)) for f in findings or []],
        "analysis": _analysis(ctx, analysis) if (analysis and findings) else None,
        "network": network,
        # The static picture (print, no scripts) has no list of links under it: the cards say it all.
        "picture": network_picture(
            drawing["full"],
            f"Network of interdependence among the {len(case.actors)} actors of this case; "
            "the cards under Interdependencies give the same information.",
        )
        if case.actors
        else None,
        "actors": _actors(ctx),
        "edges": edges,
        "pairs": _pairs(ctx, edges),
        "timeline": _timeline(ctx),
        "agreements": _agreements(ctx),
        "claims": _claims(ctx),
        "related": related or [],
        "similar": similar or [],
        "stages": _stages(ctx),
        "deal": _deal(ctx),
        **_results(ctx),
        "teaching": _teaching(ctx),
        "sources": [
            {"anchor": f"source-{ctx.prefix}{s.id}", "short": ctx.short_source(s.id), **source_view(s)}
            for s in case.sources
        ],
        # The same sentence as the "Cite this case" record and its formats: version and review date included.
        "citation": cite.text(cite.case_record(case)),
        "cite": None if packet else cite_view(case, root),
        "links": None
        if packet
        else {
            "edit": f"{REPO_URL}/edit/main/cases/{case.id}.yaml",
            "report": f"{REPO_URL}/issues/new?template=report-an-error.yml&title={report_title}",
            "json": f"{root}data/cases/{case.id}.json",
        },
    }


def render_case(
    case: Case,
    analysis: dict[str, Any] | None = None,
    findings: list[str] | None = None,
    root: str = "../../",
    related: list[dict[str, Any]] | None = None,
    similar: list[dict[str, Any]] | None = None,
) -> Page:
    """The page of one case.

    ``analysis`` is the case's analysis data (with ``pattern_counts`` and ``highlights``),
    ``findings`` the plain-words summary, ``root`` the relative path from the page to the site root,
    ``related`` the case's entry of :func:`related_index`, ``similar`` its entry of :func:`similar_index`.
    """
    view = case_view(case, analysis, findings, root, related=related, similar=similar)
    return render_page("case.html", case.title, case.tagline, case=view)


def pattern_title(code: str) -> str:
    """The title of a pattern code (the code itself if unknown)."""
    return PATTERNS[code].title if code in PATTERNS else code
