"""Teaching pages: the makeable-deals exercise, role briefs and instructor's debrief of any case, and the
student and instructor packets of any reading list.

The case page is the one copy of each case's text. These pages are four small shared shells
(``teaching/case/exercise/?case=<id>``, ``teaching/case/roles/?case=<id>``, ``teaching/case/debrief/?case=<id>``
and ``teaching/packet/?list=<id>``, ``&for=instructor``), so they cost the same bytes for 10 or 10,000 cases.
``docs/assets/javascripts/teaching.js`` fetches the case's own page (same origin, parsed with ``DOMParser``)
and its ``data/cases/<id>.json`` (network and analysis), and builds each view with DOM methods from those nodes:

- the **exercise** (for students) shows the actors, their missions, purposes and assets, and nothing of the
  interdependencies or the analysis. Students record guesses (holder + asset → target, helps or hurts) that
  ``exercise.js`` keeps in the browser; a reveal then draws the real network (the case page's own) and scores
  the guesses against the links of ``data/cases/<id>.json``;
- the **role briefs** (one per actor, one per printed page) give each actor's mission, what it holds, the other
  actors' purposes (who *might* need it: never the real links, which are the answer), what it would have done
  alone where the case says, and the questions to bring to the table;
- the **debrief** (for the instructor only) follows the memo's stages: what was recognized at each, the case
  page's account of the stage, the latent deals, what the analysis finds, and the discussion questions.

Packets: the student packet (the cases without anything that states who helps whom: no network, no
interdependencies, no analysis, no "what each would have done alone", similar cases or teaching notes; with an
exercise sheet each) and the instructor's (the whole case, and the debrief) read the list's own page for its
session questions, then each case's page; each case starts a new printed page.

This module keeps, in Python, the answer key the script computes (:func:`makeable_deals`, :func:`answer_key`,
checked against the script by the tests) and the words the script needs (:func:`shell_data`). All markup is in
``exercise.html``, ``roles.html``, ``debrief.html`` and ``packet.html``.
"""

from __future__ import annotations

from typing import Any

from builder.model import Case
from builder.render import STAGE_TITLES, term
from builder.templating import Page, render_page
from builder.vocab import vocabulary

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
#: The shared pages, keyed by their paths in the site, with their template, title, description and the
#: relative path from the page to the site root.
SHELLS = {
    "teaching/case/exercise.md": (
        "exercise.html",
        "The makeable-deals exercise",
        "How many makeable deals are among the actors of a case? Guess the links, then reveal them.",
        "../../../",
    ),
    "teaching/case/roles.md": (
        "roles.html",
        "Role briefs",
        "One brief for each actor of a case, for the makeable-deals exercise.",
        "../../../",
    ),
    "teaching/case/debrief.md": (
        "debrief.html",
        "Debrief",
        "The instructor's debrief of the makeable-deals exercise on a case, stage by stage.",
        "../../../",
    ),
    "teaching/packet.md": (
        "packet.html",
        "Packet",
        "A reading list's printable packet: its cases, each on a new printed page.",
        "../../",
    ),
}

#: Questions every party brings to the table: the memo's stages, asked in the first person.
TABLE_QUESTIONS = (
    "Who has something I could use for my purposes? What do I hold that serves someone else's?",
    "Where help would run one way only, what could make the other side agree: a side payment, authority, or a "
    "shared purpose?",
    "Who could keep us talking long enough to find out, and what is at stake for me beyond my mission?",
    "If we did it together, what would each of us be bound to do, and what would it produce?",
)


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


def shell_data() -> dict[str, Any]:
    """What the teaching script needs besides the case page and ``data/cases/<id>.json``: the words, once.

    Returns ``{"stages": {code: title}, "memo": [codes], "late": [codes], "seen": {code: words},
    "questions": [...]}``: the titles of the recognition stages (the vocabulary's) and of the memo's stages as
    the case page heads them (``stages`` maps a memo stage to its heading; ``recognized`` every recognition code
    to its title), the stages the debrief follows, how a latent deal was seen, and the questions every party
    brings to the table.
    """
    recognition = vocabulary("recognition-stage")
    return {
        "stages": dict(STAGE_TITLES),
        "recognized": {code: recognition.title_of(code) for code in recognition.codes},
        "memo": list(MEMO_STAGES),
        "late": list(LATE_CODES),
        "seen": LATE_WORDS,
        "questions": list(TABLE_QUESTIONS),
    }


def shell_pages() -> dict[str, Page]:
    """The exercise, role briefs, debrief and packet: four shared pages, whatever the number of cases.

    Each is a small shell: ``teaching.js`` reads the case (``?case=<id>``) from its own page and its
    ``data/cases/<id>.json``, or the reading list (``?list=<id>``, ``&for=instructor``) from the list's page,
    and builds the view from those nodes; so no case's text is copied into the teaching pages. Keyed by the
    pages' paths in the site.
    """
    data = shell_data()
    return {
        path: render_page(template, title, description, root=root, data=data)
        for path, (template, title, description, root) in SHELLS.items()
    }
