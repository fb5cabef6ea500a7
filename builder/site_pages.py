"""Generated pages beyond the case pages: patterns, cross-case tables, coverage,
concepts, the reference pages, and the data downloads.

In: validated cases and their analysis (objects and ``to_dict()`` data). Out:
page text and file bytes keyed by site path. Pure: nothing is written here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from typing import Any

import networkx as nx

from builder import analyze, reference
from builder.completeness import completeness
from builder.continents import continent
from builder.model import Case
from builder.network import OPTIONS, SECTOR_COLOURS, example_data, layout
from builder.patterns import PATTERNS, rule_of
from builder.render import _block, country_name, esc, json_script, md_text, table, term, years_text
from builder.vocab import vocabulary


def _names(case: Case) -> dict[str, str]:
    return {a.id: a.short_name or a.name for a in case.actors}


def _step_edges(case: Case, steps: list[tuple[str, str]], effect: str = "helps") -> list[str]:
    wanted = set(steps)
    return sorted(e.id for e in case.interdependencies if e.effect == effect and (e.holder, e.target) in wanted)


def pattern_codes(data: dict[str, Any]) -> list[str]:
    """The patterns a case shows at least once (``data`` as made by ``pipeline.build_pages``)."""
    return [code for code, n in data["pattern_counts"].items() if n]


def highlights(case: Case, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The patterns a reader can highlight in a case's network: label, note, nodes and edge ids."""
    names = _names(case)
    latent = {tuple(d["actors"]): d for d in data["latent_deals"]}
    out: list[dict[str, Any]] = []
    for a, b in data["reciprocal_pairs"][:8]:
        note = f"{names[a]} and {names[b]} each help the other: a bilateral makeable deal."
        if (a, b) in latent:
            note += " Part of it was never seen by the parties before the deal."
        out.append(
            {
                "label": f"{names[a]} ⇄ {names[b]}",
                "note": note,
                "nodes": [a, b],
                "edges": _step_edges(case, [(a, b), (b, a)]),
            }
        )
    for ring in data["cycles"]["cycles"][:5]:
        steps = list(zip(ring, ring[1:] + ring[:1], strict=True))
        note = "Help flows around this ring; no two of them could trade directly."
        if tuple(ring) in latent:
            note += " Part of it was never seen by the parties before the deal."
        out.append(
            {
                "label": " → ".join(names[v] for v in ring) + " → …",
                "note": note,
                "nodes": list(ring),
                "edges": _step_edges(case, steps),
            }
        )
    if data["latent_deals"]:
        unseen = sorted({u["id"] for d in data["latent_deals"] for u in d["unseen"]})
        nodes = sorted({v for d in data["latent_deals"] for v in d["actors"]})
        out.append(
            {
                "label": "Left on the table",
                "nodes": nodes,
                "edges": unseen,
                "note": "The steps of makeable deals that the parties did not see by the time of agreement.",
            }
        )
    if data["one_way_dependences"]:
        edges = sorted({i for d in data["one_way_dependences"] for i in d["interdependencies"]})
        nodes = sorted({v for d in data["one_way_dependences"] for v in (d["holder"], d["target"])})
        out.append(
            {
                "label": "One-way help",
                "nodes": nodes,
                "edges": edges,
                "note": "Help that nothing flows back to repay: it needs a side payment, authority or a shared purpose.",
            }
        )
    for pool in data["thompson"]["pooled"][:3]:
        steps = [(h, pool["target"]) for h in pool["holders"]]
        edges = sorted(
            e.id
            for e in case.interdependencies
            if e.effect == "helps"
            and e.target == pool["target"]
            and e.purpose == pool["purpose"]
            and e.holder in pool["holders"]
        )
        out.append(
            {
                "label": f"Pooled into {names[pool['target']]}",
                "nodes": sorted({*pool["holders"], pool["target"]}),
                "edges": edges or _step_edges(case, steps),
                "note": f"{len(pool['holders'])} actors feed the same purpose of {names[pool['target']]}.",
            }
        )
    if data["conflicts"]["hurts"]:
        hurts = data["conflicts"]["hurts"]
        out.append(
            {
                "label": "Conflicts",
                "nodes": sorted({v for h in hurts for v in (h["holder"], h["target"])}),
                "edges": sorted(h["id"] for h in hurts),
                "note": "Assets that hurt another actor's purpose.",
            }
        )
    brokers = data["brokers"]["articulation_points"]
    if brokers:
        edges = sorted(e.id for e in case.interdependencies if e.holder in brokers or e.target in brokers)
        out.append(
            {
                "label": "Brokers",
                "nodes": brokers,
                "edges": edges,
                "note": "Actors whose removal would split the network: " + ", ".join(names[b] for b in brokers) + ".",
            }
        )
    return out


def _doc_html(text: str) -> str:
    """Our own docstring text (trusted, still escaped) to simple HTML."""
    html_parts = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.splitlines()]
        if lines[0].startswith("- "):
            items, current = [], []
            for ln in lines:
                if ln.startswith("- ") and current:
                    items.append(" ".join(current))
                    current = []
                current.append(ln[2:] if ln.startswith("- ") else ln)
            items.append(" ".join(current))
            html_parts.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        else:
            html_parts.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(html_parts)


def _inline(text: str) -> str:
    text = esc(text)
    text = re.sub(r"``([^`]+)``", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def _network(element_id: str, data: dict[str, Any], height: str = "", label: str = "") -> str:
    style = f' style="height:{height}"' if height else ""
    return (
        f'<div class="cb-network-wrap"><div class="cb-network" data-graph="{esc(element_id)}"{style} role="img" '
        f'aria-label="{esc(label)}"></div><div class="cb-patterns" data-graph="{esc(element_id)}"></div></div>'
        + json_script(element_id, data)
    )


MEASURES = (
    ("recognition_curve", "Recognition over time"),
    ("what_if", "What if one party walked away"),
    ("brokers", "Brokers and betweenness"),
    ("metrics", "Case metrics"),
)


def patterns_index(cases: list[Case], data: dict[str, dict[str, Any]]) -> str:
    shown = {code: sum(1 for c in cases if data[c.id]["pattern_counts"][code]) for code in PATTERNS}
    rows = "".join(
        f'<tr><td><a href="{p.code}/">{esc(p.title)}</a></td><td>{esc(p.plain)}</td><td>{shown[p.code]}</td></tr>'
        for p in PATTERNS.values()
    )
    return "\n".join(
        [
            "---\ntitle: Patterns\n---\n",
            "# Patterns of interdependence\n",
            "Each case is a directed network: actors are nodes, and each interdependency is an arrow from the actor "
            "holding an asset to the actor whose purpose it helps or hurts. The analysis looks for these patterns in "
            "every case. Each pattern's page gives the exact rule the code applies (the same text as the code's "
            "documentation), a small example and every case that shows it.\n",
            _block(table(("Pattern", "In plain words", "Cases"), [rows])),
            "See also [the patterns across cases](../cross-case.md) and "
            "[diagnosing your own situation](../diagnose.md).\n",
            "## Measures {#measures}\n",
            "Besides the patterns, each case page reports these measures. Each rule is the documentation of the "
            "function that computes it.\n",
            *[
                _block(
                    f'<h3 id="measure-{name}">{esc(title)}</h3>',
                    f'<div class="cb-rule">{_doc_html(rule_of(name))}</div>',
                    f'<p class="cb-muted">From <code>builder.analyze.{name}</code>.</p>',
                )
                for name, title in MEASURES
            ],
        ]
    )


def pattern_page(pattern, cases: list[Case], data: dict[str, dict[str, Any]]) -> str:
    rows = []
    for case in sorted(cases, key=lambda c: c.title.casefold()):
        n = data[case.id]["pattern_counts"][pattern.code]
        if n:
            rows.append(
                f'<tr><td><a href="../../cases/{esc(case.id)}/">{esc(case.title)}</a></td><td>{n}</td>'
                f"<td>{esc(term('deal-status', case.deal.status))}</td></tr>"
            )
    listing = (
        _block(table(("Case", "Occurrences", "Deal"), rows))
        if rows
        else "No case in the casebook shows this pattern yet.\n"
    )
    return "\n".join(
        [
            f"---\ntitle: {json.dumps(pattern.title)}\n---\n",
            f"# {pattern.title}\n",
            _block(f"<p>{esc(pattern.plain)}</p>"),
            "## A small example\n",
            _block(
                _network(
                    f"example-{pattern.code}",
                    example_data(pattern.example),
                    "220px",
                    f"A small example of the pattern: {pattern.title}",
                )
            ),
            "## For practice\n",
            _block(f"<p>{esc(pattern.practice)}</p>"),
            "## The exact rule\n",
            _block(
                f'<div class="cb-rule">{_doc_html(pattern.rule())}</div>',
                f'<p class="cb-muted">From <code>builder.analyze.{pattern.function}</code>.</p>',
            ),
            f"## Cases that show it ({len(rows)})\n",
            listing,
        ]
    )


def _cross_table(title: str, rows: dict[str, dict[str, Any]], label, statuses: list[str]) -> str:
    """One cross-case table: a row per pattern (or mechanism...), split by deal status."""
    head = [esc(term("deal-status", s)) for s in statuses]
    body = "".join(
        f"<tr><td>{esc(label(key))}</td><td>{row['count']}</td><td>{row['cases']}</td>"
        + "".join(f"<td>{row['by_status'][s]}</td>" for s in statuses)
        + "</tr>"
        for key, row in sorted(rows.items(), key=lambda kv: (-kv[1]["cases"], kv[0]))
    )
    return _block(table(("Row", "Occurrences", "Cases", *head), [body], "cb-cross", caption=title))


def _sector_network(tables: dict[str, Any]) -> dict[str, Any]:
    """A network of sectors: an arrow for each sector pair, as wide as its count of interdependencies."""
    sectors = vocabulary("sector")
    pairs = [(k.split(" -> ")[0], k.split(" -> ")[1], v["count"]) for k, v in tables["sector_pairs"].items()]
    used = [s for s in sectors.codes if any(s in p[:2] for p in pairs)]
    pos = layout(used, radius=200)
    nodes = [
        {
            "id": s,
            "label": sectors.title_of(s),
            "title": sectors.title_of(s),
            "x": pos[s][0],
            "y": pos[s][1],
            "color": SECTOR_COLOURS.get(s, "#888"),
            "shape": "dot",
            "size": 20,
        }
        for s in used
    ]
    edges = [
        {
            "id": f"{u}>{v}",
            "from": u,
            "to": v,
            "arrows": "to",
            "label": str(n),
            "width": 1 + min(n, 30) / 3,
            "title": f"{sectors.title_of(u)} → {sectors.title_of(v)}: {n} interdependencies",
            "color": "#2b6cb0",
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15},
        }
        for u, v, n in pairs
    ]
    return {"nodes": nodes, "edges": edges, "options": OPTIONS, "legend": [], "patterns": []}


STATUS_COLOURS = {"agreed": "#009E73", "partial": "#E69F00", "not-reached": "#D55E00", "dissolved": "#CC79A7"}


def _case_pattern_network(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Cases (coloured by deal status) linked to the patterns they show; a click opens the case."""
    cases = sorted(cases, key=lambda c: c.title.casefold())
    case_pos = layout([c.id for c in cases], radius=460)
    pattern_pos = layout(list(PATTERNS), radius=190)
    nodes = [
        {
            "id": f"case:{c.id}",
            "label": c.title if len(c.title) <= 28 else c.title[:26] + "…",
            "title": f"{c.title}\nDeal: {term('deal-status', c.deal.status)}\n(click to open)",
            "x": case_pos[c.id][0],
            "y": case_pos[c.id][1],
            "color": STATUS_COLOURS[c.deal.status],
            "shape": "dot",
            "size": 12,
            "url": f"../cases/{c.id}/",
        }
        for c in cases
    ]
    nodes += [
        {
            "id": f"pattern:{code}",
            "label": p.title,
            "title": p.plain,
            "x": pattern_pos[code][0],
            "y": pattern_pos[code][1],
            "color": "#7a7a7a",
            "shape": "box",
            "url": f"../patterns/{code}/",
            "font": {"color": "#ffffff"},
        }
        for code, p in PATTERNS.items()
    ]
    edges = []
    for c in cases:
        for code, n in data[c.id]["pattern_counts"].items():
            if n:
                edges.append(
                    {
                        "id": f"{c.id}>{code}",
                        "from": f"case:{c.id}",
                        "to": f"pattern:{code}",
                        "title": f"{c.title}: {n} × {PATTERNS[code].title}",
                        "width": 1 + min(n, 10) / 3,
                        "color": {"color": "#9aa5b1", "opacity": 0.5},
                        "smooth": False,
                        "arrows": {"to": {"enabled": False}},
                    }
                )
    patterns = [
        {
            "label": term("deal-status", status),
            "note": f"Cases whose deal was {term('deal-status', status).lower()}.",
            "nodes": [f"case:{c.id}" for c in cases if c.deal.status == status]
            + [
                f"pattern:{code}"
                for code in PATTERNS
                if any(c.deal.status == status and data[c.id]["pattern_counts"][code] for c in cases)
            ],
            "edges": [
                e["id"] for e in edges if any(e["from"] == f"case:{c.id}" for c in cases if c.deal.status == status)
            ],
        }
        for status in STATUS_COLOURS
        if any(c.deal.status == status for c in cases)
    ]
    return {"nodes": nodes, "edges": edges, "options": OPTIONS, "legend": [], "patterns": patterns}


def cross_case_page(
    cases: list[Case], analyses: dict[str, analyze.CaseAnalysis], data: dict[str, dict[str, Any]]
) -> str:
    tables = analyze.cross_case([(c, analyses[c.id]) for c in cases])
    statuses = [s for s in vocabulary("deal-status").codes]
    pattern_title = {code: p.title for code, p in PATTERNS.items()}
    parts = [
        "---\ntitle: Across cases\n---\n",
        "# Patterns across cases\n",
        f"What goes with what across all {tables['cases']} cases. *Occurrences* counts every instance; "
        "*Cases* counts the cases with at least one, and the last columns split those cases by how far their "
        "deal got. With a few dozen cases these are descriptions, not statistical findings.\n",
        "## Who helps whom, by sector\n",
        _block(
            _network(
                "cross-sectors",
                _sector_network(tables),
                "420px",
                "Network of sectors: arrows show how many interdependencies run from one sector to another",
            )
        ),
        "## Cases and the patterns they show\n",
        "Each case (coloured by how far its deal got: green agreed, orange partial, red not reached, pink "
        "dissolved) is linked to the patterns the analysis finds in it. Highlight one deal status at a time "
        "to compare, and click a case or a pattern to open its page.\n",
        _block(
            _network(
                "cross-cases",
                _case_pattern_network(cases, data),
                "640px",
                "Network of cases and the patterns of interdependence each shows",
            )
        ),
        "## Patterns\n",
        _cross_table("Patterns by deal status", tables["patterns"], pattern_title.get, statuses),
        "## Holding-environment mechanisms\n",
        _cross_table(
            "Mechanisms by deal status", tables["mechanisms"], lambda k: term("holding-mechanism", k), statuses
        ),
        "## Asset kinds\n",
        _cross_table(
            "Asset kinds in interdependencies", tables["asset_kinds"], lambda k: term("asset-kind", k), statuses
        ),
        "## Sector pairs\n",
        _cross_table(
            "Holder sector → target sector",
            tables["sector_pairs"],
            lambda k: " → ".join(term("sector", s) for s in k.split(" -> ")),
            statuses,
        ),
    ]
    return "\n".join(parts)


def coverage_page(cases: list[Case]) -> str:
    countries = sorted({k for c in cases for k in c.countries})
    continents = sorted({continent(k) for k in countries})
    domains = sorted({d for c in cases for d in c.domains})
    statuses = Counter(c.deal.status for c in cases)
    failures = sum(statuses[s] for s in ("partial", "not-reached", "dissolved"))
    scales = Counter(c.scale for c in cases)
    targets = [
        ("Cases", len(cases), 18),
        ("Countries", len(countries), 8),
        ("Continents", len(continents), 4),
        ("Policy domains", len(domains), 6),
        ("Failures or partial failures", failures, 4),
    ]
    scale_text = ", ".join(f"{term('scale', s)} {n}" for s, n in sorted(scales.items()))
    status_text = ", ".join(f"{term('deal-status', s)} {n}" for s, n in sorted(statuses.items()))
    summary = "".join(
        f"<tr><td>{esc(k)}</td><td>{v}</td><td>{t}</td><td>{'met' if v >= t else 'not yet'}</td></tr>"
        for k, v, t in targets
    )
    rows = []
    for case in sorted(cases, key=lambda c: c.title.casefold()):
        comp = completeness(case)
        levels = [lv for lv in vocabulary("level").codes if any(a.level == lv for a in case.actors)]
        rows.append(
            f'<tr><td><a href="../cases/{esc(case.id)}/">{esc(case.title)}</a></td>'
            f"<td>{', '.join(esc(country_name(k)) for k in case.countries)}</td>"
            f"<td>{', '.join(sorted({esc(continent(k)) for k in case.countries}))}</td>"
            f"<td>{', '.join(esc(term('policy-domain', d)) for d in case.domains)}</td>"
            f"<td>{esc(term('scale', case.scale))}</td>"
            f"<td>{', '.join(esc(term('level', lv)) for lv in levels)}</td>"
            f"<td>{esc(term('deal-status', case.deal.status))}</td>"
            f'<td title="{esc("; ".join(comp.missing + tuple("stage: " + s for s in comp.missing_stages)) or "complete")}">'
            f"{comp.percent}%</td><td>{esc(case.status)}</td></tr>"
        )
    return "\n".join(
        [
            "---\ntitle: Coverage\n---\n",
            "# Coverage\n",
            "How widely the casebook ranges, against the targets it set itself, and how complete each case is "
            "(hover over a percentage to see what is missing; `casebook validate --report` prints the same).\n",
            _block(table(("Measure", "Now", "Target", "Status"), [summary])),
            _block(
                "<p>",
                esc(f"Continents: {', '.join(continents)}. Scales: {scale_text}. Deal status: {status_text}."),
                "</p>",
            ),
            "## Every case\n",
            _block(
                table(
                    ("Case", "Country", "Continent", "Domains", "Scale", "Levels", "Deal", "Complete", "Review"),
                    rows,
                    "cb-coverage",
                )
            ),
        ]
    )


def concepts_page(cases: list[Case]) -> str:
    vocab = vocabulary("concept")
    parts = [
        "---\ntitle: Concepts\n---\n",
        "# Concepts\n",
        "The ideas the casebook teaches, each with the cases whose teaching notes use it.\n",
    ]
    for t in vocab.terms:
        using = sorted((c for c in cases if t.code in c.teaching.concepts), key=lambda c: c.title.casefold())
        links = ", ".join(f'<a href="../cases/{esc(c.id)}/">{esc(c.title)}</a>' for c in using) or "none yet"
        parts.append(
            _block(
                f'<h2 id="{esc(t.code)}">{esc(t.title)}</h2>',
                f"<p>{esc(t.description)}</p>",
                f'<p class="cb-muted">Cases: {links}</p>',
            )
        )
    return "\n".join(parts)


def diagnose_page() -> str:
    """How to map your own situation, with the example file and the report it gives."""
    from pathlib import Path

    from builder.situation import diagnose, format_report, parse_situation

    example = (Path(__file__).parent / "templates" / "situation.yaml").read_text("utf-8")
    report = format_report(diagnose(parse_situation(example)))
    return "\n".join(
        [
            "---\ntitle: Diagnose your situation\n---\n",
            "# Diagnose your own situation\n",
            "The casebook's analysis works on your own situation too. Write down who is at (or near) the table, what "
            "each is trying to achieve, what each holds, and which of those assets could help which purposes. "
            "`casebook diagnose` then lists the candidate deals (pairs and rings of three or more), the one-way "
            "dependences that need a side payment, authority or an appeal to shared purpose, and the actors best "
            "placed to convene.\n",
            "```bash\ncasebook diagnose --example > my-situation.yaml   # start from the example below\n"
            "casebook diagnose my-situation.yaml\n```\n",
            "## The format\n",
            "A situation file has a `title`, a list of `actors` (each with an `id`, a `name`, optionally a `sector`, "
            "its `purposes` and its `assets`) and a list of `help` links, each saying that one actor's asset "
            "(`holder`, `asset`) could help another actor's purpose (`target`, `purpose`), with an optional `note`. "
            "Asset kinds may be free text or a code from the [asset-kind vocabulary](contribute/vocabularies.md#asset-kind). "
            "Unlike a case file, a situation needs no sources: it is your own working map.\n",
            "## The example\n",
            "This example is invented to show the format; the organizations in it do not exist.\n",
            _block(f'<pre class="cb-example"><code>{esc(example)}</code></pre>'),
            "## The report it gives\n",
            _block(f'<pre class="cb-example"><code>{esc(report)}</code></pre>'),
            "The definitions behind each part of the report are on the [patterns](patterns/index.md) pages: "
            "[reciprocal pairs](patterns/reciprocal-pair.md), [cycles](patterns/cycle.md), "
            "[one-way dependences](patterns/one-way-dependence.md) and [brokers](patterns/broker.md).\n",
        ]
    )


def reading_list_page(reading, cases: dict[str, Case]) -> str:
    """One reading list: the sequence, why each case is there, and questions for each session."""
    parts = [
        f"---\ntitle: {json.dumps(reading.title)}\n---\n",
        f"# {md_text(reading.title)}\n",
        _block(f"<p>{esc(reading.summary)}</p>"),
    ]
    for n, item in enumerate(reading.items, 1):
        case = cases[item.case]
        parts.append(
            _block(
                f'<section class="cb-session"><h2 id="session-{n}">Session {n}: '
                f'<a href="../../../cases/{esc(case.id)}/">{esc(case.title)}</a></h2>',
                f'<p class="cb-muted">{esc(", ".join(country_name(k) for k in case.countries))} · {esc(years_text(case))} · '
                f"deal {esc(term('deal-status', case.deal.status).lower())}</p>",
                f"<p><strong>Why this case.</strong> {esc(item.why)}</p>",
                "<p><strong>Questions for the session</strong></p><ol>",
                "".join(f"<li>{esc(q)}</li>" for q in item.questions),
                "</ol></section>",
            )
        )
    parts.insert(3, _block('<p><a class="md-button" href="packet/">Printable packet of all the cases</a></p>'))
    if reading.closing_questions:
        parts.append("## To close the series\n")
        parts.append(_block("<ol>", "".join(f"<li>{esc(q)}</li>" for q in reading.closing_questions), "</ol>"))
    return "\n".join(parts)


def packet_page(reading, cases: dict[str, Case], analyses: dict[str, analyze.CaseAnalysis]) -> str:
    """Every case of a reading list on one printable page, in teaching order, without the networks."""
    from builder.render import render_case

    parts = [
        f"---\ntitle: {json.dumps('Packet: ' + reading.title)}\n---\n",
        f"# Packet: {md_text(reading.title)}\n",
        _block(
            f"<p>{esc(reading.summary)}</p>",
            '<p class="cb-muted">Use your browser\'s print command to print this packet or save it as PDF. '
            "The interactive networks are on each case's own page.</p>",
        ),
    ]
    for n, item in enumerate(reading.items, 1):
        case = cases[item.case]
        parts.append(_block(f'<p class="cb-session-note"><strong>Session {n}.</strong> {esc(item.why)}</p>'))
        parts.append(render_case(case, None, analyze.summarize(analyses[case.id]), root="../../../../", packet=True))
    return "\n".join(parts)


def reading_lists_index(lists) -> str:
    rows = "".join(
        f'<li><a href="../lists/{esc(r.id)}/">{esc(r.title)}</a>: {esc(r.summary)} '
        f'<span class="cb-muted">({len(r.items)} cases)</span></li>'
        for r in lists
    )
    return "\n".join(
        [
            "---\ntitle: Reading lists\n---\n",
            "# Reading lists\n",
            "Sequences of cases for a course or a workshop, each with why every case is there and questions for the "
            "session. Lists are kept as data in `cases/reading-lists/`; propose a new one by pull request.\n",
            _block("<ul>", rows or "<li>No reading lists yet.</li>", "</ul>"),
        ]
    )


def extra_pages(
    cases: list[Case], analyses: dict[str, analyze.CaseAnalysis], data: dict[str, dict[str, Any]], reading_lists=()
) -> dict[str, str]:
    by_id = {c.id: c for c in cases}
    pages = {
        "teaching/reading-lists.md": reading_lists_index(reading_lists),
        **{f"teaching/lists/{r.id}.md": reading_list_page(r, by_id) for r in reading_lists},
        **{f"teaching/lists/{r.id}/packet.md": packet_page(r, by_id, analyses) for r in reading_lists},
        "patterns/index.md": patterns_index(cases, data),
        "cross-case.md": cross_case_page(cases, analyses, data),
        "coverage.md": coverage_page(cases),
        "concepts.md": concepts_page(cases),
        "diagnose.md": diagnose_page(),
        "contribute/fields.md": reference.fields_page(),
        "contribute/vocabularies.md": reference.vocabularies_page(),
        "contribute/problems.md": reference.problems_page(),
    }
    for pattern in PATTERNS.values():
        pages[f"patterns/{pattern.code}.md"] = pattern_page(pattern, cases, data)
    return pages


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def downloads(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """The corpus as data: JSON per case and in all, CSV tables, and GraphML."""
    from builder.pipeline import dumps

    files: dict[str, bytes] = {}
    everything = []
    for case in cases:
        record = {"case": case.model_dump(mode="json"), "analysis": data[case.id]}
        files[f"data/cases/{case.id}.json"] = dumps(record)
        everything.append(record)
    files["data/casebook.json"] = dumps({"cases": everything})
    files["data/cases.csv"] = _csv(
        [
            "id",
            "title",
            "countries",
            "locality",
            "start",
            "end",
            "domains",
            "scale",
            "deal_status",
            "deal_forms",
            "actors",
            "interdependencies",
            "sources",
            "status",
        ],
        [
            [
                c.id,
                c.title,
                " ".join(c.countries),
                c.locality or "",
                c.years.start,
                c.years.end,
                " ".join(c.domains),
                c.scale,
                c.deal.status,
                " ".join(c.deal.forms),
                len(c.actors),
                len(c.interdependencies),
                len(c.sources),
                c.status,
            ]
            for c in cases
        ],
    )
    files["data/actors.csv"] = _csv(
        ["case", "id", "name", "sector", "level", "country", "mission", "purposes", "asset_kinds"],
        [
            [
                c.id,
                a.id,
                a.name,
                a.sector,
                a.level,
                a.country or "",
                a.mission,
                len(a.purposes),
                " ".join(sorted({x.kind for x in a.assets})),
            ]
            for c in cases
            for a in c.actors
        ],
    )
    files["data/interdependencies.csv"] = _csv(
        [
            "case",
            "id",
            "holder",
            "asset",
            "asset_kind",
            "effect",
            "target",
            "purpose",
            "recognized",
            "realized",
            "sources",
        ],
        [
            [
                c.id,
                e.id,
                e.holder,
                e.asset,
                next(x.kind for a in c.actors if a.id == e.holder for x in a.assets if x.id == e.asset),
                e.effect,
                e.target,
                e.purpose,
                e.recognized,
                str(e.realized).lower(),
                " ".join(e.sources),
            ]
            for c in cases
            for e in c.interdependencies
        ],
    )
    files["data/sources.csv"] = _csv(
        ["case", "id", "title", "authors", "year", "publisher", "journal", "type", "url", "doi"],
        [
            [
                c.id,
                s.id,
                s.title,
                "; ".join(s.authors),
                s.year or "",
                s.publisher or "",
                s.journal or "",
                s.type,
                str(s.url or ""),
                s.doi or "",
            ]
            for c in cases
            for s in c.sources
        ],
    )
    files["data/casebook.graphml"] = _graphml(cases)
    return files


def _graphml(cases: list[Case]) -> bytes:
    """Every case's graph in one GraphML file; node ids are ``case/actor``."""
    G = nx.MultiDiGraph()
    for case in cases:
        for a in case.actors:
            G.add_node(f"{case.id}/{a.id}", case=case.id, name=a.name, sector=a.sector, level=a.level)
        for e in case.interdependencies:
            G.add_edge(
                f"{case.id}/{e.holder}",
                f"{case.id}/{e.target}",
                key=e.id,
                case=case.id,
                asset=e.asset,
                purpose=e.purpose,
                effect=e.effect,
                recognized=e.recognized,
                realized=e.realized,
            )
    return ("\n".join(nx.generate_graphml(G)) + "\n").encode("utf-8")
