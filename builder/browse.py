"""Browsing the casebook: the case index's facets, counts and rows, and the map of where cases are.

In: validated ``Case`` models and, per case id, ``{"pattern_codes": [...]}`` from the analysis. Out: the case
index :class:`~builder.templating.Page` (``case-index.html`` with ``browse-map.html``); its view data is plain dicts.

How the index filters (``docs/assets/javascripts/browse.js`` does it in the browser, from the same data):

- each facet is a set of checkboxes; values chosen in one facet widen the list (a case matches if it has **any** of
  them), facets narrow it (a case must match **every** facet with a choice);
- each value shows how many cases it would give with the other facets' choices applied (the usual faceted count);
- the choices live in the address as a query string (``?domain=water&domain=health&pattern=cycle``), the same
  names and values as the form, so a filtered list can be shared and survives a reload.

The facet data reaches the script as index lists in a ``data-json`` attribute (numbers only, small at 10,000 cases);
the table rows carry no data attributes. Without scripts the page is the plain full list.

Two facets are about level, and each means what its label says: **Scale of the effort** is the case's own ``scale``
(vocabulary ``scale``); **Level of government** is the ``level`` of the actors whose sector is ``government``, so a
case is "Regional" there only if a regional government body took part (a public enterprise, nonprofit or business
has a level too, but it is only the reach of its work, not a level of government).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from builder import geo
from builder.continents import continent
from builder.model import Case
from builder.render import country_name, pattern_title, sort_title, term, years_text
from builder.templating import Page, render_page
from builder.vocab import vocabulary

#: Above this many placed cases, the map draws one mark per neighbourhood of the map (with its count) instead of
#: one per case, so the page does not grow with the corpus.
MAX_MARKS = 300
#: The side of a neighbourhood of the map, in map units, when marks are grouped.
CELL = 24


class Facet:
    """One facet of the index: its key (the URL parameter), label and hint, how to read a case's values, how to
    order and title its options; :func:`index_facets` fills in ``options`` and each case's ``values``."""

    def __init__(self, key: str, label: str, get: Callable[[Case], list[str]], order, title, hint: str = ""):
        self.key, self.label, self.hint, self.get, self.order, self.title = key, label, hint, get, order, title
        self.options: list[str] = []
        #: Each case's values, in the order of the cases given to :func:`index_facets`.
        self.values: list[list[str]] = []


def _mechanisms(case: Case) -> list[str]:
    env = case.process.holding_environment
    return sorted({m.kind for m in env.mechanisms}) if env else []


def government_levels(case: Case) -> list[str]:
    """The levels of government at the table: the ``level`` of each actor whose sector is ``government``."""
    return sorted({a.level for a in case.actors if a.sector == "government"})


def decades(case: Case, last_year: int) -> list[str]:
    """The decades a case was active in, as ``1990s``; an ongoing case runs to ``last_year``.

    >>> from types import SimpleNamespace as N
    >>> decades(N(years=N(start=1995, end="ongoing")), 2026)
    ['1990s', '2000s', '2010s', '2020s']
    """
    end = last_year if case.years.end == "ongoing" else int(case.years.end)
    return [f"{d}s" for d in range(case.years.start // 10 * 10, max(end, case.years.start) + 1, 10)]


def _last_year(cases: list[Case]) -> int:
    """The newest year the corpus knows of (starts, ends, review dates): where ongoing cases end, deterministically."""
    years = [c.years.start for c in cases] + [c.years.end for c in cases if c.years.end != "ongoing"]
    years += [c.last_reviewed.year for c in cases if c.last_reviewed]
    return max(int(y) for y in years)


def _in_vocabulary_order(vocab: str) -> Callable[[set[str]], list[str]]:
    return lambda present: [code for code in vocabulary(vocab).codes if code in present]


def _vocab_title(vocab: str) -> Callable[[str], str]:
    return lambda code: term(vocab, code)


def _facet_specs(cases: list[Case], analyses: dict[str, dict[str, Any]]) -> list[Facet]:
    """Every facet the index can offer, in the order they are shown, before their options are known."""
    last = _last_year(cases) if cases else 2000
    return [
        Facet("domain", "Policy domain", lambda c: c.domains, sorted, _vocab_title("policy-domain")),
        Facet("continent", "Continent", lambda c: sorted({continent(k) for k in c.countries}), sorted, str),
        Facet("country", "Country", lambda c: c.countries, lambda p: sorted(p, key=country_name), country_name),
        Facet(
            "scale",
            "Scale of the effort",
            lambda c: [c.scale],
            _in_vocabulary_order("scale"),
            _vocab_title("scale"),
            "The reach of the effort as a whole.",
        ),
        Facet(
            "level",
            "Level of government",
            government_levels,
            _in_vocabulary_order("level"),
            _vocab_title("level"),
            "Cases where a government body at this level took part. Public enterprises, nonprofits and "
            "businesses are not counted: their level is only their reach.",
        ),
        Facet(
            "pattern",
            "Pattern",
            lambda c: analyses.get(c.id, {}).get("pattern_codes", []),
            sorted,
            pattern_title,
            "The patterns the analysis finds in the case's network.",
        ),
        Facet(
            "mechanism",
            "Holding mechanism",
            _mechanisms,
            sorted,
            _vocab_title("holding-mechanism"),
            "What held the parties together.",
        ),
        Facet(
            "concept",
            "Concept taught",
            lambda c: c.teaching.concepts,
            _in_vocabulary_order("concept"),
            _vocab_title("concept"),
            "Cases whose teaching notes use the concept.",
        ),
        Facet(
            "status",
            "Deal status",
            lambda c: [c.deal.status],
            _in_vocabulary_order("deal-status"),
            _vocab_title("deal-status"),
            "How far the deal got.",
        ),
        Facet("years", "Active in", lambda c: decades(c, last), sorted, str),
    ]


def index_facets(cases: list[Case], analyses: dict[str, dict[str, Any]]) -> list[Facet]:
    """The facets of the case index with their options and each case's values (read once per case and facet);
    facets with no values in the corpus are left out."""
    facets = _facet_specs(cases, analyses)
    for facet in facets:
        facet.values = [sorted(set(facet.get(c))) for c in cases]
        facet.options = facet.order({v for values in facet.values for v in values})
    return [f for f in facets if f.options]


def facet_rows(facets: list[Facet]) -> list[list[list[int]]]:
    """Each case's values as option indexes, facet by facet: ``rows[case][facet] == [option index, ...]``."""
    index = [{code: i for i, code in enumerate(f.options)} for f in facets]
    columns = [[[index[k][v] for v in values] for values in f.values] for k, f in enumerate(facets)]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def facet_counts(
    rows: list[list[list[int]]], chosen: list[set[int]], sizes: list[int] | None = None
) -> tuple[int, list[list[int]]]:
    """How many cases match ``chosen`` (one set of option indexes per facet, empty for no choice), and for each
    option how many cases it would give with the *other* facets' choices applied. Linear in the size of ``rows``.
    ``sizes`` is the number of options of each facet (by default, the largest index used plus one).

    >>> rows = [[[0], [0]], [[1], [0]], [[0, 1], [1]]]
    >>> facet_counts(rows, [{0}, set()])
    (2, [[2, 2], [1, 1]])
    """
    if sizes is None:
        sizes = [max((i for r in rows for i in r[k]), default=-1) + 1 for k in range(len(chosen))]
    counts = [[0] * n for n in sizes]
    shown = 0
    for row in rows:
        failed = [k for k, want in enumerate(chosen) if want and not want.intersection(row[k])]
        if not failed:
            shown += 1
        if len(failed) > 1:
            continue
        for k, values in enumerate(row):
            if not failed or failed == [k]:
                for i in values:
                    counts[k][i] += 1
    return shown, counts


def _row(case: Case) -> dict[str, str]:
    return {
        "id": case.id,
        "title": case.title,
        "tagline": case.tagline,
        "where": ", ".join(country_name(c) for c in case.countries),
        "when": years_text(case),
        "domains": ", ".join(term("policy-domain", d) for d in case.domains),
        "deal": term("deal-status", case.deal.status),
    }


def index_view(cases: list[Case], analyses: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The case index's view data: facets with options and counts, rows in title order, the map, the script's data."""
    ordered = sorted(cases, key=lambda c: sort_title(c.title))
    facets = index_facets(ordered, analyses or {})
    rows = facet_rows(facets)
    _, counts = facet_counts(rows, [set() for _ in facets], [len(f.options) for f in facets])
    the_map = map_view(ordered)
    return {
        "count": len(ordered),
        "facets": [
            {
                "key": f.key,
                "label": f.label,
                "hint": f.hint,
                "options": [
                    {"value": o, "title": f.title(o), "count": n} for o, n in zip(f.options, counts[k], strict=True)
                ],
            }
            for k, f in enumerate(facets)
        ],
        "rows": [_row(c) for c in ordered],
        "map": the_map,
        "data": {"rows": rows, "marks": the_map["row_marks"]},
    }


def _places(cases: list[Case]) -> list[tuple[float, float] | None]:
    """Each case's place on the map (see :func:`builder.geo.place`), computed once per distinct place."""
    seen: dict[tuple, tuple[float, float] | None] = {}
    out = []
    for case in cases:
        loc = case.location
        key = (tuple(case.countries), loc.latitude, loc.longitude) if loc else (tuple(case.countries), None, None)
        if key not in seen:
            seen[key] = geo.place(list(key[0]), key[1], key[2])
        out.append(seen[key])
    return out


def _marks(cases: list[Case], places: list[tuple[float, float] | None]) -> tuple[list[dict], list[int]]:
    """One mark per placed case, or per neighbourhood when there are many; and each case's mark index (-1: none)."""
    placed = [i for i, p in enumerate(places) if p]
    row_marks = [-1] * len(cases)
    if len(placed) <= MAX_MARKS:
        spread = geo.spread([places[i] for i in placed])
        marks = []
        for k, i in enumerate(placed):
            row_marks[i] = k
            x, y = spread[k]
            marks.append({"x": x, "y": y, "r": 7, "href": f"{cases[i].id}/", "title": cases[i].title, "n": 1})
        return marks, row_marks
    cells: dict[tuple[int, int], list[int]] = {}
    for i in placed:
        x, y = places[i]
        cells.setdefault((round(x / CELL), round(y / CELL)), []).append(i)
    marks = []
    for k, (_, members) in enumerate(sorted(cells.items())):
        top = Counter(code for i in members for code in cases[i].countries).most_common(1)[0][0]
        for i in members:
            row_marks[i] = k
        x = round(sum(places[i][0] for i in members) / len(members), 1)
        y = round(sum(places[i][1] for i in members) / len(members), 1)
        title = f"{len(members)} cases, most in {country_name(top)}"
        r = round(min(4 + len(members) ** 0.5, 16), 1)
        marks.append({"x": x, "y": y, "r": r, "href": f"?country={top}", "title": title, "n": len(members)})
    return marks, row_marks


def map_view(cases: list[Case]) -> dict[str, Any]:
    """The map of cases: every country's outline (those with cases shaded and linked to the index filtered by them),
    a mark per case at its ``location`` or its countries' centroid, and the cases that could not be placed.

    ``row_marks[i]`` is the index of the mark of ``cases[i]`` (-1 if it has none), for the script that dims marks.
    """
    per_country = Counter(code for c in cases for code in set(c.countries))
    world = geo.world()
    countries = [
        {
            "code": code,
            "title": f"{country_name(code)}: {n} case{'s' if n != 1 else ''}",
            "d": geo.path_data(world[code]),
        }
        for code, n in sorted(per_country.items())
        if code in world
    ]
    land = "".join(geo.path_data(polygons) for code, polygons in world.items() if code not in per_country)
    places = _places(cases)
    marks, row_marks = _marks(cases, places)
    return {
        "width": geo.WIDTH,
        "height": geo.HEIGHT,
        "land": land,
        "countries": countries,
        "marks": marks,
        "grouped": len(marks) < sum(1 for p in places if p),
        "unplaced": [{"href": f"{c.id}/", "title": c.title} for c, p in zip(cases, places, strict=True) if not p],
        "row_marks": row_marks,
    }


def render_index(cases: list[Case], analyses: dict[str, dict[str, Any]] | None = None) -> Page:
    """The case index: filters, a map and a table of every case. ``analyses`` maps case id to
    ``{"pattern_codes": [...]}``."""
    return render_page("case-index.html", "Cases", **index_view(cases, analyses))
