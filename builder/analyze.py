"""Interdependence analysis: the patterns of the memo, found in one case's graph.

Stage: analyze. In: validated ``builder.model.Case`` models (or graphs built
from plain tuples with ``graph_from_edges``). Out: plain data (dicts, lists,
tuples, str, int, float, bool) and frozen dataclasses whose ``to_dict()`` is
JSON-ready. This module must not read files, print, log or touch MkDocs: every
function is a pure function of its arguments, and every result comes in a
deterministic, sorted order, so that the same case gives the same answer
whatever order its actors and interdependencies were written in.

The graph
---------
``build_graph`` turns a case into a ``networkx.MultiDiGraph``: one node per
actor, one edge per interdependency, from the asset's holder to the actor whose
purpose it touches, keyed by the interdependency id.

Most patterns read the *helps-graph*: the simple directed graph on the same
actors with an edge u -> v when at least one interdependency of u helps a
purpose of v, and u != v. Parallel edges collapse into one, and self-loops (an
actor's own asset helping its own purpose) are dropped there: they are kept in
the multigraph and counted by ``metrics`` and ``what_if``, but can never be part
of a deal between actors.

Recognition
-----------
An interdependency is *seen by the deal* when its ``recognized`` stage is
``agreement`` or earlier. ``implementation``, ``hindsight`` and ``never`` all
come after the deal was agreed, so a deal that depends on such an edge could not
have been made knowingly: it was found late, or left on the table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, get_args

import networkx as nx

from builder.model import Case, DealStatus, RecognitionStage

__all__ = [
    "contributions",
    "internal",
    "CaseAnalysis",
    "CycleSearch",
    "DEAL_STATUSES",
    "LATE_STAGES",
    "PATTERNS",
    "RECOGNITION_STAGES",
    "analyze",
    "analyze_graph",
    "brokers",
    "build_graph",
    "conflicts",
    "cross_case",
    "cycles",
    "graph_from_edges",
    "latent_deals",
    "metrics",
    "multi_party_deals",
    "one_way_dependences",
    "pattern_counts",
    "recognition_curve",
    "recognition_timeline",
    "reciprocal_pairs",
    "summarize",
    "thompson",
    "what_if",
]

#: Recognition stages in the memo's order, then ``hindsight``, ``never`` and ``unknown`` (the sources do not say).
RECOGNITION_STAGES: tuple[str, ...] = get_args(RecognitionStage)
_STAGE_INDEX = {stage: i for i, stage in enumerate(RECOGNITION_STAGES)}
#: Stages after the deal was agreed: an edge first seen at one of these was not seen by the deal.
LATE_STAGES: frozenset[str] = frozenset(RECOGNITION_STAGES[_STAGE_INDEX["agreement"] + 1 :]) - {"unknown"}
#: The deal-status codes, the columns of the cross-case tables.
DEAL_STATUSES: tuple[str, ...] = get_args(DealStatus)
#: The pattern codes counted by ``cross_case``, in the order of the design.
PATTERNS: tuple[str, ...] = (
    "reciprocal-pair",
    "cycle",
    "multi-party-deal",
    "one-way-dependence",
    "pooled",
    "sequential",
    "reciprocal-group",
    "broker",
    "conflict",
    "mixed-pair",
    "latent-deal",
)

_NODE_DEFAULTS = {"short_name": None, "sector": None, "level": None}
_EDGE_DEFAULTS = {
    "asset": "",
    "asset_kind": "",
    "purpose": "",
    "recognized": "recognition",
    "recognized_by": (),
    "realized": False,
    "description": "",
    "bundle": "",
    "seen_on": "",
}


# --------------------------------------------------------------------------- graphs


def build_graph(case: Case) -> nx.MultiDiGraph:
    """Return the interdependence graph of a case.

    Parameters
    ----------
    case : Case
        A validated case.

    Returns
    -------
    nx.MultiDiGraph
        One node per actor id, with attributes ``name``, ``short_name``,
        ``sector``, ``level``, ``purposes``, ``kind``, ``part_of`` (an actor id or
        None) and ``members`` (a tuple of actor ids). One edge per interdependency, from ``holder``
        to ``target``, whose key is the interdependency id and whose attributes
        are ``asset``, ``asset_kind`` (the kind declared for that asset, or
        ``""`` if the asset is not declared), ``purpose``, ``effect``,
        ``recognized``, ``recognized_by`` (a tuple), ``realized``,
        ``description``, ``bundle`` (the id of its group of complements, or
        ``""``) and ``seen_on`` (the date of the timeline event at which it was
        first seen, or ``""``). Nodes are added in order of id and edges in order of
        (holder, target, id), so the graph does not depend on the file's order.

    Examples
    --------
    >>> from builder.model import Case
    >>> src = {"id": "s", "title": "S", "type": "report", "url": "https://example.org"}
    >>> def actor(id, asset):
    ...     return {"id": id, "name": id.title(), "sector": "government", "level": "local",
    ...             "mission": "m", "purposes": [{"id": "p", "description": "d"}],
    ...             "assets": [{"id": asset, "kind": "data", "description": "d"}]}
    >>> def link(id, holder, asset, target, recognized):
    ...     return {"id": id, "holder": holder, "asset": asset, "effect": "helps",
    ...             "target": target, "purpose": "p", "description": "d",
    ...             "recognized": recognized, "realized": True, "sources": ["s"]}
    >>> case = Case.model_validate({
    ...     "schema_version": 2, "id": "toy", "title": "Toy", "tagline": "t", "summary": "s", "countries": ["US"],
    ...     "years": {"start": 2000, "end": 2001}, "domains": ["public-safety"],
    ...     "scale": "local", "status": "draft", "sources": [src],
    ...     "actors": [actor("police", "arrests"), actor("clergy", "trust")],
    ...     "interdependencies": [link("t", "clergy", "trust", "police", "never"),
    ...                           link("a", "police", "arrests", "clergy", "recognition")],
    ...     "deal": {"forms": ["informal"], "status": "agreed", "joint_product": "j",
    ...              "sources": ["s"]}})
    >>> G = build_graph(case)
    >>> sorted(G.nodes)
    ['clergy', 'police']
    >>> sorted(G.edges(keys=True))
    [('clergy', 'police', 't'), ('police', 'clergy', 'a')]
    >>> G.edges["clergy", "police", "t"]["recognized"], G.nodes["police"]["name"]
    ('never', 'Police')
    """
    kinds = {(a.id, s.id): s.kind for a in case.actors for s in a.assets}
    events = {e.id: e.date for e in case.timeline}
    G = nx.MultiDiGraph()
    for a in sorted(case.actors, key=lambda a: a.id):
        G.add_node(
            a.id,
            name=a.name,
            short_name=a.short_name,
            sector=a.sector,
            level=a.level,
            purposes={p.id: p.description for p in a.purposes},
            kind=a.kind,
            part_of=a.part_of,
            members=tuple(a.members),
        )
    for i in sorted(case.interdependencies, key=lambda i: (i.holder, i.target, i.id)):
        G.add_edge(
            i.holder,
            i.target,
            key=i.id,
            asset=i.asset,
            asset_kind=kinds.get((i.holder, i.asset), ""),
            purpose=i.purpose,
            effect=i.effect,
            recognized=i.recognized,
            recognized_by=tuple(i.recognized_by),
            realized=i.realized,
            description=i.description,
            bundle=i.bundle or "",
            seen_on=events.get(i.seen_at or "", ""),
        )
    return G


def graph_from_edges(
    edges: Iterable[tuple], actors: Iterable[str] | Mapping[str, Mapping[str, Any]] = ()
) -> nx.MultiDiGraph:
    """Return an interdependence graph built from plain tuples, as ``build_graph`` would.

    Parameters
    ----------
    edges : iterable of tuple
        Each edge is ``(holder, target)``, ``(holder, target, effect)`` or
        ``(holder, target, effect, attrs)``. ``effect`` is ``"helps"`` (the
        default) or ``"hurts"``. ``attrs`` is a dict that may give ``id`` (the
        edge key) and any of ``asset``, ``asset_kind``, ``purpose``,
        ``recognized``, ``recognized_by``, ``realized``, ``description``,
        ``bundle``, ``seen_on``.
        Missing attributes default to ``""``, except ``recognized``
        (``"recognition"``), ``recognized_by`` (``()``) and ``realized``
        (``False``). Without an ``id`` the key is ``"holder>target"``, with
        ``#2``, ``#3``... added to repeats in the order given; give ids when
        parallel edges differ and order must not matter.
    actors : iterable of str, or mapping of str to dict, optional
        Actor ids, or actor id -> node attributes (``name``, ``short_name``,
        ``sector``, ``level``), for actors that should exist even without
        edges or that need attributes. ``name`` defaults to the id, the others
        to None.

    Returns
    -------
    nx.MultiDiGraph
        Nodes in order of id, edges in order of (holder, target, key).

    Raises
    ------
    ValueError
        If an effect, recognition stage or attribute name is unknown, or an id is repeated.

    Examples
    --------
    >>> G = graph_from_edges([("a", "b"), ("b", "a", "hurts", {"purpose": "p"}), ("a", "b")])
    >>> sorted(G.edges(keys=True, data="effect"))
    [('a', 'b', 'a>b', 'helps'), ('a', 'b', 'a>b#2', 'helps'), ('b', 'a', 'b>a', 'hurts')]
    >>> graph_from_edges([], actors={"x": {"sector": "nonprofit"}}).nodes["x"]
    {'short_name': None, 'sector': 'nonprofit', 'level': None, 'name': 'x'}
    """
    actor_attrs: dict[str, Mapping[str, Any]]
    if isinstance(actors, Mapping):
        actor_attrs = {a: dict(attrs) for a, attrs in actors.items()}
    else:
        actor_attrs = {a: {} for a in actors}
    rows = []
    repeats: Counter[str] = Counter()
    keys: set[str] = set()
    for edge in edges:
        holder, target, *rest = edge
        effect = rest[0] if rest else "helps"
        attrs = dict(rest[1]) if len(rest) > 1 else {}
        if effect not in ("helps", "hurts"):
            raise ValueError(f"effect must be 'helps' or 'hurts', not {effect!r}")
        key = attrs.pop("id", None)
        if key is None:
            base = f"{holder}>{target}"
            repeats[base] += 1
            key = base if repeats[base] == 1 else f"{base}#{repeats[base]}"
        if key in keys:
            raise ValueError(f"edge id {key!r} is given twice")
        keys.add(key)
        unknown = set(attrs) - set(_EDGE_DEFAULTS)
        if unknown:
            raise ValueError(f"unknown edge attributes {sorted(unknown)}; use {sorted(_EDGE_DEFAULTS)}")
        data = {**_EDGE_DEFAULTS, **attrs, "effect": effect}
        if data["recognized"] not in _STAGE_INDEX:
            raise ValueError(f"unknown recognition stage {data['recognized']!r}; use {list(RECOGNITION_STAGES)}")
        data["recognized_by"] = tuple(data["recognized_by"])
        rows.append((holder, target, key, data))
    G = nx.MultiDiGraph()
    nodes = set(actor_attrs) | {r[0] for r in rows} | {r[1] for r in rows}
    for node in sorted(nodes):
        G.add_node(node, **{**_NODE_DEFAULTS, "name": node, **actor_attrs.get(node, {})})
    for holder, target, key, data in sorted(rows, key=lambda r: r[:3]):
        G.add_edge(holder, target, key=key, **data)
    return G


def _edges(G: nx.MultiDiGraph, effect: str | None = None) -> list[tuple[str, str, str, dict]]:
    """(holder, target, key, data) of every edge, or of one effect, sorted by (holder, target, key)."""
    return sorted(
        (e for e in G.edges(keys=True, data=True) if effect is None or e[3]["effect"] == effect),
        key=lambda e: e[:3],
    )


def _helps_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The helps-graph: u -> v when some helps-edge goes from u to v, u != v; built in sorted order."""
    H = nx.DiGraph()
    H.add_nodes_from(sorted(G))
    H.add_edges_from(sorted({(u, v) for u, v, _, _ in _edges(G, "helps") if u != v}))
    return H


def _components(H: nx.DiGraph) -> dict[str, int]:
    """Actor id -> index of its strongly connected component in H."""
    return {v: i for i, comp in enumerate(nx.strongly_connected_components(H)) for v in comp}


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


# --------------------------------------------------------------------------- deals


def reciprocal_pairs(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """Return the reciprocal pairs: bilateral makeable deals.

    A reciprocal pair is a set {a, b} of two different actors such that some
    interdependency of a helps a purpose of b and some interdependency of b
    helps a purpose of a. Hurts-edges and self-loops never count.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    list of (str, str)
        Each pair as (a, b) with a < b, sorted.

    Examples
    --------
    >>> G = graph_from_edges([("b", "a"), ("a", "b"), ("a", "c"), ("c", "a", "hurts"), ("d", "d")])
    >>> reciprocal_pairs(G)
    [('a', 'b')]
    """
    H = _helps_graph(G)
    return sorted((u, v) for u, v in H.edges if u < v and H.has_edge(v, u))


@dataclass(frozen=True)
class CycleSearch:
    """The result of ``cycles``: the cycles found and whether the search was cut short.

    Attributes
    ----------
    cycles : tuple of tuple of str
        Each cycle as its actors in the order help flows, starting at the
        smallest id; sorted by length, then by the actors' ids.
    truncated : bool
        True exactly when more than ``max_count`` cycles qualify, so that
        ``cycles`` holds only the first ``max_count`` of them.
    max_length, max_count : int
        The bounds the search used.
    """

    cycles: tuple[tuple[str, ...], ...]
    truncated: bool
    max_length: int
    max_count: int


def cycles(G: nx.MultiDiGraph, max_length: int = 6, max_count: int = 1000, max_steps: int = 200_000) -> CycleSearch:
    """Return the cycles of help among three or more actors with no reciprocal pair inside.

    A cycle is a simple cycle c0 -> c1 -> ... -> c(k-1) -> c0 of the
    helps-graph (parallel edges collapsed, self-loops dropped) with
    3 <= k <= ``max_length`` actors, such that **no two members of the cycle
    form a reciprocal pair** (see ``reciprocal_pairs``), whether or not they
    are neighbours in the cycle. Such a deal works only with all k parties at
    the table, as in kidney exchange chains; a ring that contains a bilateral
    deal is not reported, because part of it can be had between two parties.

    The search is bounded: cycles are taken shortest first, then in order of
    their actors' ids, and the search stops once more than ``max_count`` are
    found, or after ``max_steps`` extensions of a path, whichever comes first
    (the work as well as the output is bounded, whatever the graph). Paths are
    pruned as soon as they hold a reciprocal pair or cannot close within
    ``max_length``, so dense graphs stay fast.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.
    max_length : int, optional
        The most actors in a reported cycle (default 6).
    max_count : int, optional
        The most cycles reported (default 1000).
    max_steps : int, optional
        The most path extensions tried (default 200,000: well under a second).

    Returns
    -------
    CycleSearch
        ``cycles`` in canonical rotation (starting at the smallest id), sorted
        by (length, ids), and ``truncated``, True when more cycles qualify or
        the search stopped at ``max_steps`` before it was complete.

    Raises
    ------
    ValueError
        If ``max_count`` is negative.

    Examples
    --------
    A ring of three, and a ring of four that holds a reciprocal pair (x, y):

    >>> G = graph_from_edges([("c", "a"), ("a", "b"), ("b", "c"),
    ...                       ("w", "x"), ("x", "y"), ("y", "x"), ("y", "z"), ("z", "w")])
    >>> cycles(G)
    CycleSearch(cycles=(('a', 'b', 'c'),), truncated=False, max_length=6, max_count=1000)
    >>> cycles(G, max_count=0).truncated
    True
    >>> cycles(G, max_steps=1).truncated
    True
    """
    if max_count < 0:
        raise ValueError("max_count must be 0 or more")
    found, truncated = _rings(_helps_graph(G), max_length, max_count, max_steps, pure=True)
    return CycleSearch(found, truncated, max_length, max_count)


def _rings(
    H: nx.DiGraph, max_length: int, max_count: int, max_steps: int, pure: bool
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Simple rings of 3 to ``max_length`` actors of the helps-graph ``H``, shortest first, then by ids.

    With ``pure``, no two members of a ring may be a reciprocal pair (``cycles``); otherwise a ring is kept when
    at least one of its steps is not repaid directly (``multi_party_deals``). Returns the rings (at most
    ``max_count``, in canonical rotation) and whether the search stopped early (more rings, or ``max_steps``
    path extensions spent).
    """
    nodes = list(H)  # sorted by _helps_graph
    succ = {v: sorted(H.succ[v]) for v in nodes}
    recip = {v: frozenset(w for w in H.succ[v] if H.has_edge(w, v)) for v in nodes}
    limit = max_count + 1
    found: list[tuple[str, ...]] = []
    if max_length < 3:
        return (), False

    # dist[s][v]: fewest steps from v back to s through actors > s (and, in a pure search, not reciprocal
    # with s). A lower bound on what any valid path needs, so a path that cannot close in time is dropped.
    dist: dict[str, dict[str, int]] = {}
    for s in nodes:
        d = {s: 0}
        frontier, step = [s], 0
        while frontier and step < max_length - 1:
            step += 1
            nxt = []
            for v in frontier:
                for u in H.pred[v]:
                    if u > s and u not in d and not (pure and u in recip[s]):
                        d[u] = step
                        nxt.append(u)
            frontier = nxt
        dist[s] = d

    budget = [max_steps]

    def one_way_step(ring: list[str]) -> bool:
        return any(ring[i] not in recip[ring[(i + 1) % len(ring)]] for i in range(len(ring)))

    def extend(s: str, path: list[str], on_path: set[str], length: int) -> bool:
        """Grow path to exactly `length` actors; True once enough rings are found or the budget is spent."""
        budget[0] -= 1
        if budget[0] < 0:
            return True
        v = path[-1]
        if len(path) == length:
            if dist[s].get(v) == 1 and (pure or one_way_step(path)):
                found.append(tuple(path))
            return len(found) >= limit
        for w in succ[v]:
            dw = dist[s].get(w)
            if dw is None or w in on_path or len(path) + dw > length:
                continue
            if pure and not recip[w].isdisjoint(on_path):
                continue
            path.append(w)
            on_path.add(w)
            done = extend(s, path, on_path, length)
            path.pop()
            on_path.discard(w)
            if done:
                return True
        return False

    done = False
    for length in range(3, max_length + 1):
        for s in nodes:
            if len(dist[s]) >= length and extend(s, [s], {s}, length):
                done = True
                break
        if done:
            break
    return tuple(found[:max_count]), len(found) > max_count or budget[0] < 0


def multi_party_deals(
    G: nx.MultiDiGraph, max_length: int = 5, max_count: int = 1000, max_steps: int = 200_000
) -> CycleSearch:
    """Return the multi-party deals: rings of help that close only through three or more parties.

    A multi-party deal is a simple ring c0 -> c1 -> ... -> c(k-1) -> c0 of the
    helps-graph (parallel edges collapsed, self-loops dropped) with
    3 <= k <= ``max_length`` actors in which **at least one step is not repaid
    directly**: for some step ci -> c(i+1), c(i+1) does not help ci. That party
    is repaid only through the others, so the deal needs them all at the table.
    Members may also trade directly on other steps; a ring whose every step is
    repaid directly is a chain of bilateral deals and is not reported.

    This widens ``cycles``, which keeps only rings in which no two members trade
    directly, and which therefore misses a three-way deal as soon as two of its
    parties also have a bilateral one. Motivating example: police help clergy
    (protection), clergy help streetworkers (legitimacy), streetworkers help
    police (intelligence), and police and streetworkers also help each other
    directly. The clergy get nothing back from the streetworkers, nor the
    police from the clergy, except around the ring.

    The search is bounded as in ``cycles`` (shortest first, then by ids;
    ``max_count`` rings, ``max_steps`` path extensions).

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.
    max_length, max_count, max_steps : int, optional
        The most actors in a ring (default 5), rings reported (1000) and path extensions tried (200,000).

    Returns
    -------
    CycleSearch
        Rings in canonical rotation, and ``truncated`` when the search stopped early.

    Examples
    --------
    >>> G = graph_from_edges([("police", "clergy"), ("clergy", "streetworkers"), ("streetworkers", "police"),
    ...                       ("police", "streetworkers")])
    >>> multi_party_deals(G).cycles, cycles(G).cycles
    ((('clergy', 'streetworkers', 'police'),), ())
    >>> multi_party_deals(graph_from_edges([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"),
    ...                                     ("c", "a"), ("a", "c")])).cycles  # every step repaid directly
    ()
    """
    if max_count < 0:
        raise ValueError("max_count must be 0 or more")
    found, truncated = _rings(_helps_graph(G), max_length, max_count, max_steps, pure=False)
    return CycleSearch(found, truncated, max_length, max_count)


def one_way_dependences(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return the one-way dependences: help that no help, however indirect, repays.

    A helps-edge from A to B (A != B) is one-way when no path of helps-edges
    leads from B back to A; equivalently, A and B lie in different strongly
    connected components of the helps-graph. Such help needs a side payment,
    authority, or an appeal to shared public value. Help between an actor and
    one that contains it (see ``internal``: a unit and its parent organization,
    a coalition and its member) is not an exchange and is left out.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    list of dict
        One dict per (holder, target) pair with one-way help:
        ``{"holder": str, "target": str, "interdependencies": [ids]}``,
        sorted by (holder, target), ids sorted.

    Examples
    --------
    ``a`` and ``b`` help each other; ``b`` helps ``c`` twice; ``c`` helps no one back:

    >>> G = graph_from_edges([("a", "b"), ("b", "a"), ("b", "c"), ("b", "c"), ("c", "a", "hurts")])
    >>> one_way_dependences(G)
    [{'holder': 'b', 'target': 'c', 'interdependencies': ['b>c', 'b>c#2']}]

    When ``c`` is a unit of ``b``, the same help is internal:

    >>> G.nodes["c"]["part_of"] = "b"
    >>> one_way_dependences(G)
    []
    """
    comp = _components(_helps_graph(G))
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u, v, key, _ in _edges(G, "helps"):
        if u != v and comp[u] != comp[v] and not internal(G, u, v):
            grouped[(u, v)].append(key)
    return [{"holder": u, "target": v, "interdependencies": sorted(keys)} for (u, v), keys in sorted(grouped.items())]


def internal(G: nx.MultiDiGraph, u: str, v: str) -> bool:
    """Return whether one of two actors contains the other, so that help between them is internal.

    ``inner`` is inside ``outer`` when following ``part_of`` from ``inner`` (a unit to its
    organization, a person to the organization they act for, and so on up) reaches ``outer``, or
    when ``inner``, or an actor it is part of, is one of the ``members`` of the coalition
    ``outer``. Two units of the same organization do not contain each other.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph whose nodes may have ``part_of`` (an actor id) and ``members`` (actor ids).
    u, v : str
        Actor ids.

    Returns
    -------
    bool

    Examples
    --------
    >>> G = graph_from_edges([], actors={"city": {}, "police": {"part_of": "city"},
    ...                                  "gang-unit": {"part_of": "police"}, "parks": {"part_of": "city"},
    ...                                  "funders": {"members": ("trust",)}, "trust": {}})
    >>> internal(G, "gang-unit", "city"), internal(G, "city", "police"), internal(G, "police", "parks")
    (True, True, False)
    >>> internal(G, "trust", "funders")
    True
    """

    def chain(node: str) -> list[str]:
        out: list[str] = []
        while node in G and node not in out:
            out.append(node)
            node = G.nodes[node].get("part_of")
        return out

    for inner, outer in ((u, v), (v, u)):
        up = chain(inner)
        if outer in up[1:] or set(up) & set(G.nodes[outer].get("members") or ()):
            return True
    return False


def thompson(G: nx.MultiDiGraph) -> dict[str, list]:
    """Return Thompson's (1967) pooled, sequential and reciprocal interdependence.

    The rules, on helps-edges only:

    - **pooled**: a purpose (target, purpose) that three or more distinct
      contributions feed, not counting the target's own help. A contribution is
      one holder's help, or a bundle of complements (see ``contributions``),
      which counts once however many holders it joins.
    - **sequential**: a chain (A, B, C) of three distinct actors with
      helps-edges A -> B and B -> C where no helps-path leads from C back to
      A (equivalently, A and C lie in different strongly connected components
      of the helps-graph): what A gives B lets B help C, and nothing returns.
    - **reciprocal**: a strongly connected component of the helps-graph with
      two or more actors, in which help can flow from each actor to every other.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        ``{"pooled": [{"target", "purpose", "holders": [ids]}],
        "sequential": [(a, b, c)], "reciprocal": [[ids]]}``, each list sorted
        and each group's ids sorted.

    Examples
    --------
    >>> G = graph_from_edges([(h, "t", "helps", {"purpose": "p"}) for h in "abc"]
    ...                      + [("t", "u"), ("u", "t"), ("u", "v")])
    >>> result = thompson(G)
    >>> result["pooled"]
    [{'target': 't', 'purpose': 'p', 'holders': ['a', 'b', 'c']}]
    >>> result["sequential"][:3]
    [('a', 't', 'u'), ('b', 't', 'u'), ('c', 't', 'u')]
    >>> result["reciprocal"]
    [['t', 'u']]
    """
    H = _helps_graph(G)
    comp = _components(H)
    pooled = []
    for (t, p), parts in sorted(contributions(G).items()):
        parts = [part - {t} for part in parts if part - {t}]
        if len(parts) >= 3:
            pooled.append({"target": t, "purpose": p, "holders": sorted(set().union(*parts))})
    sequential = sorted((a, b, c) for b in H for a in H.pred[b] for c in H.succ[b] if a != c and comp[a] != comp[c])
    reciprocal = sorted(sorted(c) for c in nx.strongly_connected_components(H) if len(c) >= 2)
    return {"pooled": pooled, "sequential": sequential, "reciprocal": reciprocal}


def brokers(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Return the brokers: actors whose position connects otherwise separate parties.

    Both measures use the undirected projection: an undirected edge between
    two different actors when any interdependency, helps or hurts, joins them
    in either direction.

    - **articulation points**: actors whose removal leaves some pair of
      other actors, connected before, with no path between them.
    - **betweenness**: normalized betweenness centrality (exact, not
      sampled, so deterministic), rounded to 4 decimals.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        ``{"articulation_points": [ids], "betweenness": {id: float}}``, ids
        sorted; every actor appears in ``betweenness``.

    Examples
    --------
    >>> G = graph_from_edges([("a", "b"), ("c", "b", "hurts"), ("d", "e")])
    >>> brokers(G)
    {'articulation_points': ['b'], 'betweenness': {'a': 0.0, 'b': 0.1667, 'c': 0.0, 'd': 0.0, 'e': 0.0}}
    """
    U = nx.Graph()
    U.add_nodes_from(sorted(G))
    U.add_edges_from(sorted({(min(u, v), max(u, v)) for u, v in G.edges() if u != v}))
    centrality = nx.betweenness_centrality(U, normalized=True)
    return {
        "articulation_points": sorted(nx.articulation_points(U)),
        "betweenness": {v: round(centrality[v], 4) for v in sorted(U)},
    }


def cut_off_by(G: nx.MultiDiGraph, broker: str) -> list[str]:
    """Return the actors that ``broker``'s removal would cut off from the rest of the network, sorted.

    On the undirected projection of ``brokers``: the actors outside the largest connected component that is left
    once ``broker`` is removed (of two components the same size, the one holding the first actor id stays).
    Empty when ``broker`` is not an articulation point.

    Examples
    --------
    >>> G = graph_from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "d")])
    >>> cut_off_by(G, "c"), cut_off_by(G, "d"), cut_off_by(G, "a")
    (['d', 'e'], ['e'], [])
    """
    U = nx.Graph()
    U.add_nodes_from(v for v in G if v != broker)
    U.add_edges_from((u, v) for u, v in G.edges() if broker not in (u, v) and u != v)
    parts = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c)))
    return sorted(v for part in parts[1:] for v in part)


def conflicts(G: nx.MultiDiGraph) -> dict[str, list]:
    """Return the conflicts: hurts-edges, and mixed pairs.

    - **hurts**: every interdependency whose effect is ``hurts``.
    - **mixed pairs**: sets {a, b} of two different actors where one direction
      has a helps-edge and the other a hurts-edge (a helps b and b hurts a,
      or a hurts b and b helps a).

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        ``{"hurts": [{"id", "holder", "asset", "target", "purpose"}],
        "mixed_pairs": [(a, b)]}``; hurts sorted by (holder, target, id),
        pairs as (a, b) with a < b, sorted.

    Examples
    --------
    >>> G = graph_from_edges([("b", "a", "hurts", {"id": "h", "purpose": "p"}), ("a", "b")])
    >>> conflicts(G)
    {'hurts': [{'id': 'h', 'holder': 'b', 'asset': '', 'target': 'a', 'purpose': 'p'}], 'mixed_pairs': [('a', 'b')]}
    """
    hurts = _edges(G, "hurts")
    helps = {(u, v) for u, v, _, _ in _edges(G, "helps") if u != v}
    mixed = {(min(u, v), max(u, v)) for u, v, _, _ in hurts if u != v and (v, u) in helps}
    return {
        "hurts": [
            {"id": k, "holder": u, "asset": d["asset"], "target": v, "purpose": d["purpose"]} for u, v, k, d in hurts
        ],
        "mixed_pairs": sorted(mixed),
    }


def latent_deals(G: nx.MultiDiGraph, max_length: int = 6, max_count: int = 1000) -> list[dict[str, Any]]:
    """Return the latent deals: makeable deals not seen by the time of agreement.

    A deal is a reciprocal pair (a, b), with steps a -> b and b -> a, or a
    cycle from ``cycles(G, max_length, max_count)``, with one step per
    consecutive pair of members. A step is seen at the earliest recognition
    stage of its helps-edges; the deal is seen at the latest stage of its
    steps. The deal is **latent** when that stage is in ``LATE_STAGES``
    (``implementation``, ``hindsight`` or ``never``): at least one step had
    no helps-edge recognized by ``agreement``. The edges that make it latent
    are all helps-edges of such steps.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.
    max_length, max_count : int, optional
        Passed to ``cycles``.

    Returns
    -------
    list of dict
        ``{"kind": "pair" | "cycle", "actors": (ids), "recognized": stage,
        "unseen": [{"id", "holder", "target", "recognized"}]}``; pairs first
        in the order of ``reciprocal_pairs``, then cycles in the order of
        ``cycles``; unseen edges sorted by (holder, target, id).

    Examples
    --------
    ``a`` and ``b`` each help the other, but only one direction was ever seen;
    the second ``a -> b`` edge, seen early, makes that step seen:

    >>> G = graph_from_edges([
    ...     ("a", "b", "helps", {"id": "ab", "recognized": "recognition"}),
    ...     ("b", "a", "helps", {"id": "ba", "recognized": "never"}),
    ...     ("a", "b", "helps", {"id": "ab2", "recognized": "hindsight"})])
    >>> latent_deals(G)  # doctest: +NORMALIZE_WHITESPACE
    [{'kind': 'pair', 'actors': ('a', 'b'), 'recognized': 'never',
      'unseen': [{'id': 'ba', 'holder': 'b', 'target': 'a', 'recognized': 'never'}]}]
    """
    by_step: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for u, v, key, data in _edges(G, "helps"):
        by_step[(u, v)].append((key, data["recognized"]))

    unknown = _STAGE_INDEX["unknown"]

    def step_stage(step: tuple[str, str]) -> int:
        """When a step was first seen: its earliest known edge. A step whose known edges are all late but that
        also has an edge of unknown recognition may have been seen through that edge: it counts as unknown."""
        stages = [_STAGE_INDEX[stage] for _, stage in by_step[step]]
        known = [i for i in stages if i != unknown]
        if not known or (RECOGNITION_STAGES[min(known)] in LATE_STAGES and len(known) < len(stages)):
            return unknown
        return min(known)

    deals = [("pair", pair, [pair, pair[::-1]]) for pair in reciprocal_pairs(G)]
    for cycle in cycles(G, max_length, max_count).cycles:
        deals.append(("cycle", cycle, [(c, cycle[(i + 1) % len(cycle)]) for i, c in enumerate(cycle)]))
    result = []
    for kind, actors, steps in deals:
        # A step whose every edge is `unknown` tells nothing either way; the deal is judged by the others.
        known = [i for i in (step_stage(s) for s in steps) if i != unknown]
        if not known:
            continue
        stage = RECOGNITION_STAGES[max(known)]
        if stage not in LATE_STAGES:
            continue
        unseen = sorted(
            (u, v, key, rec)
            for u, v in steps
            if RECOGNITION_STAGES[step_stage((u, v))] in LATE_STAGES
            for key, rec in by_step[(u, v)]
        )
        result.append(
            {
                "kind": kind,
                "actors": tuple(actors),
                "recognized": stage,
                "unseen": [{"id": k, "holder": u, "target": v, "recognized": r} for u, v, k, r in unseen],
            }
        )
    return result


# --------------------------------------------------------------------------- measures


def recognition_curve(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Return the share of interdependencies recognized by each stage, cumulatively.

    Over all interdependencies (helps and hurts, self-loops included): for
    each stage from ``recognition`` to ``hindsight``, the number and share
    first recognized at that stage or an earlier one; the number and share
    never recognized, and of those whose recognition the sources leave
    ``unknown`` (in no stage's count); of the links that help (``helps``), the
    number and share put to use by the deal (``realized`` is True) and only in
    part (``"partly"``; ``"unknown"`` counts in neither); and of the links that
    hurt, how many harms were done under the deal, fully or in part
    (``harms_done``: for a hurt, ``realized`` means the harm happened). Shares
    are rounded to 4 decimals and are 0.0 when there is nothing to share.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        ``{"total": int, "stages": [{"stage", "count", "share"}],
        "never": {"count", "share"}, "unknown": {"count", "share"},
        "helps": int, "realized": {"count", "share"}, "partly_realized": {"count", "share"},
        "harms_done": {"count", "partly"}}``;
        ``stages`` in the order of ``RECOGNITION_STAGES``, without ``never`` and ``unknown``.

    Examples
    --------
    >>> G = graph_from_edges([("a", "b", "helps", {"recognized": "recognition", "realized": True}),
    ...                       ("b", "a", "hurts", {"recognized": "agreement"}),
    ...                       ("b", "c", "helps", {"recognized": "never"})])
    >>> curve = recognition_curve(G)
    >>> [(s["stage"], s["count"]) for s in curve["stages"]][::5]
    [('recognition', 1), ('agreement', 2)]
    >>> curve["never"], curve["realized"], curve["harms_done"]
    ({'count': 1, 'share': 0.3333}, {'count': 1, 'share': 0.5}, {'count': 0, 'partly': 0})
    """
    data = [d for _, _, _, d in _edges(G)]
    total = len(data)
    counts = Counter(d["recognized"] for d in data)
    stages, running = [], 0
    for stage in RECOGNITION_STAGES:
        if stage in ("never", "unknown"):
            continue
        running += counts[stage]
        stages.append({"stage": stage, "count": running, "share": _share(running, total)})
    helps = [d for d in data if d.get("effect", "helps") == "helps"]
    realized = sum(1 for d in helps if d["realized"] is True)
    partly = sum(1 for d in helps if d["realized"] == "partly")
    harms = [d for d in data if d.get("effect") == "hurts"]
    return {
        "total": total,
        "stages": stages,
        "never": {"count": counts["never"], "share": _share(counts["never"], total)},
        "unknown": {"count": counts["unknown"], "share": _share(counts["unknown"], total)},
        "helps": len(helps),
        "realized": {"count": realized, "share": _share(realized, len(helps))},
        "partly_realized": {"count": partly, "share": _share(partly, len(helps))},
        "harms_done": {
            "count": sum(1 for d in harms if d["realized"] is True),
            "partly": sum(1 for d in harms if d["realized"] == "partly"),
        },
    }


def contributions(G: nx.MultiDiGraph) -> dict[tuple[str, str], list[frozenset[str]]]:
    """Return, for each purpose that helps-edges feed, the distinct contributions to it.

    A contribution is the set of holders whose assets help together: a single holder for help that works
    alone, or all the holders of a **bundle** (interdependencies that share a ``bundle`` id: complements
    that help only together, such as deterrence and a way out). Self-loops count, as the target's own help.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        (target, purpose) -> sorted list of frozensets of holder ids.

    Examples
    --------
    >>> G = graph_from_edges([("police", "gangs", "helps", {"purpose": "safety", "bundle": "b"}),
    ...                       ("streetworkers", "gangs", "helps", {"purpose": "safety", "bundle": "b"}),
    ...                       ("clergy", "gangs", "helps", {"purpose": "safety"})])
    >>> [sorted(part) for part in contributions(G)[("gangs", "safety")]]
    [['clergy'], ['police', 'streetworkers']]
    """
    parts: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    bundles: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for u, v, _, data in _edges(G, "helps"):
        if data.get("bundle"):
            bundles[(v, data["purpose"], data["bundle"])].add(u)
        else:
            parts[(v, data["purpose"])].add(frozenset({u}))
    for (v, purpose, _), holders in bundles.items():
        parts[(v, purpose)].add(frozenset(holders))
    return {key: sorted(value, key=sorted) for key, value in sorted(parts.items())}


def recognition_timeline(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return how many interdependencies the parties had seen by each dated event, cumulatively.

    Only interdependencies whose first sighting the case dates (``seen_on``, from the timeline event named in
    ``seen_at``) count; the others are left out rather than guessed. One row per distinct date, in date order
    (partial ISO dates sort correctly as text), with the count seen on or before it.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    list of dict
        ``[{"date": str, "count": int, "ids": [edge ids first seen on that date]}]``.

    Examples
    --------
    >>> G = graph_from_edges([("a", "b", "helps", {"id": "x", "seen_on": "1996-05"}),
    ...                       ("b", "a", "helps", {"id": "y", "seen_on": "1995"}),
    ...                       ("b", "c", "helps", {"id": "z"})])
    >>> recognition_timeline(G)
    [{'date': '1995', 'count': 1, 'ids': ['y']}, {'date': '1996-05', 'count': 2, 'ids': ['x']}]
    """
    by_date: dict[str, list[str]] = defaultdict(list)
    for _, _, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        if data.get("seen_on"):
            by_date[data["seen_on"]].append(key)
    out, running = [], 0
    for date in sorted(by_date):
        running += len(by_date[date])
        out.append({"date": date, "count": running, "ids": by_date[date]})
    return out


def what_if(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, str]]]:
    """Return, for each actor, the other actors' purposes left with no help if it walks away.

    A purpose (target, purpose) of an actor other than X is lost when X
    leaves if it has at least one helps-edge and every contribution to it (see
    ``contributions``) needs X: X's own help, or a bundle of complements that
    holds an asset of X, since none of a bundle helps alone. Helps-edges from
    the target itself count as help, so a purpose the target also serves with
    its own assets is never lost.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        Every actor id (sorted) -> sorted list of (target, purpose).

    Examples
    --------
    >>> G = graph_from_edges([("a", "b", "helps", {"purpose": "p"}),
    ...                       ("a", "c", "helps", {"purpose": "q"}),
    ...                       ("c", "c", "helps", {"purpose": "q"})])
    >>> what_if(G)
    {'a': [('b', 'p')], 'b': [], 'c': []}
    """
    result: dict[str, list[tuple[str, str]]] = {a: [] for a in sorted(G)}
    for (target, purpose), parts in sorted(contributions(G).items()):
        # X takes the purpose's help with it when every contribution needs X.
        for holder in sorted(frozenset.intersection(*parts) - {target}):
            result[holder].append((target, purpose))
    return result


def metrics(case: Case | None = None, G: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """Return the size and shape of a case's network of interdependence.

    Every figure is read from the graph; ``case`` is only used to build it
    when ``G`` is not given.

    - ``actors``, ``interdependencies``, ``helps``, ``hurts``: counts.
    - ``sectors``, ``levels``: actors per sector and per level (actors with
      none are left out).
    - ``reciprocity``: the share of helps-edges between two different actors
      that join a reciprocal pair (parallel edges each count).
    - ``density``: the density of the simple directed graph of all
      interdependencies (helps or hurts, parallel edges collapsed, self-loops
      dropped): edges / (n (n - 1)), 0.0 with fewer than two actors.
    - ``recognized_by_agreement``: the share of all interdependencies first
      recognized at ``agreement`` or an earlier stage.
    - ``realized``: the share of the links that help put to use by the deal (for a link that hurts, realized
      means the harm was done, which is not a deal's use of it).

    Shares are rounded to 4 decimals and are 0.0 when nothing is counted.

    Parameters
    ----------
    case : Case, optional
        The case; needed only when ``G`` is None.
    G : nx.MultiDiGraph, optional
        Graph from ``build_graph`` or ``graph_from_edges``.

    Returns
    -------
    dict
        The figures above; ``sectors`` and ``levels`` sorted by code.

    Examples
    --------
    >>> G = graph_from_edges([("a", "b", "helps", {"realized": True}), ("b", "a"), ("b", "c"),
    ...                       ("c", "b", "hurts")], actors={"a": {"sector": "nonprofit"}})
    >>> m = metrics(G=G)
    >>> m["reciprocity"], m["density"], m["realized"], m["sectors"]
    (0.6667, 0.6667, 0.3333, {'nonprofit': 1})
    """
    if G is None:
        if case is None:
            raise ValueError("give a case or a graph")
        G = build_graph(case)
    edges = _edges(G)
    helps = [(u, v) for u, v, _, d in edges if d["effect"] == "helps" and u != v]
    pairs = set(reciprocal_pairs(G))
    in_pairs = sum(1 for u, v in helps if (min(u, v), max(u, v)) in pairs)
    D = nx.DiGraph()
    D.add_nodes_from(G)
    D.add_edges_from((u, v) for u, v, _, _ in edges if u != v)
    n = D.number_of_nodes()
    seen = sum(1 for *_, d in edges if d["recognized"] not in LATE_STAGES)
    return {
        "actors": n,
        "sectors": dict(sorted(Counter(s for _, s in G.nodes(data="sector") if s is not None).items())),
        "levels": dict(sorted(Counter(s for _, s in G.nodes(data="level") if s is not None).items())),
        "interdependencies": len(edges),
        "helps": sum(1 for *_, d in edges if d["effect"] == "helps"),
        "hurts": sum(1 for *_, d in edges if d["effect"] == "hurts"),
        "reciprocity": _share(in_pairs, len(helps)),
        "density": _share(D.number_of_edges(), n * (n - 1)),
        "recognized_by_agreement": _share(seen, len(edges)),
        "realized": _share(
            sum(1 for *_, d in edges if d["effect"] == "helps" and d["realized"] is True),
            sum(1 for *_, d in edges if d["effect"] == "helps"),
        ),
    }


# --------------------------------------------------------------------------- one case, many cases


def _plain(value: Any) -> Any:
    """JSON-ready copy: dataclasses and dicts become dicts with sorted keys; tuples and sets become lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in sorted(fields(value), key=lambda f: f.name)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class CaseAnalysis:
    """Everything the analysis finds in one case.

    Attributes
    ----------
    case_id : str
        The case id.
    names : dict
        Actor id -> actor name, for sentences and tables.
    metrics, reciprocal_pairs, cycles, multi_party_deals, one_way_dependences, thompson, brokers
        The results of the functions of the same names.
    conflicts, latent_deals, recognition_curve, recognition_timeline, what_if
        The results of the functions of the same names.
    graph : nx.MultiDiGraph
        The graph they were computed from; not compared and not in ``to_dict``.
    """

    case_id: str
    names: dict[str, str]
    metrics: dict[str, Any]
    reciprocal_pairs: list[tuple[str, str]]
    cycles: CycleSearch
    multi_party_deals: CycleSearch
    one_way_dependences: list[dict[str, Any]]
    thompson: dict[str, list]
    brokers: dict[str, Any]
    conflicts: dict[str, list]
    latent_deals: list[dict[str, Any]]
    recognition_curve: dict[str, Any]
    recognition_timeline: list[dict[str, Any]]
    what_if: dict[str, list[tuple[str, str]]]
    graph: nx.MultiDiGraph = field(compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as JSON-ready data: dicts with sorted keys, lists, str, int, float, bool.

        Examples
        --------
        >>> data = analyze_graph(graph_from_edges([("a", "b"), ("b", "a")]), case_id="toy").to_dict()
        >>> list(data)[:4], data["reciprocal_pairs"], data["cycles"]["cycles"]
        (['brokers', 'case_id', 'conflicts', 'cycles'], [['a', 'b']], [])
        """
        return _plain({f.name: getattr(self, f.name) for f in fields(self) if f.name != "graph"})


def analyze_graph(G: nx.MultiDiGraph, case_id: str = "", max_length: int = 6, max_count: int = 1000) -> CaseAnalysis:
    """Return every pattern and measure of one interdependence graph.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Graph from ``build_graph`` or ``graph_from_edges``.
    case_id : str, optional
        The id to carry in the result.
    max_length, max_count : int, optional
        Bounds of the cycle search (see ``cycles``).

    Returns
    -------
    CaseAnalysis

    Examples
    --------
    >>> analysis = analyze_graph(graph_from_edges([("a", "b"), ("b", "c"), ("c", "a")]))
    >>> analysis.cycles.cycles, analysis.reciprocal_pairs
    ((('a', 'b', 'c'),), [])
    """
    return CaseAnalysis(
        case_id=case_id,
        names={v: d.get("short_name") or d.get("name") or v for v, d in sorted(G.nodes(data=True))},
        metrics=metrics(G=G),
        reciprocal_pairs=reciprocal_pairs(G),
        cycles=cycles(G, max_length, max_count),
        multi_party_deals=multi_party_deals(G, min(max_length, 5), max_count),
        one_way_dependences=one_way_dependences(G),
        thompson=thompson(G),
        brokers=brokers(G),
        conflicts=conflicts(G),
        latent_deals=latent_deals(G, max_length, max_count),
        recognition_curve=recognition_curve(G),
        recognition_timeline=recognition_timeline(G),
        what_if=what_if(G),
        graph=G,
    )


def analyze(case: Case, max_length: int = 6, max_count: int = 1000) -> CaseAnalysis:
    """Return every pattern and measure of one case: ``analyze_graph(build_graph(case))``.

    Parameters
    ----------
    case : Case
        A validated case.
    max_length, max_count : int, optional
        Bounds of the cycle search (see ``cycles``).

    Returns
    -------
    CaseAnalysis

    Examples
    --------
    >>> from builder.model import Case
    >>> src = {"id": "s", "title": "S", "type": "report", "url": "https://example.org"}
    >>> actor = lambda id: {"id": id, "name": id.upper(), "sector": "government", "level": "local",
    ...                     "mission": "m", "purposes": [{"id": "p", "description": "d"}],
    ...                     "assets": [{"id": "x", "kind": "data", "description": "d"}]}
    >>> case = Case.model_validate({
    ...     "schema_version": 2, "id": "toy", "title": "Toy", "tagline": "t", "summary": "s", "countries": ["US"],
    ...     "years": {"start": 2000, "end": 2001}, "domains": ["public-safety"],
    ...     "scale": "local", "status": "draft", "sources": [src],
    ...     "actors": [actor("a"), actor("b")], "interdependencies": [],
    ...     "deal": {"forms": ["informal"], "status": "agreed", "joint_product": "j",
    ...              "sources": ["s"]}})
    >>> analyze(case).metrics["actors"]
    2
    """
    return analyze_graph(build_graph(case), case.id, max_length, max_count)


# --------------------------------------------------------------------------- words


def _and(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


_LATE_WORDS = {
    "implementation": ("was recognized only during implementation", "recognized only during implementation"),
    "hindsight": ("was recognized only in hindsight", "recognized only in hindsight"),
    "never": ("was never recognized", "never recognized"),
}


def summarize(analysis: CaseAnalysis) -> list[str]:
    """Return plain-words sentences about what the analysis found, for a case page.

    One sentence each, in this order and only where there is something to
    say (the first and last always appear): makeable deals and which are
    latent; one-way dependences; Thompson's pooled, reciprocal and
    sequential interdependence; brokers; conflicts; recognition and
    realization. Actors are named by their names.

    Parameters
    ----------
    analysis : CaseAnalysis
        From ``analyze`` or ``analyze_graph``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> G = graph_from_edges(
    ...     [("bpd", "tpc", "helps", {"recognized": "never"}), ("tpc", "bpd"), ("a", "b"), ("b", "a")],
    ...     actors={"bpd": {"name": "Boston Police Department"}, "tpc": {"name": "Ten Point Coalition"}})
    >>> summarize(analyze_graph(G))[0]
    '2 makeable deals (reciprocal pairs or cycles); one, between Boston Police Department and Ten Point Coalition, was never recognized.'
    """
    return [
        *_deal_sentences(analysis),
        *_multi_party_sentences(analysis),
        *_one_way_sentences(analysis),
        *_thompson_sentences(analysis),
        *_broker_sentences(analysis),
        *_conflict_sentences(analysis),
        *_recognition_sentences(analysis),
    ]


def _names(analysis: CaseAnalysis, ids: list[str]) -> str:
    return _and([analysis.names.get(i, i) for i in ids])


def _deal_sentences(analysis: CaseAnalysis) -> list[str]:
    """Makeable deals (pairs and cycles) and which of them are latent."""
    found = len(analysis.reciprocal_pairs) + len(analysis.cycles.cycles)
    more = "At least " if analysis.cycles.truncated else ""
    latent = analysis.latent_deals

    def where(deal: dict[str, Any]) -> str:
        how = "between" if deal["kind"] == "pair" else "among"
        return f"{how} {_names(analysis, deal['actors'])}"

    if found == 0 and not more:
        return ["No makeable deals (reciprocal pairs or cycles of help) in the mapped interdependencies."]
    head = f"{more}{_plural(found, 'makeable deal')} (reciprocal pairs or cycles)"
    if found == 1 and not more:
        head = "1 makeable deal (a reciprocal pair or cycle)"
    if not latent:
        tail = "; it was" if found == 1 and not more else "; all were"
        return [f"{head}{tail} recognized by the time of agreement."]
    if len(latent) == 1:
        deal = latent[0]
        who = "it" if found == 1 and not more else "one"
        return [f"{head}; {who}, {where(deal)}, {_LATE_WORDS[deal['recognized']][0]}."]
    parts = [f"{where(d)} ({_LATE_WORDS[d['recognized']][1]})" for d in latent]
    return [f"{head}; {len(latent)} were not recognized by the time of agreement: {_and(parts)}."]


def _multi_party_sentences(analysis: CaseAnalysis) -> list[str]:
    """Rings that close only through three or more parties: all of them, as the pattern counts them (the pure
    cycles among them are named as such, since the makeable deals above count them already)."""
    rings = list(analysis.multi_party_deals.cycles)
    if not rings:
        return []
    cycles = set(analysis.cycles.cycles)
    pure = [r for r in rings if r in cycles]
    more = "at least " if analysis.multi_party_deals.truncated else ""
    head = f"{more}{_plural(len(rings), 'multi-party deal')}, where at least one party is repaid only around the ring"
    shown = "; ".join(_names(analysis, list(r)) for r in rings[:3])
    also = ""
    if pure and len(rings) == 1:
        also = " (it is a cycle, counted among the makeable deals)"
    elif pure:
        also = f" ({_plural(len(pure), 'of them is a cycle', 'of them are cycles')} counted among the makeable deals)"
    return [head[0].upper() + head[1:] + also + f": {shown}" + ("…" if len(rings) > 3 else ".")]


def _one_way_sentences(analysis: CaseAnalysis) -> list[str]:
    one_way = analysis.one_way_dependences
    if not one_way:
        return []
    name = analysis.names.get
    sentence = (
        f"{_plural(len(one_way), 'one-way dependence')}, where help flows one way only and needs a side "
        "payment, authority or an appeal to shared public value"
    )
    if len(one_way) <= 5:
        sentence += ": " + "; ".join(
            f"from {name(d['holder'], d['holder'])} to {name(d['target'], d['target'])}" for d in one_way
        )
    return [sentence + "."]


def _thompson_sentences(analysis: CaseAnalysis) -> list[str]:
    """Thompson's pooled, reciprocal (three or more) and sequential interdependence."""
    out = []
    t = analysis.thompson
    for pool in t["pooled"]:
        described = analysis.graph.nodes[pool["target"]].get("purposes", {}).get(pool["purpose"])
        purpose = described[0].lower() + described[1:].rstrip(".") if described else pool["purpose"]
        out.append(
            f"Pooled interdependence: {_names(analysis, pool['holders'])} all feed one purpose of "
            f"{analysis.names.get(pool['target'], pool['target'])}: {purpose}."
        )
    for group in t["reciprocal"]:
        if len(group) >= 3:
            out.append(
                f"Reciprocal interdependence: help can flow from each of {_names(analysis, group)} to every other, "
                "directly or through the others."
            )
    twos = [group for group in t["reciprocal"] if len(group) == 2]
    if twos:  # counted by the pattern too; each is a reciprocal pair that no one else joins
        alone = len(twos) == 1 and len(twos[0]) == analysis.graph.number_of_nodes()
        out.append(
            "Reciprocal interdependence between two only"
            + ("" if alone else ", apart from the others")
            + ": "
            + "; ".join(_names(analysis, group) for group in twos)
            + "."
        )
    if t["sequential"]:
        out.append(
            f"{_plural(len(t['sequential']), 'sequential chain')} (one actor helps a second, which helps a "
            "third, and nothing flows back)."
        )
    return out


def _broker_sentences(analysis: CaseAnalysis) -> list[str]:
    """Articulation points, and the actors of highest betweenness."""
    out = []
    points = analysis.brokers["articulation_points"]
    if points:  # no verb or pronoun agrees with a name: "Streetworkers" may be one actor
        out.append(
            f"{'Broker' if len(points) == 1 else 'Brokers'} holding the network together: {_names(analysis, points)}; "
            f"without {'this actor' if len(points) == 1 else 'any one of them'}, some parties would no longer be "
            "connected."
        )
    betweenness = analysis.brokers["betweenness"]
    top = max(betweenness.values(), default=0.0)
    if top > 0:
        leaders = [a for a, b in betweenness.items() if b == top]
        out.append(f"Most between the others (betweenness {top:.2f}): {_names(analysis, leaders)}.")
    return out


def _conflict_sentences(analysis: CaseAnalysis) -> list[str]:
    c = analysis.conflicts
    if not c["hurts"]:
        return []
    name = analysis.names.get
    verb = "hurts" if len(c["hurts"]) == 1 else "hurt"
    sentence = f"{_plural(len(c['hurts']), 'interdependency', 'interdependencies')} {verb} a purpose"
    if c["mixed_pairs"]:
        pairs = [f"{name(a, a)} and {name(b, b)}" for a, b in c["mixed_pairs"]]
        sentence += f"; in {_plural(len(pairs), 'pair')} one helps while the other hurts: " + "; ".join(pairs)
    return [sentence + "."]


def _recognition_sentences(analysis: CaseAnalysis) -> list[str]:
    curve = analysis.recognition_curve
    total = curve["total"]
    if total == 0:
        return ["No interdependencies are mapped yet."]
    by_agreement = next(s for s in curve["stages"] if s["stage"] == "agreement")
    unknown = curve["unknown"]["count"]
    partly = curve["partly_realized"]["count"]
    return [
        f"{by_agreement['count']} of {_plural(total, 'interdependency', 'interdependencies')} "
        f"({by_agreement['share']:.0%}) were recognized by the time of agreement and "
        f"{curve['never']['count']} never"
        + (f" (for {unknown} the sources do not say)" if unknown else "")
        + f"; of the {curve['helps']} that help, {curve['realized']['count']} ({curve['realized']['share']:.0%}) "
        "were put to use by the deal"
        + (f", and {partly} in part" if partly else "")
        + _harms_done(curve["harms_done"])
        + "."
    ]


def _harms_done(harms: dict[str, int]) -> str:
    """The harms done under the deal, as the end of the recognition sentence ("" when there are none)."""
    done, part = harms["count"], harms["partly"]
    if not done and not part:
        return ""
    said = " and ".join(x for x in (_plural(done, "harm") if done else "", f"{part} in part" if part else "") if x)
    return f"; {said} {'was' if done + part == 1 and not (done and part) else 'were'} done under it"


def analysis_data(analysis: CaseAnalysis) -> dict[str, Any]:
    """One case's analysis as data: ``CaseAnalysis.to_dict()`` with ``pattern_counts``. What the pages, the
    downloads, ``casebook export`` and ``casebook analyze --json`` give, so that they agree."""
    return {**analysis.to_dict(), "pattern_counts": pattern_counts(analysis)}


def pattern_counts(analysis: CaseAnalysis) -> dict[str, int]:
    """Return how often each pattern of ``PATTERNS`` occurs in one analysis.

    Reciprocal pairs, cycles, one-way dependences (holder, target pairs),
    pooled purposes, sequential chains, reciprocal groups (Thompson), brokers
    (articulation points), conflicts (hurts-edges), mixed pairs and latent deals.

    Examples
    --------
    >>> counts = pattern_counts(analyze_graph(graph_from_edges([("a", "b"), ("b", "a"), ("b", "c")])))
    >>> counts["reciprocal-pair"], counts["one-way-dependence"], counts["cycle"]
    (1, 1, 0)
    """
    t = analysis.thompson
    return {
        "reciprocal-pair": len(analysis.reciprocal_pairs),
        "cycle": len(analysis.cycles.cycles),
        "multi-party-deal": len(analysis.multi_party_deals.cycles),
        "one-way-dependence": len(analysis.one_way_dependences),
        "pooled": len(t["pooled"]),
        "sequential": len(t["sequential"]),
        "reciprocal-group": len(t["reciprocal"]),
        "broker": len(analysis.brokers["articulation_points"]),
        "conflict": len(analysis.conflicts["hurts"]),
        "mixed-pair": len(analysis.conflicts["mixed_pairs"]),
        "latent-deal": len(analysis.latent_deals),
    }


def cross_case(cases_and_analyses: Iterable[tuple[Case, CaseAnalysis]]) -> dict[str, Any]:
    """Return cross-case tables: which patterns, assets, sector pairs and mechanisms go with which deal status.

    Every row of every table is ``{"count": int, "cases": int, "by_status":
    {status: int}}``: ``count`` is the number of occurrences over all cases,
    ``cases`` the number of cases showing the row at least once, and
    ``by_status`` that number of cases broken down by ``case.deal.status``
    (every status in ``DEAL_STATUSES`` appears, zeros included).

    - ``patterns``: one row per code in ``PATTERNS`` (all appear): reciprocal
      pairs, cycles, one-way dependences (holder, target pairs), pooled
      purposes, sequential chains, reciprocal groups (Thompson), brokers
      (articulation points), conflicts (hurts-edges), mixed pairs, latent deals.
    - ``asset_kinds``: the asset kind of each interdependency.
    - ``sector_pairs``: ``"holder sector -> target sector"`` of each
      interdependency (``"none"`` for an actor without a sector).
    - ``mechanisms``: the kind of each holding-environment mechanism
      (``case.process.holding_environment.mechanisms``).

    Parameters
    ----------
    cases_and_analyses : iterable of (Case, CaseAnalysis)
        Each case with its analysis.

    Returns
    -------
    dict
        ``{"cases": int, "statuses": {status: int}, "patterns": {...},
        "asset_kinds": {...}, "sector_pairs": {...}, "mechanisms": {...}}``,
        keys sorted except ``patterns`` and ``statuses``, which follow
        ``PATTERNS`` and ``DEAL_STATUSES``.

    Examples
    --------
    >>> cross_case([])["patterns"]["cycle"]
    {'count': 0, 'cases': 0, 'by_status': {'agreed': 0, 'partial': 0, 'not-reached': 0, 'dissolved': 0}}
    """
    statuses: list[str] = []
    tables: dict[str, dict[str, dict[str, Any]]] = {
        "patterns": {p: {"count": 0, "cases": set()} for p in PATTERNS},
        "asset_kinds": {},
        "sector_pairs": {},
        "mechanisms": {},
    }

    def add(table: str, key: str, index: int, count: int = 1) -> None:
        row = tables[table].setdefault(key, {"count": 0, "cases": set()})
        row["count"] += count
        if count:
            row["cases"].add(index)

    for index, (case, analysis) in enumerate(cases_and_analyses):
        statuses.append(case.deal.status)
        found = pattern_counts(analysis)
        for pattern, count in found.items():
            add("patterns", pattern, index, count)
        G = analysis.graph
        for u, v, _, data in _edges(G):
            add("asset_kinds", data["asset_kind"] or "none", index)
            add("sector_pairs", f"{G.nodes[u].get('sector') or 'none'} -> {G.nodes[v].get('sector') or 'none'}", index)
        holding = case.process.holding_environment
        for mechanism in holding.mechanisms if holding else []:
            add("mechanisms", mechanism.kind, index)

    def finish(rows: dict[str, dict[str, Any]], order: Iterable[str]) -> dict[str, Any]:
        return {
            key: {
                "count": rows[key]["count"],
                "cases": len(rows[key]["cases"]),
                "by_status": {s: sum(1 for i in rows[key]["cases"] if statuses[i] == s) for s in DEAL_STATUSES},
            }
            for key in order
        }

    return {
        "cases": len(statuses),
        "statuses": {s: statuses.count(s) for s in DEAL_STATUSES},
        "patterns": finish(tables["patterns"], PATTERNS),
        "asset_kinds": finish(tables["asset_kinds"], sorted(tables["asset_kinds"])),
        "sector_pairs": finish(tables["sector_pairs"], sorted(tables["sector_pairs"])),
        "mechanisms": finish(tables["mechanisms"], sorted(tables["mechanisms"])),
    }
