"""`casebook serve`: an edited case is shown at once (``CasebookPlugin.refresh``), the rest of the site follows.

No timing is asserted (the refresh time is measured by ``benchmarks/run.py``'s ``bench_serve``): these tests
check that what the refresh writes is what a full build writes, that it declines what only a full build can
do, and that a real ``casebook serve`` shows an edit on the case page and on the pages across cases.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from builder import cache
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus as bench_corpus  # noqa: E402

URL = "http://127.0.0.1:8000/casebook/"


def _html(site: Path) -> dict[str, bytes]:
    """Every written file of a site but the search index (made in the background, compared by test_search)."""
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and "pagefind" not in p.relative_to(site).parts[0]
    }


def _serve_build(site: Path, dirty: bool):
    """A build as `casebook serve` makes it (serve address, no policy), in this process; returns its config."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.site_url = URL
    mkdocs_build(config, serve_url=URL, dirty=dirty)
    return config


def _reference_build(site: Path) -> None:
    """A full, clean build as `casebook serve` makes it, in a process of its own (MkDocs keeps one instance of
    the plugin per process, which the serve under test holds)."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'tests'); import test_serve;"
        f"config = test_serve._config(Path({str(site)!r})); config.plugins.on_startup(command='serve', dirty=False);"
        "test_serve._serve_build(Path(config.site_dir), dirty=False); config.plugins.on_shutdown()"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)


def _config(site: Path):
    from mkdocs.config import load_config

    return load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))


@pytest.fixture
def serving(tmp_path, monkeypatch):
    """A small corpus and a dirty serve of it, built once: ``(cases folder, site folder, plugin, rebuild)``."""
    from mkdocs.config import load_config

    cases = tmp_path / "cases"
    bench_corpus.write_corpus(cases, 3, lists=False)
    monkeypatch.setenv("CASEBOOK_CASES_DIR", str(cases))
    monkeypatch.setenv("CASEBOOK_CACHE", "0")
    site = tmp_path / "site"
    logging.disable(logging.WARNING)
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    plugin = config.plugins["casebook"]
    try:
        _serve_build(site, dirty=True)
        yield cases, site, plugin, lambda: _serve_build(site, dirty=True)
    finally:
        config.plugins.on_shutdown()
        logging.disable(logging.NOTSET)
        cache.remember(False)


def _edit(path: Path, marker: str) -> str:
    """Put ``marker`` at the start of the case's title (as ``bench_serve`` does); returns the text before."""
    text = path.read_text("utf-8")
    assert "\ntitle: " in text
    path.write_text(text.replace("\ntitle: ", f"\ntitle: {marker} ", 1), "utf-8")
    return text


def test_refresh_writes_what_a_full_build_writes(serving, tmp_path, monkeypatch):
    """The refresh writes the edited case's page (the teaching pages are shared and read the case page) as a full
    build of the edited cases does, and nothing else; after the full build that follows, the whole site (the case
    index too) is that build's."""
    cases, site, plugin, rebuild = serving
    edited = sorted(cases.glob("*.yaml"))[1]
    before = _html(site)
    _edit(edited, "Refreshed")
    assert plugin.refresh({str(edited)})
    after = _html(site)
    written = sorted(path for path in after if after[path] != before.get(path))
    own = [f"cases/{edited.stem}/index.html"]
    assert written == sorted(own)
    assert all(b"Refreshed" in after[path] for path in own)

    reference = tmp_path / "reference"
    _reference_build(reference)
    full = _html(reference)
    for path in own:
        assert after[path] == full[path], f"{path} differs from a full build's"
    # The pages across cases follow: the thread makes them, then asks for a (dirty) build.
    plugin._worker.join(300)
    rebuild()
    served = _html(site)
    assert served.keys() == full.keys()
    assert [p for p in served if served[p] != full[p]] == []
    assert b"Refreshed" in served["cross-case/index.html"]
    assert b"Refreshed" in served["cases/index.html"]


def test_refresh_reads_only_the_edited_file(serving, monkeypatch):
    """Nothing in a refresh grows with the casebook: it reads the edited case file and no other (the rules across
    files compare it with the last build's summaries). Reading every other case file again, as `casebook validate`
    of a file named alone does, took a refresh at 10,000 cases from 1.9 to 4.2 s."""
    from builder import load, validate

    cases, _, plugin, _ = serving
    edited = sorted(cases.glob("*.yaml"))[1]
    read: list[str] = []

    def recording(path, *args, **kwargs):
        read.append(Path(path).name)
        return load.read_file(path, *args, **kwargs)

    monkeypatch.setattr(validate, "read_file", recording)
    _edit(edited, "Refreshed")
    assert plugin.refresh({str(edited)})
    assert set(read) == {edited.name}  # (read twice: looked up in the cache, then checked; parsed once)


def test_refresh_leaves_to_a_full_build_what_only_it_can_do(serving):
    """A problem, a new case file, a reading list or a hand-written page: the refresh declines and writes nothing."""
    cases, site, plugin, _ = serving
    first, second = sorted(cases.glob("*.yaml"))[:2]
    before = _html(site)
    text = first.read_text("utf-8")
    first.write_text(text.replace("\nid: ", "\nid: Not A Slug ", 1), "utf-8")
    assert not plugin.refresh({str(first)})  # a problem in the file: the build reports it
    title = next(line for line in second.read_text("utf-8").splitlines() if line.startswith("title: "))
    first.write_text(text.replace(text[text.index("\ntitle: ") :].split("\n", 2)[1], title, 1), "utf-8")
    assert not plugin.refresh({str(first)})  # a title another case has: a problem across files
    first.write_text(text, "utf-8")
    copy = cases / "a-new-case.yaml"
    copy.write_text(text.replace(f"\nid: {first.stem}", "\nid: a-new-case", 1), "utf-8")
    assert not plugin.refresh({str(copy)})  # a new file changes the navigation: a full build
    copy.unlink()
    assert not plugin.refresh({str(copy)})  # a removed file, too
    assert not plugin.refresh({str(ROOT / "docs" / "index.md"), str(first)})
    assert not plugin.refresh({str(cases / "reading-lists" / "x.yaml")})
    assert not plugin.refresh(set())  # a build asked for by the plugin's thread
    assert plugin.refresh({str(cases / ".first.yaml.swp"), str(first)})  # an editor's file is not read
    assert _html(site) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, timeout: float = 300) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if text in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def test_casebook_serve_shows_an_edit_everywhere(tmp_path):
    """A real `casebook serve`: after an edit the case page shows it, then the pages across cases do too."""
    cases = tmp_path / "cases"
    bench_corpus.write_corpus(cases, 3, lists=False)
    edited, other = sorted(cases.glob("*.yaml"))[1], sorted(cases.glob("*.yaml"))[0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}/casebook/"
    env = {**os.environ, "CASEBOOK_CASES_DIR": str(cases), "CASEBOOK_CACHE": "0"}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "casebook"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _wait_for(f"{base}cases/{edited.stem}/", "<html"), (tmp_path / "serve.log").read_text()
        time.sleep(1)
        _edit(edited, "Edited during serve")
        assert _wait_for(f"{base}cases/{edited.stem}/", "Edited during serve")
        assert _wait_for(f"{base}cases/", "Edited during serve")
        # The pages across cases follow in the background.
        assert _wait_for(f"{base}cross-case/", "Edited during serve")
        assert _wait_for(f"{base}cases/{other.stem}/", "Edited during serve")  # its similar cases name it
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: the server removes its site folder
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()  # reaped, so no process is left running (or warned about)
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert f"refreshed {edited.name}" in text, text
    assert "'dirty' build" not in text, text  # serve builds dirty on purpose: MkDocs's warning is silenced


def test_served_page_lists_the_problems_of_a_failed_rebuild_escaped():
    """The panel comes from an autoescaped template: file, line, column, code, message and fix; contributor text
    in a message stays text."""
    from builder.plugin import with_problems
    from builder.problems import Problem

    page = b"<html><body><article class='md-content__inner'><h1>Case</h1></article></body></html>"
    assert with_problems(page, []) == page
    problem = Problem("cases/a.yaml", 7, 3, "unknown-actor", "holder: '<script>x</script>' is not an actor", "use one")
    shown = with_problems(page, [problem]).decode("utf-8")
    assert shown.index("cb-serve-problems") < shown.index("<h1>Case</h1>")
    assert (
        "<code>cases/a.yaml:7:3</code> error[unknown-actor] holder: &#39;&lt;script&gt;x&lt;/script&gt;&#39;" in shown
    )
    assert "fix: use one" in shown and "<script>x" not in shown
    assert "check failed: 1 error in 1 file" in shown


def test_casebook_serve_shows_the_problems_of_a_bad_save_on_the_page(tmp_path):
    """A real `casebook serve`: a save that makes a case invalid keeps the last good pages and lists the problems
    (file, line, fix) on them, and search keeps answering (its index was set aside for the rebuild, and is put back
    when it fails); fixing the file takes the list away."""
    cases = tmp_path / "cases"
    bench_corpus.write_corpus(cases, 2, lists=False)
    edited = sorted(cases.glob("*.yaml"))[0]
    port = _free_port()
    page = f"http://127.0.0.1:{port}/casebook/cases/{edited.stem}/"
    env = {**os.environ, "CASEBOOK_CASES_DIR": str(cases), "CASEBOOK_CACHE": "0"}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "casebook"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _wait_for(page, "<html"), (tmp_path / "serve.log").read_text()
        index = f"http://127.0.0.1:{port}/casebook/pagefind/pagefind-entry.json"
        assert _wait_for(index, "{"), (tmp_path / "serve.log").read_text()  # the first index, made in the background
        time.sleep(1)
        good = edited.read_text("utf-8")
        edited.write_text(good.replace("\ntitle: ", '\ntitle: "Unclosed ', 1), "utf-8")
        assert _wait_for(page, "cb-serve-problems"), (tmp_path / "serve.log").read_text()
        assert _wait_for(index, "{", timeout=5), "the failed rebuild took the search index away"
        with urllib.request.urlopen(page, timeout=30) as response:
            shown = response.read().decode("utf-8")
        assert f"{edited.name}:" in shown and "error[yaml-syntax]" in shown and "fix: " in shown
        assert "<h1" in shown  # the last good page, kept under the list
        edited.write_text(good, "utf-8")
        end = time.monotonic() + 300
        while time.monotonic() < end and _wait_for(page, "cb-serve-problems", timeout=1):
            time.sleep(0.5)
        assert not _wait_for(page, "cb-serve-problems", timeout=1)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_a_deleted_case_leaves_the_served_site(serving, tmp_path):
    """A case file deleted (or renamed) under serve: its page, its data and everything else only it made leave the
    site, which is then the same files as a full build of the cases left (MkDocs's dirty build deletes nothing)."""
    cases, site, plugin, rebuild = serving
    gone = sorted(cases.glob("*.yaml"))[1]
    assert (site / "cases" / gone.stem / "index.html").exists()
    gone.unlink()
    rebuild()
    assert not (site / "cases" / gone.stem).exists()
    plugin._worker.join(300)  # the pages across cases (downloads too) follow, then one more build
    rebuild()
    reference = tmp_path / "reference"
    _reference_build(reference)
    served, full = _html(site), _html(reference)
    assert sorted(served.keys() - full.keys()) == [] and sorted(full.keys() - served.keys()) == []
    assert not [p for p in served if gone.stem in p]
    assert not [p for p in site.rglob("*") if p.is_dir() and not any(p.iterdir())]  # no empty folder left
