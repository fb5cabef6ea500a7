"""A practitioner's own situation, and a diagnosis of the makeable deals in it.

For ``casebook diagnose SITUATION.yaml``. In: the text of a situation file (the
CLI reads the file). Out: a ``Situation`` model, a report as plain data
(``diagnose``) and the same report as terminal text (``format_report``).

Why: the casebook maps past efforts; a practitioner wants the same lens on the
situation in front of them. A situation is a small case with no history: who is
at the table, what they want (purposes), what they hold (assets), and whose
assets could help whose purposes. The patterns come from ``builder.analyze``,
so a situation and a case are read by exactly the same definitions.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from builder import analyze
from builder.load import RawCase, load_file, load_text
from builder.problems import Problem
from builder.validate import References, check_model, guarded
from builder.vocab import vocabulary

__all__ = [
    "Help",
    "Situation",
    "SituationActor",
    "SituationAsset",
    "SituationPurpose",
    "check_situation",
    "check_situation_file",
    "diagnose",
    "format_report",
    "parse_situation",
    "reference_problems",
    "situation_graph",
]

Sector = Literal[vocabulary("sector").codes]  # type: ignore[valid-type]
Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        min_length=1,
        max_length=80,
        description="A short id in lower case, words joined by hyphens.",
        examples=["housing-office"],
    ),
]
REMEDY = "a side payment, authority, or an appeal to shared public value"


class _Model(BaseModel):
    """Base for every part of a situation, with the settings of the case model.

    Why: a mistyped key is an error, not silently dropped; types are strict and
    numbers finite, as in ``builder.model.Model``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, strict=True, allow_inf_nan=False)


class SituationPurpose(_Model):
    """Something an actor is trying to achieve."""

    id: Id
    description: str = Field(min_length=1, description="What the actor is trying to achieve, in a sentence.")


class SituationAsset(_Model):
    """Something an actor holds that could serve its own or another's purposes."""

    id: Id
    kind: str = Field(
        min_length=1,
        description="What kind of asset: a code of the asset-kind vocabulary ("
        + ", ".join(vocabulary("asset-kind").codes)
        + ") or your own word.",
        examples=["money", "data", "beds"],
    )
    description: str = Field(min_length=1, description="What exactly the actor holds.")


class SituationActor(_Model):
    """An organization or office at (or near) the table."""

    id: Id
    name: str = Field(min_length=1, description="The actor's name.", examples=["City Housing Office"])
    sector: Sector | None = Field(None, description="The actor's sector (vocabulary `sector`), if you wish.")
    purposes: list[SituationPurpose] = Field(
        min_length=1, description="What the actor is trying to achieve; others' assets help these."
    )
    assets: list[SituationAsset] = Field(
        default_factory=list, description="What the actor holds that could serve others' purposes."
    )


class Help(_Model):
    """One asset of one actor that could help one purpose of another actor."""

    holder: Id = Field(description="Id of the actor that holds the asset.")
    asset: Id = Field(description="Id of the asset, declared under the holder's `assets`.")
    target: Id = Field(description="Id of the actor whose purpose it helps.")
    purpose: Id = Field(description="Id of the purpose, declared under the target's `purposes`.")
    note: str | None = Field(None, description="How the asset would help, in a sentence.")


class Situation(_Model):
    """A practitioner's situation: who is at the table, what they want, what they hold, who could help whom."""

    title: str = Field(min_length=1, description="A title for the situation.")
    actors: list[SituationActor] = Field(min_length=2, description="The actors, each declared once.")
    help: list[Help] = Field(
        default_factory=list, description="Whose asset could help whose purpose; one entry per link."
    )

    @model_validator(mode="after")
    def _references(self) -> Situation:
        """Every id is declared once, and every link names a declared actor, asset and purpose.

        The rules are ``reference_problems``, which the CLI runs on the raw file to
        report them at their lines; here they guard callers that build a
        ``Situation`` from data directly.
        """
        raw = RawCase(Path("situation"), self.model_dump())
        problems = list(reference_problems(raw))
        if problems:
            text = "\n".join(f"{p.message} (fix: {p.fix})" for p in problems)
            raise PydanticCustomError("references", "{problems}", {"problems": text})
        return self


def reference_problems(raw: RawCase) -> Iterator[Problem]:
    """Ids are declared once; each link of help names declared actors, assets and purposes, once."""
    data = raw.data if isinstance(raw.data, dict) else {}
    refs = References(raw, data.get("actors"), noun="situation")
    yield from refs.declared_ids(data.get("actors"))
    seen: dict[tuple[Any, ...], int] = {}
    for i, link in enumerate(data.get("help") if isinstance(data.get("help"), list) else []):
        if not isinstance(link, dict):
            continue
        yield from refs.link(link, ("help", i))
        key = tuple(str(link.get(k)) for k in ("holder", "asset", "target", "purpose"))
        if key in seen:
            yield refs.problem(
                ("help", i),
                "duplicate-link",
                f"help[{i}] repeats help[{seen[key]}], the same link of help",
                "remove one of the two entries, or correct the one that should differ",
            )
        seen.setdefault(key, i)


def check_situation(raw: RawCase) -> tuple[Situation | None, list[Problem]]:
    """Validate a loaded situation file: every problem, located, with the case files' messages."""
    return check_model(raw, Situation, reference_problems, "situation")


def check_situation_file(path: Path) -> tuple[Situation | None, list[Problem]]:
    """Load and validate a situation file; a bug in the checker becomes a problem, never a traceback."""

    def check() -> tuple[Situation | None, None, list[Problem]]:
        raw, problems = load_file(path)
        if raw is None or problems:
            return None, None, problems
        situation, problems = check_situation(raw)
        return situation, None, problems

    situation, _, problems = guarded(path, check)
    return situation, [_about_situations(p) for p in problems]


def _about_situations(problem: Problem) -> Problem:
    """A problem whose fix speaks of case files, told of a situation file instead."""
    if problem.code == "missing-file" and "cases/" in problem.fix:
        return dataclasses.replace(
            problem, fix="check the path; to start a situation file: casebook diagnose --example > my-situation.yaml"
        )
    return problem


def parse_situation(text: str, path: Path = Path("situation.yaml")) -> Situation:
    """Return the situation written in YAML ``text``.

    Raises ``ValueError`` with every problem, one per line (``path:line:col:
    error[code] message``), if the text is not a valid situation.
    """
    raw, problems = load_text(text, path)
    situation = None
    if raw is not None and not problems:
        situation, problems = check_situation(raw)
    if situation is None or problems:
        raise ValueError("\n".join(p.format() for p in problems))
    return situation


def _link_id(link: Help) -> str:
    return f"{link.holder}.{link.asset}>{link.target}.{link.purpose}"


def situation_graph(situation: Situation) -> nx.MultiDiGraph:
    """Return the situation as an interdependence graph (see ``analyze.graph_from_edges``).

    Each link of help is a helps-edge keyed ``holder.asset>target.purpose``.
    """
    kinds = {(a.id, s.id): s.kind for a in situation.actors for s in a.assets}
    return analyze.graph_from_edges(
        [
            (
                link.holder,
                link.target,
                "helps",
                {
                    "id": _link_id(link),
                    "asset": link.asset,
                    "asset_kind": kinds.get((link.holder, link.asset), ""),
                    "purpose": link.purpose,
                    "description": link.note or "",
                },
            )
            for link in situation.help
        ],
        actors={a.id: {"name": a.name, "sector": a.sector} for a in situation.actors},
    )


def _natural(text: str) -> tuple[Any, ...]:
    """A key that orders numbered ids as people count: org-2 before org-10.

    >>> sorted(["org-10", "org-2", "org-1"], key=_natural)
    ['org-1', 'org-2', 'org-10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def _links_by_pair(situation: Situation) -> dict[tuple[str, str], list[dict[str, str]]]:
    """The situation's links as report data, grouped by (holder, target), in a stable order."""
    links: dict[tuple[str, str], list[dict[str, str]]] = {}
    for link in sorted(situation.help, key=lambda h: (h.holder, h.target, h.asset, h.purpose)):
        links.setdefault((link.holder, link.target), []).append(
            {
                "holder": link.holder,
                "asset": link.asset,
                "target": link.target,
                "purpose": link.purpose,
                "note": link.note or "",
            }
        )
    return links


def _candidate_deals(
    result: analyze.CaseAnalysis, links: dict[tuple[str, str], list[dict[str, str]]]
) -> list[dict[str, Any]]:
    """Every reciprocal pair (``pair``), every cycle of three or more in which no two members trade directly
    (``cycle``), then every other multi-party ring (``ring``): some members also trade directly, but at least one
    is repaid only around the ring (a ring would be lost otherwise as soon as two of its parties also have a
    bilateral deal). Each lists its links in the order help flows."""

    def steps(actors: tuple[str, ...]) -> list[dict[str, str]]:
        pairs = [(a, actors[(i + 1) % len(actors)]) for i, a in enumerate(actors)]
        return [link for pair in pairs for link in links[pair]]

    deals = [{"kind": "pair", "actors": list(p), "help": steps(p)} for p in result.reciprocal_pairs]
    deals += [{"kind": "cycle", "actors": list(c), "help": steps(c)} for c in result.cycles.cycles]
    pure = set(result.cycles.cycles)  # searched up to the report's own max_length (the multi-party search, to 5)
    return deals + [
        {"kind": "ring", "actors": list(c), "help": steps(c)} for c in result.multi_party_deals.cycles if c not in pure
    ]


def diagnose(situation: Situation, max_length: int = 6, max_count: int = 1000) -> dict[str, Any]:
    """Return the makeable deals, one-way dependences and likely conveners of a situation.

    The definitions are those of ``builder.analyze``:

    - ``candidate_deals``: every reciprocal pair, every cycle of three or more
      (no two members trading directly), then every other ring in which at
      least one step is repaid only around it (``analyze.multi_party_deals``).
      ``help`` lists the links step by step, in the order help flows around
      the deal.
    - ``one_way``: help with nothing flowing back, however indirectly; each
      needs ``remedy``; ``holder_purposes`` are what the helper wants, where
      something could flow back.
    - ``conveners``: actors whose departure would disconnect others
      (articulation points) and the actors with the highest betweenness, if
      above zero; sorted by betweenness (highest first), then id.
    - ``unconnected``: actors who neither give nor receive help.

    Returns
    -------
    dict
        ``{"title": str, "actors": {id: name}, "links": int,
        "candidate_deals": [{"kind": "pair" | "cycle" | "ring", "actors": [ids], "help": [link]}],
        "cycles_truncated": bool,
        "one_way": [{"holder", "target", "help": [link], "remedy": str,
        "holder_purposes": [{"id", "description"}]}],
        "conveners": [{"actor", "name", "betweenness": float, "articulation_point": bool}],
        "unconnected": [ids]}``, where a link is
        ``{"holder", "asset", "target", "purpose", "note"}`` (``note`` is ``""`` when not given).
    """
    G = situation_graph(situation)
    result = analyze.analyze_graph(G, max_length=max_length, max_count=max_count)
    links = _links_by_pair(situation)
    deals = _candidate_deals(result, links)
    wants = {
        a.id: [{"id": p.id, "description": p.description} for p in sorted(a.purposes, key=lambda p: p.id)]
        for a in situation.actors
    }
    one_way = [
        {
            "holder": d["holder"],
            "target": d["target"],
            "help": links[(d["holder"], d["target"])],
            "remedy": REMEDY,
            "holder_purposes": wants[d["holder"]],
        }
        for d in sorted(result.one_way_dependences, key=lambda d: (_natural(d["holder"]), _natural(d["target"])))
    ]
    betweenness = result.brokers["betweenness"]
    points = set(result.brokers["articulation_points"])
    top = max(betweenness.values(), default=0.0)
    chosen = points | ({a for a, b in betweenness.items() if b == top} if top > 0 else set())
    conveners = [
        {"actor": a, "name": result.names[a], "betweenness": betweenness[a], "articulation_point": a in points}
        for a in sorted(chosen, key=lambda a: (-betweenness[a], a))
    ]
    return {
        "title": situation.title,
        "actors": dict(sorted(result.names.items())),
        "links": len(situation.help),
        "candidate_deals": deals,
        "cycles_truncated": result.cycles.truncated or result.multi_party_deals.truncated,
        "one_way": one_way,
        "conveners": conveners,
        "unconnected": sorted(a for a in G if G.degree(a) == 0),
    }


def format_report(report: dict[str, Any]) -> str:
    """Return a ``diagnose`` report as plain text for the terminal, ending with a newline."""
    names = report["actors"]
    name = lambda a: names.get(a, a)  # noqa: E731

    def link_line(link: dict[str, str]) -> str:
        line = f"      {name(link['holder'])} [{link['asset']}] -> {name(link['target'])} [{link['purpose']}]"
        return line + (f": {link['note']}" if link["note"] else "")

    out = [f"Diagnosis: {report['title']}", f"{len(names)} actors, {report['links']} links of help.", ""]
    deals = report["candidate_deals"]
    more = " (the search stopped early; there are more)" if report["cycles_truncated"] else ""
    if deals:
        out.append(f"Candidate deals ({len(deals)}){more}: each party helps another and is helped in turn.")
        for i, deal in enumerate(deals, 1):
            if deal["kind"] == "pair":
                a, b = deal["actors"]
                out.append(f"  {i}. {name(a)} <-> {name(b)}")
            else:
                ring = " -> ".join(name(a) for a in [*deal["actors"], deal["actors"][0]])
                if deal["kind"] == "cycle":
                    out.append(f"  {i}. Cycle, all {len(deal['actors'])} needed: {ring}")
                else:  # a multi-party ring: some members also trade directly
                    out.append(f"  {i}. Ring of {len(deal['actors'])}, some also trading directly: {ring}")
            out.extend(link_line(link) for link in deal["help"])
    else:
        out.append("No candidate deals: no help flows back, directly or around a cycle.")
    out.append("")
    if report["one_way"]:
        out.append(f"One-way dependences: help with nothing flowing back; each needs {REMEDY}.")
        for d in report["one_way"]:
            out.append(f"  - {name(d['holder'])} -> {name(d['target'])}")
            out.extend(link_line(link) for link in d["help"])
            wanted = "; ".join(p["description"].rstrip(".") for p in d["holder_purposes"])
            out.append(f"      What could flow back? The purposes of {name(d['holder'])}: {wanted}.")
        out.append("")
    if report["conveners"]:
        out.append("Likely conveners: actors between the others.")
        for c in report["conveners"]:
            why = f"betweenness {c['betweenness']:.2f}"
            if c["articulation_point"]:
                why += "; without it some parties are cut off from the rest"
            out.append(f"  - {c['name']} ({why})")
        out.append("")
    if report["unconnected"]:
        out.append("Not yet connected to anyone: " + ", ".join(name(a) for a in report["unconnected"]) + ".")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
