"""The MkDocs adapter: the only module that imports MkDocs.

The plugin runs the pipeline in ``on_files`` and adds each generated page as a
virtual file, so nothing generated is written into ``docs/``. The CLI's build
and serve commands also live here, since they drive MkDocs.

Generated pages are finished HTML (``builder.templating.Page``) and never pass
through Markdown: ``on_page_markdown`` sets their escaped title and description and
hands Markdown nothing to convert, and ``on_page_content`` puts the page's HTML in
place, with a table of contents read from its headings.
"""

from __future__ import annotations

import errno
import hashlib
import html
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import jinja2
import jinja2.bccache
import watchdog.events
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from builder import cache, search, stylesheets
from builder.csp import POLICY
from builder.pipeline import (
    Corpus,
    Site,
    add_corpus_outputs,
    build_case_pages,
    build_pages,
    corpus_outputs,
    refresh_cases,
)
from builder.problems import UsageError, summary_line
from builder.templating import Heading, Page
from builder.validate import READING_LISTS, check_paths, is_case_name

log = get_plugin_logger(__name__)


class CasebookConfig(base.Config):
    cases_dir = c.Type(str, default="cases")


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Generate the casebook's pages from the case files."""

    _set_epoch = False
    _serving = False
    _indexer: search.BackgroundIndex | None = None
    _site_dir: Path | None = None
    _dirty = False
    _last_corpus: Corpus | None = None
    #: The stylesheets of mkdocs.yml's extra_css that pages get as one file (builder.stylesheets).
    _css: list[str] = []
    #: The problems of the last build (none when it succeeded): ``casebook serve`` shows them on its pages.
    problems: list = []

    def __init__(self) -> None:
        super().__init__()
        self._pages: dict[str, Page] = {}
        #: Digest of every generated file's content at the last build (for dirty rebuilds).
        self._built: dict[str, bytes] = {}
        #: Serving: every file the last build wrote into the site (what ``_drop_stale`` compares with).
        self._dests: set[Path] = set()
        #: Serving: (corpus key, pages and files across cases) last made; the corpus waiting to be made.
        self._corpus: tuple[str, tuple[dict[str, Page], dict[str, bytes]]] | None = None
        self._wanted: Corpus | None = None
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        #: Serving: what the last full build left for ``refresh`` (see ``_Rendered``).
        self._rendered: _Rendered | None = None
        #: Serving: the title of each page when it was last written, by source path.
        self._titles: dict[str, str | None] = {}

    def _cases_dir(self, config) -> Path:
        # `casebook build --cases DIR` sets CASEBOOK_CASES_DIR so that tests and previews can point elsewhere.
        override = os.environ.get("CASEBOOK_CASES_DIR")
        return (
            Path(override).resolve()
            if override
            else (Path(config.config_file_path).parent / self.config.cases_dir).resolve()
        )

    def on_config(self, config):
        """Watch the case files and vocabularies when serving."""
        root = Path(config.config_file_path).parent
        for folder in (self._cases_dir(config), root / "schema"):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        # The site's own stylesheets as one file on every page (builder.stylesheets; written in on_files).
        docs = Path(config.docs_dir)
        if stylesheets.BUNDLE not in config.extra_css:
            self._css = stylesheets.bundled(list(config.extra_css), docs)
            config.extra_css = stylesheets.links(list(config.extra_css), docs)
        return config

    def on_files(self, files: Files, config) -> Files:
        """Run the pipeline and add every generated page and file."""
        site = self._serve_pages(self._cases_dir(config)) if self._dirty else build_pages(self._cases_dir(config))
        self.problems = list(site.problems)  # `casebook serve` shows them on every page it serves (serve_site)
        if site.problems:
            for problem in site.problems:
                log.error(problem.format())
            # MkDocs swallows the detail of plugin errors, so each problem is logged above.
            raise PluginError(summary_line(site.problems) + "; run `casebook validate` for details")
        # The sitemap's dates come from the build date; tie it to the input so that two builds of the
        # same cases are byte for byte the same, whatever day they run.
        if site.build_date and "SOURCE_DATE_EPOCH" not in os.environ:
            self._set_epoch = True
            os.environ["SOURCE_DATE_EPOCH"] = str(site.build_date)
        self._pages = site.pages
        docs = Path(config.docs_dir)
        built: dict[str, bytes] = {}
        generated = [(path, page.to_markdown()) for path, page in sorted(site.pages.items())]
        for path, content in [*generated, *sorted(site.files.items())]:
            file = File.generated(config, path, content=content)
            built[path] = hashlib.blake2b(content.encode() if isinstance(content, str) else content).digest()
            if self._dirty and self._built.get(path) == built[path] and os.path.exists(file.abs_dest_path):
                file.is_modified = _unchanged  # `serve --dirty`: MkDocs keeps the page it wrote last time
            files.append(file)
        if self._css:
            files.append(File.generated(config, stylesheets.BUNDLE, content=stylesheets.bundle(self._css, docs)))
        self._built = built
        if self._dirty:
            self._drop_stale(files, config)
            if self._rendered is None:  # serve's first build: the warnings of every case (later, of each edit)
                for warning in site.warnings:
                    log.info(warning.format())
            epoch = os.environ.get("SOURCE_DATE_EPOCH")
            self._rendered = _Rendered(config, files, self._cases_dir(config), self._last_corpus, epoch)
        return files

    def _drop_stale(self, files: Files, config) -> None:
        """Serving: remove from the site the files the last build wrote and this one does not (a case file deleted
        or renamed, a page removed), with the folders left empty. MkDocs's dirty build never deletes, so the case's
        page and data would still be served, and found by search (the site is indexed again after the build)."""
        site = Path(config.site_dir).resolve()
        dests = {Path(file.abs_dest_path).resolve() for file in files}
        for path in sorted(self._dests - dests, reverse=True):
            if not path.is_relative_to(site) or not path.is_file():
                continue
            path.unlink()
            for folder in path.parents:
                if folder == site or not folder.is_relative_to(site) or any(folder.iterdir()):
                    break
                folder.rmdir()
        self._dests = dests

    def _serve_pages(self, cases_dir: Path) -> Site:
        """The pages for a rebuild of ``casebook serve``: case pages at once, pages across cases when ready.

        The case pages and the index are always fresh. The pages across cases (patterns, teaching,
        coverage, downloads) take long at a thousand cases, so after an edit the last ones are served
        while fresh ones are made in a thread, which then asks the server for another build.
        """
        site, corpus = build_case_pages(cases_dir)
        self._last_corpus = corpus
        if corpus is None:
            return site
        with self._lock:
            ready = self._corpus if self._corpus is not None and self._corpus[0] == corpus.key else None
            if ready is None and self._corpus is not None:
                self._want(corpus)
                ready = self._corpus
        if ready is None:  # the first build: nothing to show yet
            ready = (corpus.key, corpus_outputs(corpus))
            self._corpus = ready
        add_corpus_outputs(site, ready[1])
        return site

    def _want(self, corpus: Corpus) -> None:
        """Have the thread make the pages across cases of ``corpus`` (hold ``self._lock``)."""
        self._wanted = corpus
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._make_corpus, daemon=True)
            self._worker.start()

    def refresh(self, changed: set[str]) -> bool:
        """Show edited case files at once, without a build: ``casebook serve``'s answer to an edit.

        ``changed`` holds the paths the watcher saw change since the last build. When every one that
        matters is a case file of the last full build, its case page is made
        (``pipeline.refresh_cases``) and rendered into the site with the theme,
        navigation and files of the last build; nothing else is read, rendered or written. The case index,
        the pages across cases and the rest of the site follow: the thread that makes them asks the server for
        a full (dirty) build when done, as after any edit. Returns False, having written nothing, when a
        full build is needed instead: another kind of file changed (docs, configuration, a reading
        list), a file was added or removed, or the edited files have a problem (the build reports it).
        """
        state = self._rendered
        if state is None or state.corpus is None:
            return False
        paths = _case_edits(changed, state.cases_dir)
        if not paths:
            return False
        result = refresh_cases(state.corpus, paths)
        if result is None:
            return False
        pages, corpus = result
        files = {path: state.files.get_file_from_path(path) for path in pages}
        if any(file is None or file.page is None for file in files.values()):
            return False
        self._pages.update(pages)
        state.render({files[path]: page.to_markdown() for path, page in pages.items()})
        for path, page in pages.items():
            self._built[path] = hashlib.blake2b(page.to_markdown().encode()).digest()
        with self._lock:
            if self._corpus is not None:  # until the thread is done, a build shows these pages too
                self._corpus[1][0].update({p: page for p, page in pages.items() if p in self._corpus[1][0]})
            self._want(corpus)
        state.corpus = corpus
        self.problems = []
        return True

    def _make_corpus(self) -> None:
        """Make the pages across cases for the newest corpus asked for; then ask for a rebuild."""
        while True:
            with self._lock:
                corpus, self._wanted = self._wanted, None
            if corpus is None:
                return
            try:
                outputs = corpus_outputs(corpus)
            except Exception as exc:  # noqa: BLE001 - the next full build reports it; serving goes on
                log.warning(f"pages across cases not rebuilt: {type(exc).__name__}: {exc}")
                continue
            with self._lock:
                self._corpus = (corpus.key, outputs)
                if self._wanted is None:
                    _request_rebuild()

    def on_startup(self, *, command, dirty) -> None:
        """Remember whether this is `mkdocs serve` (no policy then: its live-reload script is inline).

        Defining this hook keeps the plugin alive across the rebuilds of ``serve``. In a dirty serve
        (``casebook serve``), results stay in memory (``builder.cache.remember``) and a generated file
        whose content is what it was at the last build reports itself unmodified, so MkDocs rewrites
        only the pages that changed.
        """
        global _PLUGIN
        self._serving = command == "serve"
        self._dirty = bool(dirty) and self._serving
        _PLUGIN = self if self._dirty else None
        if self._dirty:
            cache.remember(True)
        if not self._serving and self._indexer is not None:
            # MkDocs keeps a plugin that has this hook for the whole process: a build after a serve in the
            # same process must index in the foreground, not hand the work to the serve's indexer.
            self._indexer.close()
            self._indexer = None

    def on_nav(self, nav, config, files):
        """Serving: keep the navigation, which ``refresh`` renders pages with, and give its pages their titles.

        A dirty build does not read the pages it does not write again, so MkDocs knows no title for them
        and the navigation and the previous/next links of the pages it writes would say "None": each such
        page gets the title it had when last written (``on_page_context``).
        """
        if self._rendered is not None:
            self._rendered.nav = nav
        if self._dirty:
            for page in nav.pages:
                if page.file.src_uri in self._titles and not page.file.is_modified():
                    page.title = self._titles[page.file.src_uri]
        return nav

    def on_page_context(self, context, page, config, nav):
        """Serving: remember the title of each page written (see ``on_nav``)."""
        if self._dirty:
            self._titles[page.file.src_uri] = page.title
        return context

    def on_env(self, env, config, files):
        """Hand the theme the Content Security Policy (``overrides/main.html`` declares it on every page)."""
        if self._rendered is not None:
            self._rendered.env = env
        env.globals["casebook_csp"] = "" if self._serving else POLICY
        # overrides/main.html marks a page's article data-pagefind-body when it belongs in the search index.
        env.globals["casebook_search_indexed"] = search.indexed
        env.globals["casebook_search_defines"] = search.defines
        env.globals["casebook_search_weight"] = search.weight
        if self._serving:  # each rebuild makes a new environment; compiled templates are kept across them
            env.bytecode_cache = _TEMPLATE_CODE
        return env

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """A generated page: set its escaped title and description, and give Markdown nothing to convert."""
        generated = self._pages.get(page.file.src_uri)
        if generated is None:
            return markdown
        page.meta = generated.meta()
        return ""

    def on_page_content(self, html: str, page, config, files) -> str:
        """A generated page: its finished HTML, and a table of contents from its headings."""
        generated = self._pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc(_toc_tokens(generated.headings))
        page.present_anchor_ids = generated.anchors
        return generated.body

    def on_build_error(self, error) -> None:
        """Undo the build date set in on_files when the build fails, too; under `mkdocs serve`, put back the search
        index set aside in on_pre_build (the last good pages stay served, and search with them)."""
        self._undo_epoch()
        if self._serving and self._indexer is not None and self._site_dir is not None:
            self._indexer.restore(self._site_dir)

    def on_pre_build(self, config) -> None:
        """Under `mkdocs serve`, stop indexing the previous build and keep its index, served until the new one is made."""
        if self._serving:
            if self._indexer is None:
                self._indexer = search.BackgroundIndex(_report_index)
            self._site_dir = Path(config.site_dir)
            self._indexer.keep(self._site_dir)

    def on_post_build(self, config) -> None:
        """Index the written site for search (``builder.search``), and undo the build date set in on_files.

        Under `mkdocs serve` the index is made in the background, so that the page reloads as soon as
        it is written; search answers from the new index a few seconds later."""
        self._undo_epoch()
        if self._serving and self._indexer is not None:
            self._indexer.start(Path(config.site_dir))
            return
        try:
            result = search.index_site(Path(config.site_dir))
        except search.SearchIndexError as exc:
            raise PluginError(str(exc)) from exc
        log.debug("search: indexed %d pages in %.1f s", result.pages, result.seconds)

    def on_shutdown(self) -> None:
        """Stop a search indexing still going when `mkdocs serve` ends."""
        if self._indexer is not None:
            self._indexer.close()
            self._indexer = None

    def _undo_epoch(self) -> None:
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False


class _Rendered:
    """What a full build of ``casebook serve`` leaves for ``CasebookPlugin.refresh``: its configuration,
    files, navigation and theme environment, the case folder and corpus it was made from, and its
    ``SOURCE_DATE_EPOCH``. ``nav`` and ``env`` are set when MkDocs reaches them."""

    def __init__(self, config, files: Files, cases_dir: Path, corpus: Corpus | None, epoch: str | None) -> None:
        self.config, self.files, self.cases_dir, self.corpus, self.epoch = config, files, cases_dir, corpus, epoch
        self.nav = None
        self.env = None

    def render(self, sources: dict[File, str]) -> None:
        """Render the pages of ``sources`` (file -> its new Markdown source) as the build does, and write them.

        The plugin's hooks run on each page (``on_page_markdown`` and the rest), then the theme's template.
        """
        from mkdocs.commands.build import _build_page, _populate_page

        if self.nav is None or self.env is None:
            raise PluginError("no build to refresh")
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        if self.epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch
        try:
            doc_files = self.files.documentation_pages()
            for file, source in sources.items():
                file.content_string = source
                _populate_page(file.page, self.config, self.files)
                _build_page(file.page, self.config, doc_files, self.nav, self.env)
        finally:
            if previous is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous


def _case_edits(changed: set[str], cases_dir: Path) -> list[Path]:
    """The case files among the ``changed`` paths, or ``[]`` when anything that needs a full build changed.

    Paths the build never reads (other files in the case folder) are left out; a reading list, a file
    elsewhere, a removed case file or none at all needs a full build.
    """
    edits: list[Path] = []
    for name in sorted(changed):
        path = Path(name)
        path = path.parent.resolve() / path.name
        if path.parent == cases_dir and not is_case_name(path):
            continue  # an editor's temporary file, a template: not part of the build
        if path.parent != cases_dir or not path.is_file():
            return []
        edits.append(cases_dir / path.name)
    return edits


def _report_index(outcome) -> None:
    """Log how a background search indexing under `mkdocs serve` ended."""
    if isinstance(outcome, Exception):
        log.warning("search index not updated: %s", outcome)
    else:
        log.info("search index updated: %d pages in %.1f s", outcome.pages, outcome.seconds)


def _unchanged() -> bool:
    return False


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled theme templates, kept in memory across the rebuilds of ``serve`` (keyed by their source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _MemoryBytecode()

#: The server of the running ``casebook serve`` (see ``serve_site``), and its plugin.
_SERVER = None
_PLUGIN: CasebookPlugin | None = None


def _request_rebuild() -> None:
    """Ask the running server for another build, as a changed file would (MkDocs 1.6's server)."""
    server = _SERVER
    if server is None:
        return
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def _toc_tokens(headings: list[Heading]) -> list[dict]:
    """Headings as nested MkDocs toc tokens (names HTML-escaped, as the theme prints them raw)."""

    root: list[dict] = []
    stack: list[tuple[int, list[dict]]] = [(0, root)]
    for h in headings:
        token = {"level": h.level, "id": h.id, "name": html.escape(h.text), "children": []}
        while stack[-1][0] >= h.level:
            stack.pop()
        stack[-1][1].append(token)
        stack.append((h.level, token["children"]))
    return root


def _load(config_file: Path, **overrides):
    """MkDocs's configuration from ``config_file``.

    Raises
    ------
    UsageError
        If the file is missing (casebook run outside the casebook's folder) or MkDocs refuses it or an override
        (``dev_addr``); the message names the file and what to do.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if not Path(config_file).is_file():
        raise UsageError(
            f"there is no {config_file}{'' if Path(config_file).is_absolute() else f' in {Path.cwd()}'}: run casebook "
            "in the casebook's folder (the one that holds "
            "mkdocs.yml and cases/), or name the configuration with --config PATH"
        )
    try:
        return load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as exc:
        raise UsageError(f"{config_file}: {exc}") from None
    except Abort:  # MkDocs has logged which value is wrong (a bad --dev-addr too)
        raise UsageError(f"a value in {config_file} or an option is wrong, as said above; correct it") from None


def build_site(config_file: Path, site_dir: Path, strict: bool = True, cases_dir: Path | None = None) -> str | None:
    """Build into a temporary folder, then swap it in; on failure the old site stays. Returns an error."""
    previous = os.environ.get("CASEBOOK_CASES_DIR")
    if cases_dir is not None:
        os.environ["CASEBOOK_CASES_DIR"] = str(cases_dir.resolve())
    try:
        return _build_and_swap(config_file, site_dir.resolve(), strict)
    finally:
        if previous is None:
            os.environ.pop("CASEBOOK_CASES_DIR", None)
        else:
            os.environ["CASEBOOK_CASES_DIR"] = previous


def _build_and_swap(config_file: Path, site_dir: Path, strict: bool) -> str | None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        config = _load(config_file, site_dir=str(tmp), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return str(exc)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # The previous site moves aside under a fresh name of our own, so no other folder is ever removed.
    old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent)) / "site"
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old.parent, ignore_errors=True)
    return None


def serve_site(config_file: Path, dev_addr: str | None = None) -> None:
    """Serve the site and rebuild what changed when a case file changes (``mkdocs serve --dirty``).

    An edit of case files is shown at once by ``CasebookPlugin.refresh`` (its pages only), and the rest
    of the site follows in a full dirty build, where only the pages whose content changed are written
    again (see ``CasebookPlugin.on_startup``); hand-written pages are rebuilt when their file is newer
    than the page MkDocs wrote. Files are watched with the system's notifications (inotify), not by
    reading the folders twice a second, where the system offers them.
    """
    import mkdocs.commands.serve as serving
    from mkdocs.livereload import LiveReloadServer

    class Server(LiveReloadServer):
        """MkDocs's server, remembered so that the plugin can ask it for a build, and which tells the plugin
        what changed, so that an edited case is refreshed without a build."""

        def __init__(self, *args, builder, **kwargs):
            global _SERVER
            super().__init__(*args, builder=lambda: _build_or_refresh(self, builder), **kwargs)
            self.observer = _observer(self.observer)
            self.changed: set[str] = set()
            _SERVER = self

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            """As MkDocs's, with the changed paths recorded and files merely opened or read ignored."""
            path = os.path.abspath(path)
            if path in self._watched_paths:
                self._watched_paths[path] += 1
                return
            self._watched_paths[path] = 1
            self._watch_refs[path] = self.observer.schedule(
                _Changes(self), path, recursive=recursive, event_filter=_CHANGES
            )

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            """As MkDocs's, with the problems of a failed rebuild shown at the top of the page."""
            plugin = _PLUGIN
            return super()._inject_js_into_html(with_problems(content, plugin.problems if plugin else []), epoch)

    address = _load(config_file, **({"dev_addr": dev_addr} if dev_addr else {})).dev_addr
    _free(address.host, address.port)  # before the first build, which takes minutes at thousands of cases
    serving.LiveReloadServer = Server
    quiet = logging.getLogger("mkdocs.commands.build")
    quiet.addFilter(_deliberate_dirty_build)
    try:
        serving.serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise UsageError(_in_use(address.host, address.port)) from None
    finally:
        serving.LiveReloadServer = LiveReloadServer
        quiet.removeFilter(_deliberate_dirty_build)


def _free(host: str, port: int) -> None:
    """Raise ``UsageError`` if ``host:port`` cannot be served on: another server holds it, the port is out of range
    or not this user's to take, or the address is not this machine's (all found before the first build)."""
    if not 0 < port < 65536:
        raise UsageError(
            f"port {port} is not a port (1 to 65535): serve on another with --dev-addr {_addr(host, 8000)}"
        )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UsageError(
            f"{host} is not an address of this machine ({exc.strerror or exc}): try --dev-addr 127.0.0.1:{port}"
        ) from None
    family, kind, _, _, where = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no clash
        try:
            probe.bind(where)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(_in_use(host, port)) from None
            raise UsageError(
                f"cannot serve on {_addr(host, port)} ({exc.strerror or exc}): try --dev-addr 127.0.0.1:8000"
            ) from None


def _addr(host: str, port: int) -> str:
    """``host:port`` as ``--dev-addr`` takes it: an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _in_use(host: str, port: int) -> str:
    return (
        f"{_addr(host, port)} is already in use (another casebook serve, or python3 -m http.server?): stop it, or "
        f"serve on another port with --dev-addr {_addr(host, port + 1)}"
    )


def _deliberate_dirty_build(record: logging.LogRecord) -> bool:
    """False for MkDocs's warning that a 'dirty' build is being performed (a logging filter).

    ``casebook serve`` builds dirty on purpose (only changed pages are written again, and the plugin keeps
    navigation and links whole), so the warning, printed at every rebuild, would only alarm; others pass.
    """
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _observer(polling):
    """The system's file notifications (inotify) where there are, else MkDocs's polling observer."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # pragma: no cover - not Linux
        return polling
    return InotifyObserver()


def _build_or_refresh(server, builder) -> None:
    """A rebuild of ``casebook serve``: the plugin's refresh of edited cases when it can, else MkDocs's build."""
    with server._rebuild_cond:
        changed, server.changed = server.changed, set()
    plugin = _PLUGIN
    if plugin is not None and plugin._rendered is not None:
        log_warnings(changed, plugin._rendered.cases_dir)
    try:
        if plugin is not None and plugin.refresh(changed):
            log.info("refreshed %s", ", ".join(p.name for p in _case_edits(changed, plugin._rendered.cases_dir)))
            return
    except Exception as exc:  # noqa: BLE001 - the full build below reports what is wrong
        log.warning(f"refresh failed, building instead: {type(exc).__name__}: {exc}")
    try:
        builder()
    except Exception:
        if plugin is not None and plugin.problems:  # reload the browsers: the pages kept now show the problems
            with server._epoch_cond:
                server._visible_epoch = server._wanted_epoch
                server._epoch_cond.notify_all()
        raise


def log_warnings(changed: set[str], cases_dir: Path) -> None:
    """Log the warnings (markup in a text) of the case files and reading lists among the ``changed`` paths, at info level: they
    never stop a build, and a warning logged by a plugin would fail a strict one. The files are checked as a build
    checks them, and their results kept in the cache for the refresh or build that follows."""
    paths = [
        path
        for path in (Path(name) for name in sorted(changed))
        if is_case_name(path)
        and (path.parent.resolve() == cases_dir or path.parent.resolve() == cases_dir / READING_LISTS)
        and path.is_file()
    ]
    for warning in check_paths(paths, models=False, siblings=False).warnings if paths else []:
        log.info(warning.format())


def with_problems(content: bytes, problems: list) -> bytes:
    """A served page with ``problems`` (of a failed rebuild) listed at the top of its content, from the
    autoescaped template ``partials/serve-problems.html``; the page unchanged when there are none."""
    if not problems:
        return content
    from builder.templating import render_fragment

    panel = render_fragment("partials/serve-problems.html", problems=problems, summary=summary_line(problems))
    match = re.search(rb"<article[^>]*>", content) or re.search(rb"<body[^>]*>", content)
    at = match.end() if match else 0
    return content[:at] + panel.encode("utf-8") + content[at:]


#: The file events that start a build: a file written, made, moved or removed (never one only opened or read).
_CHANGES = [
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileClosedEvent,
]


class _Changes:
    """A watchdog handler: records a changed path and asks the server for a build (as MkDocs's does)."""

    def __init__(self, server) -> None:
        self.server = server

    def dispatch(self, event) -> None:
        if event.is_directory:
            return
        with self.server._rebuild_cond:
            self.server.changed.update(p for p in (event.src_path, getattr(event, "dest_path", "")) if p)
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()


def docs_dir(config_file: Path) -> Path:
    """The hand-written docs folder named in ``mkdocs.yml``."""
    return Path(_load(config_file).docs_dir)
