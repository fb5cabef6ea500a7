"""Render stage: turn validated cases (and their analysis) into site pages.

In: ``Case`` models and plain analysis data. Out: a mapping from site path to
page text (Markdown with raw HTML blocks) or bytes. Pure: nothing is written
here; the MkDocs adapter and ``casebook markdown`` decide where pages go.

Why raw HTML blocks: contributor text is untrusted. Every piece of it goes
through ``esc`` (HTML-escaped) or ``md_text`` (HTML- and Markdown-escaped), so
no case file can put live HTML, script or links on a page. Only the fixed
headings of a page are Markdown.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

import pycountry

from builder.completeness import completeness
from builder.model import PROCESS_STAGES, Case, Source
from builder.network import SECTOR_COLOURS, network_data
from builder.patterns import PATTERNS
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


def esc(text: Any) -> str:
    """Escape text for HTML (contributor text is never live HTML)."""
    return html.escape(str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_text(text: Any) -> str:
    """Escape text for a Markdown line: HTML-escaped, and Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", esc(text))


def paragraphs(text: str | None, cls: str = "") -> str:
    """Plain text to HTML paragraphs; blank lines separate paragraphs."""
    if not text:
        return ""
    attr = f' class="{cls}"' if cls else ""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p{attr}>{esc(' '.join(p.split()))}</p>" for p in parts)


def json_script(element_id: str, data: Any) -> str:
    """Data as JSON in the single-quoted ``data-json`` attribute of an empty, hidden element.

    Not a ``<script>``: Material's instant navigation re-creates every script in the page content
    as a classic script (dropping its type and id), which would run JSON as JavaScript. An attribute
    is never executed. <, >, & and ' are JSON-escaped, so no text can leave the attribute; this is
    the same escaping as Jinja's ``tojson`` filter, which is safe in a single-quoted attribute.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f'<div hidden class="cb-data" id="{esc(element_id)}" data-json=\'{text}\'></div>'


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def years_text(case: Case) -> str:
    end = "ongoing" if case.years.end == "ongoing" else str(case.years.end)
    return str(case.years.start) if end == str(case.years.start) else f"{case.years.start}–{end}"


def term(vocab: str, code: str) -> str:
    return vocabulary(vocab).title_of(code)


def _cites(ids: Iterable[str], numbers: dict[str, int], prefix: str = "") -> str:
    refs = "".join(
        f'<a class="cb-cite" href="#source-{prefix}{esc(i)}">[{numbers[i]}]</a>' for i in ids if i in numbers
    )
    return f' <span class="cb-cites">{refs}</span>' if refs else ""


def table(headers: Iterable[str], rows: Iterable[str], cls: str = "", caption: str = "") -> str:
    """An HTML table: ``headers`` are our own (trusted) column titles, ``rows`` are ready ``<tr>`` elements."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    opening = f'<table class="{cls}">' if cls else "<table>"
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"{opening}{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


_TABLE_OPEN = re.compile(r'<table class="([^"]*)">')


def _block(*parts: str) -> str:
    """One raw HTML block: no blank lines inside, blank lines around.

    Tables get Material's table wrappers (Material styles only tables without a class),
    and keep their class on the wrapper.
    """
    text = "".join(parts)
    text = _TABLE_OPEN.sub(
        r'<div class="md-typeset__scrollwrap \1" tabindex="0"><div class="md-typeset__table"><table>', text
    )
    if "md-typeset__table" in text:
        text = text.replace("</table>", "</table></div></div>")
    return "\n" + text + "\n"


def source_html(source: Source) -> str:
    bits = []
    if source.authors:
        bits.append(esc("; ".join(source.authors)))
    if source.year:
        bits.append(f"({source.year})")
    bits.append(f"<cite>{esc(source.title)}</cite>.")
    where = ", ".join(esc(x) for x in (source.journal, source.publisher) if x)
    if where:
        bits.append(where + ".")
    links = []
    if source.url:
        links.append(f'<a href="{esc(source.url)}" rel="nofollow noopener">{esc(source.url)}</a>')
    if source.doi:
        links.append(f'<a href="https://doi.org/{esc(source.doi)}" rel="nofollow noopener">doi:{esc(source.doi)}</a>')
    bits.append(" ".join(links))
    text = " ".join(bits)
    if source.note:
        text += f' <span class="cb-muted">{esc(source.note)}</span>'
    return text


def render_case(
    case: Case,
    analysis: dict[str, Any] | None = None,
    findings: list[str] | None = None,
    root: str = "../../",
    packet: bool = False,
) -> str:
    """The Markdown page of one case.

    With ``packet=True`` the case becomes a section of a printable packet: headings one level down, element
    ids prefixed with the case id (several cases share the page), and no network or edit links. ``root`` is
    the relative path from the page to the site root.
    """
    numbers = {s.id: i + 1 for i, s in enumerate(case.sources)}
    prefix = f"{case.id}-" if packet else ""

    def heading(level: int, text: str) -> str:
        return "#" * (level + packet) + " " + text + "\n"

    def cites(ids: Iterable[str]) -> str:
        return _cites(ids, numbers, prefix)

    actors = {a.id: a for a in case.actors}

    def name(actor_id: str) -> str:
        """The actor's short label for inline mentions; the full name is on its card."""
        actor = actors.get(actor_id)
        return esc(actor.short_name or actor.name) if actor else esc(actor_id)

    out: list[str] = []
    front = {"title": case.title, "description": case.tagline}
    if not packet:
        out.append(
            "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()) + "\n---\n"
        )
    out.append(heading(1, md_text(case.title)))
    status_badge = (
        '<span class="cb-badge cb-badge-draft" title="Not yet checked by a second person">draft</span>'
        if case.status == "draft"
        else '<span class="cb-badge cb-badge-reviewed">reviewed</span>'
    )
    comp = completeness(case)
    todo = "; ".join(
        comp.missing + tuple(f"stage not described: {STAGE_TITLES[s].lower()}" for s in comp.missing_stages)
    )
    complete_badge = (
        f'<a class="cb-badge cb-badge-complete" href="{root}coverage/" '
        f'title="{esc("Missing: " + todo if todo else "Every part of a full case is here")}">'
        f"{comp.percent}% complete</a>"
    )
    out.append(_block(f'<p class="cb-tagline">{esc(case.tagline)} {status_badge} {complete_badge}</p>'))
    facts = [
        (
            "Where",
            ", ".join(esc(country_name(c)) for c in case.countries)
            + (f" ({esc(case.locality)})" if case.locality else ""),
        ),
        ("When", esc(years_text(case))),
        ("Policy domains", ", ".join(esc(term("policy-domain", d)) for d in case.domains)),
        ("Scale", esc(term("scale", case.scale))),
        (
            "Deal",
            f"{esc(term('deal-status', case.deal.status))} ({', '.join(esc(term('deal-form', f)) for f in case.deal.forms)})",
        ),
        ("Actors", str(len(case.actors))),
        ("Interdependencies", str(len(case.interdependencies))),
    ]
    if case.last_reviewed:
        facts.append(("Last checked against sources", esc(case.last_reviewed.isoformat())))
    out.append(
        _block(
            '<table class="cb-facts"><tbody>',
            "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in facts),
            "</tbody></table>",
        )
    )
    out.append(heading(2, "Summary"))
    out.append(_block(paragraphs(case.summary)))

    if findings:
        out.append(heading(2, "What the analysis finds"))
        out.append(_block('<ul class="cb-findings">', "".join(f"<li>{esc(f)}</li>" for f in findings), "</ul>"))
        if analysis:
            out.append(_pattern_links(analysis, root))
            out.append(_analysis_details(case, analysis, root))

    if not packet:
        out.append(heading(2, "The network of interdependence"))
        out.append(_network_block(case, analysis))

    out.append(heading(2, "Actors and their assets"))
    cards = []
    for actor in case.actors:
        colour = SECTOR_COLOURS[actor.sector]
        card = [
            f'<section class="cb-actor" id="actor-{prefix}{esc(actor.id)}" style="border-left-color:{colour}">',
            f'<h3 class="cb-actor-name">{esc(actor.name)}</h3>',
            f'<p class="cb-muted">{esc(term("sector", actor.sector))} · {esc(term("level", actor.level))}'
            + (f" · {esc(country_name(actor.country))}" if actor.country else "")
            + cites(actor.sources)
            + "</p>",
            f"<p><strong>Mission.</strong> {esc(actor.mission)}</p>",
        ]
        if actor.authorizing_environment:
            card.append(f"<p><strong>Answers to.</strong> {esc(actor.authorizing_environment)}</p>")
        card.append(
            "<p><strong>Purposes</strong></p><ul>"
            + "".join(
                f'<li id="purpose-{prefix}{esc(actor.id)}-{esc(p.id)}">{esc(p.description)}</li>'
                for p in actor.purposes
            )
            + "</ul>"
        )
        if actor.assets:
            card.append(
                "<p><strong>Assets</strong></p><ul>"
                + "".join(
                    f'<li><span class="cb-kind">{esc(term("asset-kind", a.kind))}</span> {esc(a.description)}</li>'
                    for a in actor.assets
                )
                + "</ul>"
            )
        card.append("</section>")
        cards.append("".join(card))
    out.append(_block('<div class="cb-actors">', "".join(cards), "</div>"))

    if case.interdependencies:
        out.append(heading(2, "Interdependencies"))
        out.append(
            _block(
                "<p>Each row: an asset held by one actor that helps or hurts a purpose of another; when the "
                "parties first saw it; and whether the deal put it to use.</p>"
            )
        )
        rows = []
        for edge in case.interdependencies:
            holder = actors[edge.holder]
            target = actors[edge.target]
            asset = next(a for a in holder.assets if a.id == edge.asset)
            purpose = next(p for p in target.purposes if p.id == edge.purpose)
            effect = (
                '<span class="cb-helps">helps</span>'
                if edge.effect == "helps"
                else '<span class="cb-hurts">hurts</span>'
            )
            note = f'<br><span class="cb-muted">Note: {esc(edge.note)}</span>' if edge.note else ""
            rows.append(
                f'<tr id="edge-{prefix}{esc(edge.id)}"><td><strong>{esc(holder.short_name or holder.name)}</strong>: '
                f"{esc(asset.description)}</td>"
                f"<td>{effect}</td><td><strong>{esc(target.short_name or target.name)}</strong>: {esc(purpose.description)}"
                f'<br><span class="cb-muted">{esc(edge.description)}</span>{note}</td>'
                f"<td>{esc(term('recognition-stage', edge.recognized))}</td>"
                f"<td>{'yes' if edge.realized else 'no'}</td><td>{cites(edge.sources)}</td></tr>"
            )
        headers = ("Asset", "Effect", "Purpose", "Recognized", "Realized", "Sources")
        out.append(_block(table(headers, rows, "cb-edges")))

    stages = [(code, getattr(case.process, code.replace("-", "_"))) for code in PROCESS_STAGES]
    if any(stage is not None for _, stage in stages):
        out.append(heading(2, "The process, stage by stage"))
        for code, stage in stages:
            if stage is None:
                continue
            out.append(heading(3, STAGE_TITLES[code]))
            parts = []
            if getattr(stage, "period", None):
                parts.append(f'<p class="cb-muted">{esc(stage.period)}</p>')
            if stage.narrative:
                parts.append(paragraphs(stage.narrative))
            if stage.sources:
                parts.append(f'<p class="cb-muted">Sources:{cites(stage.sources)}</p>')
            if code == "holding-environment":
                parts.append(
                    '<ul class="cb-mechanisms">'
                    + "".join(
                        f'<li><span class="cb-kind">{esc(term("holding-mechanism", m.kind))}</span> {esc(m.description)}'
                        + (
                            f' <span class="cb-muted">({", ".join(name(a) for a in m.actors)})</span>'
                            if m.actors
                            else ""
                        )
                        + "</li>"
                        for m in stage.mechanisms
                    )
                    + "</ul>"
                )
                if stage.conveners:
                    parts.append(f"<p><strong>Convened by:</strong> {', '.join(name(a) for a in stage.conveners)}</p>")
            if code == "value":
                stakes = (
                    f"<tr><td>{name(s.actor)}</td><td>{esc(term('value-dimension', s.dimension))}</td>"
                    f"<td>{esc(s.description)}{cites(s.sources)}</td></tr>"
                    for s in stage.stakes
                )
                parts.append(table(("Party", "Dimension", "What was at stake"), stakes, "cb-stakes"))
            out.append(_block(*parts))

    out.append(heading(2, "The deal"))
    deal = case.deal
    parts = [
        f"<p><strong>{esc(term('deal-status', deal.status))}</strong>"
        + (f" in {deal.year}" if deal.year else "")
        + f" · {', '.join(esc(term('deal-form', f)) for f in deal.forms)}{cites(deal.sources)}</p>",
        f"<p><strong>Joint product.</strong> {esc(deal.joint_product)}</p>",
    ]
    if deal.commitments:
        rows = []
        for com in deal.commitments:
            assets = actors[com.actor].assets if com.actor in actors else []
            used = [a.description for a in assets if a.id in com.assets]
            extra = f'<br><span class="cb-muted">Assets: {esc("; ".join(used))}</span>' if used else ""
            rows.append(f"<tr><td>{name(com.actor)}</td><td>{esc(com.commitment)}{extra}</td></tr>")
        parts.append(table(("Party", "Committed"), rows, "cb-commitments"))
    out.append(_block(*parts))

    if case.credit:
        out.append(heading(2, "Value claiming and credit"))
        out.append(
            _block(
                "<ul>",
                "".join(
                    f'<li><span class="cb-kind">{esc(term("credit-move", m.move))}</span> <strong>{name(m.actor)}</strong>: '
                    f"{esc(m.description)}"
                    + (f" (credited: {', '.join(name(a) for a in m.credited)})" if m.credited else "")
                    + f"{cites(m.sources)}</li>"
                    for m in case.credit
                ),
                "</ul>",
            )
        )

    if case.outcomes:
        out.append(heading(2, "Outcomes"))
        rows = []
        for o in case.outcomes:
            figures = ""
            if o.before is not None or o.after is not None:
                unit = f" {esc(o.unit)}" if o.unit else ""
                figures = f"{_num(o.before)} → {_num(o.after)}{unit}"
            rows.append(
                f"<tr><td>{esc(o.indicator)}</td><td>{figures}</td>"
                f"<td>{esc(o.description or '')}</td><td>{esc(o.period or '')}</td>"
                f"<td>{esc(term('confidence', o.confidence))}</td><td>{cites(o.sources)}</td></tr>"
            )
        headers = ("Indicator", "Before → after", "Result", "Period", "Confidence", "Sources")
        out.append(_block(table(headers, rows, "cb-outcomes")))
    if case.counterfactuals:
        out.append(heading(2, "What each would have done alone"))
        out.append(
            _block(
                "<ul>",
                "".join(
                    f"<li><strong>{name(c.actor)}</strong>: {esc(c.alone)}{cites(c.sources)}</li>"
                    for c in case.counterfactuals
                ),
                "</ul>",
            )
        )

    teaching = case.teaching
    if teaching.learning_objectives or teaching.discussion_questions or teaching.concepts:
        out.append(heading(2, "Teaching notes"))
        parts = []
        if teaching.learning_objectives:
            parts.append(
                "<p><strong>Learning objectives</strong></p><ul>"
                + "".join(f"<li>{esc(o)}</li>" for o in teaching.learning_objectives)
                + "</ul>"
            )
        if teaching.discussion_questions:
            parts.append(
                "<p><strong>Discussion questions</strong></p><ol>"
                + "".join(
                    f"<li>{esc(q.question)}"
                    + (f' <span class="cb-kind">{esc(STAGE_TITLES[q.stage])}</span>' if q.stage else "")
                    + "</li>"
                    for q in teaching.discussion_questions
                )
                + "</ol>"
            )
        if teaching.concepts:
            parts.append(
                "<p><strong>Concepts</strong>: "
                + ", ".join(
                    f'<a href="{root}concepts/#{esc(c)}">{esc(term("concept", c))}</a>' for c in teaching.concepts
                )
                + "</p>"
            )
        out.append(_block(*parts))

    out.append(heading(2, "Sources"))
    out.append(
        _block(
            '<ol class="cb-sources">',
            "".join(f'<li id="source-{prefix}{esc(s.id)}">{source_html(s)}</li>' for s in case.sources),
            "</ol>",
        )
    )

    out.append(heading(2, "Cite this case"))
    year = case.last_reviewed.year if case.last_reviewed else case.years.start
    cite = f"Makeable Deals contributors ({year}). “{case.title}.” Makeable Deals casebook. {SITE_URL}cases/{case.id}/"
    out.append(_block(f'<p class="cb-cite-this">{esc(cite)}</p>'))
    if not packet:
        edit = f"{REPO_URL}/edit/main/cases/{case.id}.yaml"
        report = f"{REPO_URL}/issues/new?template=report-an-error.yml&title=" + urllib.parse.quote(
            f"Problem in case: {case.id}"
        )
        out.append(
            _block(
                f'<p class="cb-edit"><a href="{esc(edit)}">Edit this case</a> · '
                f'<a href="{esc(report)}">Report a problem</a> · '
                f'<a href="{root}data/cases/{esc(case.id)}.json">Download as JSON</a></p>'
            )
        )
    return "\n".join(out)


def _pattern_links(analysis: dict[str, Any], root: str) -> str:
    """Links from a case to the page of each pattern it shows (the pattern pages link back)."""
    counts = analysis.get("pattern_counts") or {}
    links = [
        f'<a href="{root}patterns/{esc(code)}/">{esc(_pattern_title(code))}</a> ({n})'
        for code, n in counts.items()
        if n
    ]
    return (
        _block(f'<p class="cb-pattern-links"><strong>Patterns in this case:</strong> {", ".join(links)}</p>')
        if links
        else ""
    )


def _analysis_details(case: Case, analysis: dict[str, Any], root: str) -> str:
    """Recognition over time and the what-if table, from the analysis data."""
    actors = {a.id: a for a in case.actors}
    purposes = {(a.id, p.id): p.description for a in case.actors for p in a.purposes}
    curve = analysis["recognition_curve"]
    parts = []
    if curve["total"]:
        cells = "".join(
            f"<tr><td>{esc(term('recognition-stage', row['stage']))}</td><td>{row['count']}</td>"
            f'<td><span class="cb-bar" style="width:{round(row["share"] * 100)}%"></span> {row["share"]:.0%}</td></tr>'
            for row in curve["stages"]
        )
        cells += (
            f"<tr><td>Never</td><td>{curve['never']['count']}</td><td>{curve['never']['share']:.0%}</td></tr>"
            f"<tr><td><strong>Realized by the deal</strong></td><td>{curve['realized']['count']}</td>"
            f"<td>{curve['realized']['share']:.0%}</td></tr>"
        )
        parts.append(
            '<details class="cb-details"><summary>Recognition over time: how many interdependencies the '
            "parties had seen by each stage</summary>"
            + table(("By the stage of", "Seen", "Share"), [cells], "cb-curve")
            + "</details>"
        )
    lost = [(actor_id, items) for actor_id, items in analysis["what_if"].items() if items]
    if lost:
        rows = "".join(
            f"<tr><td>{esc(actors[a].short_name or actors[a].name)}</td><td><ul>"
            + "".join(
                f"<li><strong>{esc(actors[t].short_name or actors[t].name)}</strong>: "
                f"{esc(purposes.get((t, p), p))}</li>"
                for t, p in items
            )
            + "</ul></td></tr>"
            for a, items in lost
        )
        parts.append(
            '<details class="cb-details"><summary>What if one party walked away? The purposes of others '
            "that would lose all their help</summary>"
            + table(("If this party left", "these purposes would lose all help"), [rows], "cb-whatif")
            + "</details>"
        )
    m = analysis["metrics"]
    parts.append(
        f'<p class="cb-metrics">Reciprocity {m["reciprocity"]:.0%} · density {m["density"]:.2f} · '
        f"recognized by the time of agreement {m['recognized_by_agreement']:.0%} · "
        f"realized by the deal {m['realized']:.0%}</p>"
    )
    parts.append(
        f'<p class="cb-muted">How each finding is defined: <a href="{root}patterns/">patterns</a> and '
        f'<a href="{root}patterns/#measures">measures</a>.</p>'
    )
    return _block(*parts)


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _network_block(case: Case, analysis: dict[str, Any] | None) -> str:
    patterns = (analysis or {}).get("highlights", [])
    data = network_data(case, patterns)
    graph_id = f"graph-{case.id}"
    legend = "".join(
        f'<li><span class="cb-dot" style="background:{item["color"]}"></span>{esc(item["label"])}</li>'
        for item in data["legend"]
    )
    legend += (
        '<li><span class="cb-line cb-line-helps"></span>helps</li>'
        '<li><span class="cb-line cb-line-hurts"></span>hurts</li>'
        '<li><span class="cb-line cb-line-dashed"></span>never recognized, or only in hindsight</li>'
        '<li><span class="cb-line cb-line-thick"></span>realized by the deal</li>'
    )
    return _block(
        f'<div class="cb-network-wrap"><div class="cb-network" data-graph="{esc(graph_id)}" role="img" '
        f'aria-label="Network of interdependence among the {len(case.actors)} actors of this case; '
        f'the tables below give the same information."></div>',
        f'<div class="cb-patterns" data-graph="{esc(graph_id)}"></div>',
        f'<ul class="cb-legend">{legend}</ul></div>',
        json_script(graph_id, data),
    )


def render_index(cases: list[Case], analyses: dict[str, dict[str, Any]] | None = None) -> str:
    """The case index: a filterable table of every case."""
    analyses = analyses or {}
    filters = {
        "domain": (
            "Policy domain",
            sorted({d for c in cases for d in c.domains}),
            lambda c: c.domains,
            lambda code: term("policy-domain", code),
        ),
        "country": (
            "Country",
            sorted({k for c in cases for k in c.countries}, key=country_name),
            lambda c: c.countries,
            country_name,
        ),
        "level": (
            "Level",
            [x for x in vocabulary("level").codes if any(a.level == x for c in cases for a in c.actors)],
            lambda c: sorted({a.level for a in c.actors}),
            lambda code: term("level", code),
        ),
        "pattern": (
            "Pattern",
            sorted({p for a in analyses.values() for p in a.get("pattern_codes", [])}),
            lambda c: analyses.get(c.id, {}).get("pattern_codes", []),
            _pattern_title,
        ),
        "mechanism": (
            "Holding mechanism",
            sorted(
                {
                    m.kind
                    for c in cases
                    if c.process.holding_environment
                    for m in c.process.holding_environment.mechanisms
                }
            ),
            lambda c: (
                sorted({m.kind for m in c.process.holding_environment.mechanisms})
                if c.process.holding_environment
                else []
            ),
            lambda code: term("holding-mechanism", code),
        ),
        "status": (
            "Deal status",
            [x for x in vocabulary("deal-status").codes if any(c.deal.status == x for c in cases)],
            lambda c: [c.deal.status],
            lambda code: term("deal-status", code),
        ),
    }
    out = ["---\ntitle: Cases\n---\n", "# Cases\n"]
    out.append(
        _block(
            f"<p>{len(cases)} real collaborative-government efforts, each mapped as a network of "
            "interdependence. Filter by domain, country, level of government, the patterns the analysis "
            "finds, what held the parties together, and how far the deal got.</p>"
        )
    )
    selects = []
    for key, (label, options, _, title) in filters.items():
        opts = "".join(f'<option value="{esc(o)}">{esc(title(o))}</option>' for o in options)
        selects.append(
            f'<label>{esc(label)}<select data-filter="{key}"><option value="">All</option>{opts}</select></label>'
        )
    out.append(
        _block(
            '<form class="cb-filters" aria-label="Filter cases">',
            "".join(selects),
            '<output class="cb-count" aria-live="polite"></output></form>',
        )
    )
    rows = []
    for case in sorted(cases, key=lambda c: c.title.casefold()):
        attrs = " ".join(f'data-{key}="{esc(" ".join(get(case)))}"' for key, (_, _, get, _) in filters.items())
        rows.append(
            f'<tr {attrs}><td><a href="{esc(case.id)}/">{esc(case.title)}</a><br>'
            f'<span class="cb-muted">{esc(case.tagline)}</span></td>'
            f"<td>{', '.join(esc(country_name(c)) for c in case.countries)}</td>"
            f"<td>{esc(years_text(case))}</td>"
            f"<td>{', '.join(esc(term('policy-domain', d)) for d in case.domains)}</td>"
            f"<td>{esc(term('deal-status', case.deal.status))}</td></tr>"
        )
    out.append(_block(table(("Case", "Where", "When", "Domains", "Deal"), rows, "cb-index")))
    return "\n".join(out)


def _pattern_title(code: str) -> str:
    return PATTERNS[code].title if code in PATTERNS else code
