"""Teaching pages: the per-case exercise, role briefs and instructor's debrief, and reading-list packets.

In: a validated ``Case``, its analysis data (``CaseAnalysis.to_dict()`` plus ``pattern_counts``), the
plain-words findings and the highlights of its network. Out: :class:`~builder.templating.Page` objects keyed
by site path. Pure: nothing is written here; all markup is in ``exercise.html``, ``roles.html``,
``debrief.html``, ``packet.html`` and ``partials/teaching-*.html``.

The exercise runs the memo's question, "how many makeable deals are in this room?", on one case:

- the **exercise page** (``teaching/cases/<id>/exercise/``, for students) shows the actors, their missions,
  purposes and assets, and nothing of the interdependencies or the analysis. Students record guesses
  (holder + asset → target, helps or hurts) that ``exercise.js`` keeps in the browser; a reveal then draws
  the real network (kept until then in an inert ``<template>``) and scores the guesses against the answer
  key (a hidden element's ``data-json``);
- the **role briefs** (``.../roles/``, one per actor, one per printed page) give each actor's mission, what
  it holds, the other actors' purposes (who *might* need it: never the real links, which are the answer),
  what it would have done alone where the case says, and the questions to bring to the table;
- the **debrief** (``.../debrief/``, for the instructor only) follows the memo's stages: what was recognized
  at each, the latent deals, what the analysis finds, and the case's discussion questions.

Packets: each reading list has a student packet (``packet/``: the cases without the analysis, with an
exercise sheet) and an instructor's packet (``packet-instructor/``: with the analysis and the debrief); both
carry the list's own session questions and start each case on a new printed page.
"""

from __future__ import annotations

from typing import Any

from builder import analyze
from builder.model import Case
from builder.network import SECTOR_COLOURS, network_data
from builder.render import STAGE_TITLES, case_view, country_name, term, years_text
from builder.templating import Page, render_page

#: The memo's stages before agreement, the spine of the debrief.
MEMO_STAGES = ("recognition", "mutual-sense", "holding-environment", "value", "envisioning")
#: Recognition codes that come after the memo's stages, in the order the debrief lists them.
LATE_CODES = ("agreement", "implementation", "hindsight", "never", "unknown")
#: How a latent deal was (not) seen, by the stage at which its last step was first recognized.
LATE_WORDS = {
    "implementation": "seen only during implementation",
    "hindsight": "seen only in hindsight",
    "never": "never seen by the parties",
}
#: Relative path from a page at ``teaching/cases/<id>/<page>/`` (or a packet) to the site root.
ROOT = "../../../../"

#: Questions every party brings to the table: the memo's stages, asked in the first person.
TABLE_QUESTIONS = (
    "Who has something I could use for my purposes? What do I hold that serves someone else's?",
    "Where help would run one way only, what could make the other side agree: a side payment, authority, or a "
    "shared purpose?",
    "Who could keep us talking long enough to find out, and what is at stake for me beyond my mission?",
    "If we did it together, what would each of us be bound to do, and what would it produce?",
)


def _name(case: Case, actor_id: str) -> str:
    actor = next((a for a in case.actors if a.id == actor_id), None)
    return (actor.short_name or actor.name) if actor else actor_id


def _actor_cards(case: Case) -> list[dict[str, Any]]:
    """Each actor as the exercise shows it: name, sector and level, mission, purposes, assets."""
    return [
        {
            "id": a.id,
            "name": a.name,
            "short": a.short_name or a.name,
            "facts": " · ".join([term("sector", a.sector), term("level", a.level)]),
            "colour": SECTOR_COLOURS[a.sector],
            "mission": a.mission,
            "answers_to": a.authorizing_environment,
            "purposes": [p.description for p in a.purposes],
            "assets": [{"id": x.id, "kind": term("asset-kind", x.kind), "text": x.description} for x in a.assets],
        }
        for a in case.actors
    ]


def _steps(actors: list[str], kind: str) -> list[list[str]]:
    """The steps of a makeable deal: both directions of a pair, or each member to the next around a cycle."""
    if kind == "pair":
        return [[actors[0], actors[1]], [actors[1], actors[0]]]
    return [[u, v] for u, v in zip(actors, actors[1:] + actors[:1], strict=True)]


def makeable_deals(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's makeable deals (reciprocal pairs, then cycles), each marked latent or not.

    ``data`` is ``CaseAnalysis.to_dict()``. Returns ``[{"kind": "pair"|"cycle", "actors": [ids],
    "steps": [[holder, target], ...], "latent": bool, "recognized": stage code or None, "seen": how a latent
    deal was seen, in words, or ""}]``.
    """
    latent = {tuple(d["actors"]): d["recognized"] for d in data["latent_deals"]}
    rings = [("pair", list(p)) for p in data["reciprocal_pairs"]] + [
        ("cycle", list(c)) for c in data["cycles"]["cycles"]
    ]
    return [
        {
            "kind": kind,
            "actors": actors,
            "steps": _steps(actors, kind),
            "latent": tuple(actors) in latent,
            "recognized": latent.get(tuple(actors)),
            "seen": LATE_WORDS.get(latent.get(tuple(actors)) or "", ""),
        }
        for kind, actors in rings
    ]


def answer_key(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """What the reveal scores guesses against: every interdependency and every makeable deal.

    Edges are ``{"holder", "asset", "target", "purpose", "effect", "recognized"}`` (ids, the effect
    ``helps``/``hurts`` and the title of the recognition stage); deals as :func:`makeable_deals` gives them.
    """
    purposes = {(a.id, p.id): p.description for a in case.actors for p in a.purposes}
    return {
        "edges": [
            {
                "holder": e.holder,
                "asset": e.asset,
                "target": e.target,
                "purpose": purposes[(e.target, e.purpose)],
                "effect": e.effect,
                "recognized": term("recognition-stage", e.recognized),
            }
            for e in case.interdependencies
        ],
        "deals": makeable_deals(data),
    }


def reveal_network(case: Case, highlights: list[dict[str, Any]]) -> dict[str, Any]:
    """The real network for the reveal: the case page's drawing with short edge tips (no explanations).

    The tips name holder, asset, effect, target and purpose and when it was seen, so the page carries no
    more case text than the reveal needs; ``highlights`` are the deal buttons (pairs, cycles, left on the
    table) as ``site_pages.highlights`` makes them.
    """
    data = network_data(case, highlights)
    by_id = {e.id: e for e in case.interdependencies}
    for edge in data["edges"]:
        e = by_id[edge["id"]]
        asset = next(x.description for x in next(a for a in case.actors if a.id == e.holder).assets if x.id == e.asset)
        edge["title"] = (
            f"{_name(case, e.holder)}: {asset}\n{e.effect} {_name(case, e.target)}\n"
            f"Recognized: {term('recognition-stage', e.recognized)}."
        )
    return {
        "id": f"graph-exercise-{case.id}",
        "data": data,
        "height": "",
        "label": f"The real network of interdependence among the {len(case.actors)} actors of this case; "
        "the score above lists the same links in words.",
    }


def exercise_page(case: Case, data: dict[str, Any], highlights: list[dict[str, Any]]) -> Page:
    """The student's exercise for one case: actors, purposes and assets; guesses; a reveal that scores them."""
    key = answer_key(case, data)
    view = {
        "id": case.id,
        "title": case.title,
        "root": ROOT,
        "where": ", ".join(country_name(k) for k in case.countries),
        "when": years_text(case),
        "actors": _actor_cards(case),
        "actors_json": [{"id": a["id"], "name": a["short"], "assets": a["assets"]} for a in _actor_cards(case)],
        "key": key,
        "count": {"edges": len(key["edges"]), "deals": len(key["deals"])},
        "network": reveal_network(case, highlights),
    }
    return render_page(
        "exercise.html",
        f"Exercise: {case.title}",
        f"How many makeable deals are among the actors of {case.title}? Guess the links, then reveal them.",
        x=view,
    )


def _others(case: Case, actor_id: str) -> list[str]:
    """The names of the other actors at the table: who *might* need what this actor holds (never the real links,
    which are the exercise's answer)."""
    return [a.name for a in case.actors if a.id != actor_id]


def roles_page(case: Case) -> Page:
    """Everyone at the table (missions and purposes, one sheet for all), then one brief per actor: mission, what
    it holds, who else is at the table, what it would do alone, and the questions to bring."""
    alone: dict[str, list[str]] = {}
    for c in case.counterfactuals:
        alone.setdefault(c.actor, []).append(c.alone)
    briefs = [
        {
            **card,
            "anchor": f"role-{card['id']}",
            "others": _others(case, card["id"]),
            "alone": alone.get(card["id"], []),
        }
        for card in _actor_cards(case)
    ]
    view = {
        "id": case.id,
        "title": case.title,
        "root": ROOT,
        "table": _actor_cards(case),
        "briefs": briefs,
        "questions": TABLE_QUESTIONS,
    }
    return render_page(
        "roles.html",
        f"Role briefs: {case.title}",
        f"One brief for each of the {len(briefs)} actors of {case.title}, for the makeable-deals exercise.",
        r=view,
    )


def _edge_line(case: Case, edge) -> dict[str, Any]:
    holder = next(a for a in case.actors if a.id == edge.holder)
    target = next(a for a in case.actors if a.id == edge.target)
    return {
        "holder": _name(case, edge.holder),
        "asset": next(x.description for x in holder.assets if x.id == edge.asset),
        "effect": edge.effect,
        "target": _name(case, edge.target),
        "purpose": next(p.description for p in target.purposes if p.id == edge.purpose),
        "by": [_name(case, a) for a in edge.recognized_by],
        "realized": edge.realized,
    }


def _stage_extras(case: Case, code: str) -> dict[str, Any]:
    """What the case records at a stage besides its edges: period, mechanisms, conveners, stakes, deal."""
    stage = getattr(case.process, code.replace("-", "_"))
    out: dict[str, Any] = {
        "period": getattr(stage, "period", None),
        "mechanisms": [],
        "conveners": [],
        "stakes": [],
        "joint_product": None,
        "commitments": [],
    }
    if code == "holding-environment" and stage is not None:
        out["mechanisms"] = [
            {"kind": term("holding-mechanism", m.kind), "actors": [_name(case, a) for a in m.actors]}
            for m in stage.mechanisms
        ]
        out["conveners"] = [_name(case, a) for a in stage.conveners]
    if code == "value" and stage is not None:
        out["stakes"] = [
            {"actor": _name(case, s.actor), "dimension": term("value-dimension", s.dimension)} for s in stage.stakes
        ]
    if code == "envisioning":
        out["joint_product"] = case.deal.joint_product
        out["commitments"] = [{"actor": _name(case, c.actor), "text": c.commitment} for c in case.deal.commitments]
    return out


def debrief_view(case: Case, data: dict[str, Any], findings: list[str], prefix: str = "") -> dict[str, Any]:
    """The instructor's debrief of one case as plain data, stage by stage.

    ``prefix`` is put before every element id (packets hold several cases on one page).
    Returns ``{"id", "title", "prefix", "stages": [...], "late": [...], "deals", "latent_count",
    "findings", "objectives", "questions", "alone"}``.
    """
    questions = case.teaching.discussion_questions
    stages = [
        {
            "code": code,
            "title": STAGE_TITLES[code],
            "anchor": f"{prefix}debrief-{code}",
            "edges": [_edge_line(case, e) for e in case.interdependencies if e.recognized == code],
            "questions": [q.question for q in questions if q.stage == code],
            **_stage_extras(case, code),
        }
        for code in MEMO_STAGES
    ]
    late = [
        {
            "title": term("recognition-stage", code),
            "edges": [_edge_line(case, e) for e in case.interdependencies if e.recognized == code],
        }
        for code in LATE_CODES
    ]
    deals = [{**d, "names": [_name(case, a) for a in d["actors"]]} for d in makeable_deals(data)]
    return {
        "id": case.id,
        "title": case.title,
        "prefix": prefix,
        "stages": stages,
        "late": [x for x in late if x["edges"]],
        "deals": deals,
        "latent_count": sum(1 for d in deals if d["latent"]),
        "findings": findings,
        "objectives": list(case.teaching.learning_objectives),
        "questions": [q.question for q in questions if q.stage not in MEMO_STAGES],
        "alone": [{"actor": _name(case, c.actor), "text": c.alone} for c in case.counterfactuals],
    }


def debrief_page(case: Case, data: dict[str, Any], findings: list[str]) -> Page:
    """The instructor's debrief of one case, keyed to the memo's stages."""
    view = debrief_view(case, data, findings)
    return render_page(
        "debrief.html",
        f"Debrief: {case.title}",
        f"The instructor's debrief of the makeable-deals exercise on {case.title}, stage by stage.",
        d=view,
        root=ROOT,
    )


def case_pages(
    case: Case, data: dict[str, Any], findings: list[str], highlights: list[dict[str, Any]]
) -> dict[str, Page]:
    """The three teaching pages of one case, keyed by their paths in the site."""
    base = f"teaching/cases/{case.id}"
    return {
        f"{base}/exercise.md": exercise_page(case, data, highlights),
        f"{base}/roles.md": roles_page(case),
        f"{base}/debrief.md": debrief_page(case, data, findings),
    }


def packet_page(
    reading, cases: dict[str, Case], analyses: dict[str, analyze.CaseAnalysis], instructor: bool = False
) -> Page:
    """A reading list's printable packet: its session questions and every case, each on a new printed page.

    The student packet (``instructor=False``) leaves out what the analysis finds and the debrief and adds an
    exercise sheet per case; the instructor's packet carries both. ``analyses`` maps case id to its analysis.
    """
    sessions = []
    for item in reading.items:
        case, analysis = cases[item.case], analyses[item.case]
        findings = analyze.summarize(analysis) if instructor else None
        session = {
            "why": item.why,
            "questions": list(item.questions),
            "case": case_view(case, None, findings, root=ROOT, packet=True),
            "sheet": None if instructor else {"actors": _actor_cards(case), "rows": 10},
            "debrief": debrief_view(case, analysis.to_dict(), findings or [], prefix=f"{case.id}-")
            if instructor
            else None,
        }
        sessions.append(session)
    kind = "Instructor's packet" if instructor else "Packet"
    return render_page(
        "packet.html",
        f"{kind}: {reading.title}",
        reading.summary,
        reading=reading,
        sessions=sessions,
        instructor=instructor,
        root=ROOT,
    )
