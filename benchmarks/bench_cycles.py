"""Benchmark the bounded cycle search of builder.analyze against baselines run in the same process.

Run: python benchmarks/bench_cycles.py [--runs 7] [--density 0.5] [--seed 60]

Prints a Markdown table. For dense random graphs of 20, 40 and 60 actors (each
ordered pair of actors joined by a helps-edge with probability --density,
seeded), it times, as the median of --runs runs with time.perf_counter:

- ``cycles``: ``analyze.cycles(G)`` with its defaults (length <= 6, at most 1000);
- ``nx first 1000``: the baseline, plain ``nx.simple_cycles(H, length_bound=6)``
  on the same helps-graph, stopped after 1000 cycles, with no reciprocity filter;
- ``build graph``: ``analyze.graph_from_edges`` on the same edges, the cost every
  analysis pays anyway;
- ``analyze_graph``: every pattern of the case, for scale.

Timings are for reading, not for asserting: no test depends on them.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder import analyze  # noqa: E402

SIZES = (20, 40, 60)


def dense_edges(n: int, density: float, seed: int) -> list[tuple[str, str]]:
    """Helps-edges of a seeded random directed graph on n actors."""
    rng = random.Random(seed)
    names = [f"actor-{i:02d}" for i in range(n)]
    return [(u, v) for u in names for v in names if u != v and rng.random() < density]


def median_ms(fn, runs: int) -> float:
    """Median wall time of fn() over runs, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement; the median is shown")
    parser.add_argument("--density", type=float, default=0.5, help="probability of each directed edge")
    parser.add_argument("--seed", type=int, default=60, help="random seed of the graphs")
    args = parser.parse_args(argv)

    print(
        f"Cycle search, median of {args.runs} runs, density {args.density}, seed {args.seed}, "
        f"networkx {nx.__version__}\n"
    )
    print(
        "| actors | edges | cycles found | truncated | cycles (ms) | nx first 1000 (ms) "
        "| build graph (ms) | analyze_graph (ms) |"
    )
    print("| ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: |")
    for n in SIZES:
        edges = dense_edges(n, args.density, args.seed)
        G = analyze.graph_from_edges(edges)
        H = nx.DiGraph(edges)
        result = analyze.cycles(G)
        t_cycles = median_ms(lambda: analyze.cycles(G), args.runs)
        t_nx = median_ms(lambda: list(itertools.islice(nx.simple_cycles(H, length_bound=6), 1000)), args.runs)
        t_build = median_ms(lambda: analyze.graph_from_edges(edges), args.runs)
        t_all = median_ms(lambda: analyze.analyze_graph(G), max(1, args.runs // 2))
        print(
            f"| {n} | {len(edges)} | {len(result.cycles)} | {'yes' if result.truncated else 'no'} "
            f"| {t_cycles:.1f} | {t_nx:.1f} | {t_build:.1f} | {t_all:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
