"""Benchmark drawing a large network in headless Chromium, against vis-network's defaults, in the same run.

Run: python benchmarks/bench_network.py [--nodes 2000] [--links 4000] [--baseline-nodes 200] [--runs 3]

It makes a synthetic case with --nodes actors and --links interdependencies (the test fixture's
text with new actors, links at random with a fixed seed), validates it as a ``Case``, builds its
network data with ``builder.network.network_data`` and renders the ``network`` macro, exactly as a
case page does. It writes a page with that markup, ``casebook.js`` and the vendored vis-network,
serves it on 127.0.0.1 and opens it in Debian's Chromium (/usr/bin/chromium, through Playwright),
then prints a Markdown table (median of --runs):

- this code path, on the large graph and on one of --baseline-nodes nodes: Python data build
  (validate + layout + data), the size of the data-json attribute, milliseconds from navigation to
  the fitted drawing (script load included), and from the start of a drawing to vis-network's first
  ``afterDrawing`` with the script already loaded;
- baseline: plain ``vis.Network`` with its default options (physics on, no positions, curved edges)
  on --baseline-nodes nodes and twice as many links, to its first ``afterDrawing`` (which vis-network
  holds back until its physics has stabilized) and to ``stabilized``, each capped at --cap seconds.

Timings are for reading: no test asserts them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from builder.model import Case  # noqa: E402
from builder.network import network_data  # noqa: E402
from builder.templating import environment  # noqa: E402

FIXTURE = ROOT / "tests" / "data" / "valid" / "river-town-example.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SECTORS = ["government", "nonprofit", "community", "business", "academic"]
STAGES = ["recognition", "mutual-sense", "holding-environment", "value", "envisioning", "agreement",
          "implementation", "hindsight", "never", "unknown"]  # fmt: skip


def synthetic_case(n_nodes: int, n_links: int, seed: int = 7) -> dict:
    """The fixture case with n_nodes actors (one asset and one purpose each) and n_links random links."""
    rng = random.Random(seed)
    data = yaml.safe_load(FIXTURE.read_text("utf-8"))
    data["actors"] = [
        {
            "id": f"actor-{i}",
            "name": f"Actor number {i}",
            "short_name": f"A{i}",
            "sector": SECTORS[i % len(SECTORS)],
            "level": "local",
            "mission": "A synthetic actor for the benchmark.",
            "purposes": [{"id": "goal", "description": "Reach its goal."}],
            "assets": [{"id": "means", "kind": "money", "description": "Its means."}],
        }
        for i in range(n_nodes)
    ]
    links = []
    for i in range(n_links):
        u, v = rng.sample(range(n_nodes), 2)
        links.append(
            {
                "id": f"link-{i}",
                "holder": f"actor-{u}",
                "asset": "means",
                "effect": "helps" if rng.random() < 0.9 else "hurts",
                "target": f"actor-{v}",
                "purpose": "goal",
                "description": "A synthetic link.",
                "recognized": rng.choice(STAGES),
                "realized": rng.choice([True, False, "partly"]),
                "sources": [data["sources"][0]["id"]],
            }
        )
    data["interdependencies"] = links
    for key in ("agreements", "claims", "outcomes", "teaching", "related"):
        data.pop(key, None)
    return data


def case_markup(raw: dict) -> tuple[str, float, int]:
    """The network macro's markup for the case, the seconds spent building it, and the data's size."""
    start = time.perf_counter()
    case = Case.model_validate(raw)
    data = network_data(case)
    net = {"id": "graph-bench", "data": data, "height": "640px", "label": "Benchmark network"}
    html = environment().from_string('{% import "macros.html" as m %}{{ m.network(net) }}').render(net=net)
    seconds = time.perf_counter() - start
    size = len(html.split("data-json='", 1)[1].split("'", 1)[0].encode())
    return html, seconds, size


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<link rel="stylesheet" href="assets/stylesheets/casebook.css"><link rel="stylesheet" href="assets/stylesheets/network.css">
</head><body><article style="max-width:1100px">{body}</article>
<script src="assets/javascripts/casebook.js"></script></body></html>"""


def write_site(folder: Path, markup: str, small: str = "") -> None:
    """A page with the network markup, casebook.js and vis-network as the built site serves them."""
    from builder.pipeline import vendor_files

    for rel, content in vendor_files().items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(content)
    for rel in ("javascripts/casebook.js", "stylesheets/casebook.css", "stylesheets/network.css"):
        (folder / "assets" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / "assets" / rel, folder / "assets" / rel)
    (folder / "index.html").write_text(PAGE.format(body=markup), "utf-8")
    (folder / "small.html").write_text(PAGE.format(body=small), "utf-8")
    (folder / "empty.html").write_text(PAGE.format(body=""), "utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Draws the page's network container again, with vis-network already loaded; resolves with the
# milliseconds from the start of drawing to the first afterDrawing.
WARM = """
async () => {
  var box = document.querySelector('.cb-network');
  var wrap = document.createElement('div');
  wrap.className = 'cb-network-wrap';
  var fresh = box.cloneNode(false);
  fresh.removeAttribute('data-ready');
  wrap.appendChild(fresh);
  box.parentNode.parentNode.insertBefore(wrap, box.parentNode);
  box.parentNode.remove();
  var start = performance.now();
  var nets = await window.casebookNetworks.draw(fresh);
  return await new Promise(function (resolve) {
    nets[0].network.once('afterDrawing', function () { resolve(performance.now() - start); });
  });
}
"""

# Plain vis-network with its default options on a random graph (seeded), timed to the first
# afterDrawing and to stabilized (null past either cap, in ms).
DEFAULTS = """
async ([n, m, capFirst, capStable]) => {
  var seed = 11;
  function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }
  var nodes = [], edges = [];
  for (var i = 0; i < n; i++) nodes.push({ id: i, label: 'A' + i });
  for (var j = 0; j < m; j++) edges.push({ from: Math.floor(rnd() * n), to: Math.floor(rnd() * n), arrows: 'to' });
  var box = document.createElement('div');
  box.style.height = '640px';
  document.body.appendChild(box);
  var start = performance.now();
  var net = new vis.Network(box, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, {});
  var first = await new Promise(function (resolve) {
    var timer = setTimeout(function () { resolve(null); }, capFirst);
    net.once('afterDrawing', function () { clearTimeout(timer); resolve(performance.now() - start); });
  });
  var stable = await new Promise(function (resolve) {
    var timer = setTimeout(function () { resolve(null); }, capStable);
    net.once('stabilized', function () { clearTimeout(timer); resolve(performance.now() - start); });
  });
  net.destroy();
  box.remove();
  return [first, stable];
}
"""


def _casebook(browser, url: str) -> tuple[float, float]:
    """(cold, warm) milliseconds for the page at url: navigation to fitted drawing, and drawing again."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.wait_for_selector(".cb-network[data-ready] canvas", timeout=600_000)
    page.wait_for_selector(".cb-network[data-fitted]", timeout=600_000)
    cold = page.evaluate("() => performance.now()")
    warm = page.evaluate(WARM)
    page.close()
    return cold, warm


def draw_times(url: str, baseline_nodes: int, runs: int, cap_s: int) -> dict[str, list]:
    """Milliseconds per run: the casebook page (large and small graph) and vis-network's defaults."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list] = {
        "cold": [],
        "warm": [],
        "small_cold": [],
        "small_warm": [],
        "base_first": [],
        "base_stable": [],
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            cold, warm = _casebook(browser, url + "index.html")
            out["cold"].append(cold)
            out["warm"].append(warm)
            cold, warm = _casebook(browser, url + "small.html")
            out["small_cold"].append(cold)
            out["small_warm"].append(warm)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "empty.html")
            page.add_script_tag(url=url + "assets/vendor/vis-network/vis-network.min.js")
            first, stable = page.evaluate(DEFAULTS, [baseline_nodes, 2 * baseline_nodes, cap_s * 1000, cap_s * 1000])
            out["base_first"].append(first)
            out["base_stable"].append(stable)
            page.close()
        browser.close()
    return out


def measure(site_dir: Path | None = None, nodes: int = 2000, baseline_nodes: int = 200, runs: int = 3, cap: int = 180):
    """Rows for ``benchmarks/run.py``'s table: the 2,000-node drawing against vis-network's defaults, same run.

    ``site_dir`` is not read: the drawing is of a synthetic case made through the same data path as a case page.
    Returns ``{row label: median milliseconds as text}``.
    """
    markup, _build_s, _size = case_markup(synthetic_case(nodes, 2 * nodes))
    small, _small_s, _small_size = case_markup(synthetic_case(baseline_nodes, 2 * baseline_nodes))
    with tempfile.TemporaryDirectory() as tmp:
        write_site(Path(tmp), markup, small)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            r = draw_times(f"http://127.0.0.1:{server.server_port}/", baseline_nodes, runs, cap)
        finally:
            server.shutdown()
            server.server_close()
    return {
        f"{nodes:,} nodes drawn, script loaded (ms, median of {runs})": ms(r["warm"]),
        f"{nodes:,} nodes drawn from page load (ms)": ms(r["cold"]),
        f"baseline: vis-network defaults, {baseline_nodes} nodes, stabilized (ms)": ms(r["base_stable"]),
    }


def ms(values: list) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):,.0f}" if values else "not within the cap"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--links", type=int, default=4000)
    ap.add_argument("--baseline-nodes", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cap", type=int, default=180, help="seconds to wait for vis-network's defaults before giving up")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print("needs Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    markup, build_s, size = case_markup(synthetic_case(args.nodes, args.links))
    small, small_s, small_size = case_markup(synthetic_case(args.baseline_nodes, 2 * args.baseline_nodes))
    with tempfile.TemporaryDirectory() as tmp:
        write_site(Path(tmp), markup, small)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            r = draw_times(f"http://127.0.0.1:{server.server_port}/", args.baseline_nodes, args.runs, args.cap)
        finally:
            server.shutdown()
            server.server_close()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Network drawing in headless Chromium, median of {args.runs} runs, {time.strftime('%Y-%m-%d')}: "
          f"{platform.machine()}, {os.cpu_count()} cores, load average {load} (machine shared while measuring)\n")  # fmt: skip
    print(
        "| what | nodes | links | data (KB) | Python data (s) | drawn, page load (ms) | drawn, script loaded (ms) | stabilized (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    n, m, b = args.nodes, args.links, args.baseline_nodes
    print(f"| casebook: fixed seeded layout, physics off | {n:,} | {m:,} | {size / 1024:,.0f} | {build_s:.2f} "
          f"| {ms(r['cold'])} | {ms(r['warm'])} | – |")  # fmt: skip
    print(f"| casebook: fixed layout, physics off | {b:,} | {2 * b:,} | {small_size / 1024:,.0f} | {small_s:.2f} "
          f"| {ms(r['small_cold'])} | {ms(r['small_warm'])} | – |")  # fmt: skip
    print(f"| baseline: vis-network defaults (physics on, no positions) | {b:,} | {2 * b:,} | | | "
          f"| {ms(r['base_first'])} | {ms(r['base_stable'])} |")  # fmt: skip
    print(
        json.dumps({k: [round(v) if v is not None else None for v in vals] for k, vals in r.items()}), file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
