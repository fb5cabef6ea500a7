"""Shared fixtures: paths, the loaded corpus, and the --update-golden flag."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Tests check the code, not the cache of results (builder/cache.py): off unless a test turns it on
# (tests/test_scale.py does, with a cache folder of its own).
os.environ.setdefault("CASEBOOK_CACHE", "0")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def golden(request):
    """Compare text with a golden file (``tests/golden/<module>/<name>``); rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")
    folder = GOLDEN / request.module.__name__.rsplit(".", 1)[-1]

    def check(name: str, actual: str) -> None:
        path = folder / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, "utf-8")
            if not update:
                pytest.fail(f"golden file {path} was missing and has been written; review it and run again")
        assert actual == path.read_text("utf-8"), f"output differs from {path}; if intended, run pytest --update-golden"

    return check


@pytest.fixture(scope="session")
def corpus():
    """The real cases under cases/, validated once per session."""
    from builder.validate import check_paths

    return check_paths([ROOT / "cases"])


def build(cases_dir: Path, site_dir: Path) -> int:
    """Build a site with the CLI, as a user would, into ``site_dir``."""
    from builder.cli import main

    return main(["build", "--cases", str(cases_dir), "--config", str(ROOT / "mkdocs.yml"), "--site-dir", str(site_dir)])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real casebook, built once per session."""
    site = tmp_path_factory.mktemp("site") / "site"
    assert build(ROOT / "cases", site) == 0
    return site


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """A site built from the synthetic fixture in tests/data/valid (it carries hostile text)."""
    site = tmp_path_factory.mktemp("fixture-site") / "site"
    assert build(DATA / "valid", site) == 0
    return site


#: How many hostile inputs each test module ran, shown at the end of the run (even with -q).
HOSTILE_COUNTS: dict[str, int] = {}


def count_hostile(kind: str, n: int = 1) -> None:
    HOSTILE_COUNTS[kind] = HOSTILE_COUNTS.get(kind, 0) + n


def pytest_terminal_summary(terminalreporter):
    if HOSTILE_COUNTS:
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(HOSTILE_COUNTS.items()))
        terminalreporter.write_line(f"hostile input: {sum(HOSTILE_COUNTS.values())} inputs checked ({parts})")


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory):
    """A site built from hostile versions of a real case and of the fixture (tests/payloads.py), once per session."""
    from payloads import write_hostile_cases

    root = tmp_path_factory.mktemp("payload-site")
    counts = write_hostile_cases(
        [ROOT / "cases" / "boston-operation-ceasefire.yaml", DATA / "valid" / "river-town-example.yaml"],
        ROOT / "cases" / "reading-lists" / "holding-environments.yaml",
        root / "cases",
    )
    assert all(n >= 10 for n in counts.values()), counts
    count_hostile("payload fields in built pages", sum(counts.values()))
    assert build(root / "cases", root / "site") == 0
    return root / "site"


#: Debian's Chromium, driven by Playwright (Playwright's own browser download is never used).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium():
    """Call at the top of a browser test module: skip it without Chromium, but fail in CI (CI=true).

    Returns Playwright's sync API module.
    """
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests: apt-get install chromium", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_site(root: Path):
    """Serve ``root`` on 127.0.0.1 from a thread, as a web server would; returns ``(server, url)``.

    Stop it with ``server.shutdown()`` and ``server.server_close()``.
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    """The real casebook's built site, served on 127.0.0.1 for the browser tests: its address, ending in ``/``.

    Without Chromium, only the tests that use it are skipped (or fail, in CI).
    """
    require_chromium()
    server, url = serve_site(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def fixture_url(fixture_site):
    """The small fixture casebook's built site, served on 127.0.0.1: its address, ending in ``/``."""
    require_chromium()
    server, url = serve_site(fixture_site)
    yield url
    server.shutdown()
    server.server_close()


def guard_page(pg, base: str, console: tuple[str, ...] = ("error",)):
    """Let ``pg`` talk only to ``base``: other requests are recorded in ``pg.offsite`` and blocked; page errors
    and console messages of the types in ``console`` are recorded in ``pg.errors``. Returns ``pg``."""
    pg.offsite, pg.errors = [], []

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            pg.offsite.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type in console else None)
    return pg
