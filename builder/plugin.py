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

import hashlib
import html
import os
import shutil
import tempfile
import threading
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from builder import cache, search
from builder.csp import POLICY
from builder.pipeline import Corpus, Site, add_corpus_outputs, build_case_pages, build_pages, corpus_outputs
from builder.problems import summary_line
from builder.templating import Heading, Page

log = get_plugin_logger(__name__)


class CasebookConfig(base.Config):
    cases_dir = c.Type(str, default="cases")


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Generate the casebook's pages from the case files."""

    _set_epoch = False
    _serving = False
    _indexer: search.BackgroundIndex | None = None
    _dirty = False

    def __init__(self) -> None:
        super().__init__()
        self._pages: dict[str, Page] = {}
        #: Digest of every generated file's content at the last build (for dirty rebuilds).
        self._built: dict[str, bytes] = {}
        #: Serving: (corpus key, pages and files across cases) last made; the corpus waiting to be made.
        self._corpus: tuple[str, tuple[dict[str, Page], dict[str, bytes]]] | None = None
        self._wanted: Corpus | None = None
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

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
        return config

    def on_files(self, files: Files, config) -> Files:
        """Run the pipeline and add every generated page and file."""
        site = self._serve_pages(self._cases_dir(config)) if self._dirty else build_pages(self._cases_dir(config))
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
        built: dict[str, bytes] = {}
        generated = [(path, page.to_markdown()) for path, page in sorted(site.pages.items())]
        for path, content in [*generated, *sorted(site.files.items())]:
            file = File.generated(config, path, content=content)
            built[path] = hashlib.blake2b(content.encode() if isinstance(content, str) else content).digest()
            if self._dirty and self._built.get(path) == built[path] and os.path.exists(file.abs_dest_path):
                file.is_modified = _unchanged  # `serve --dirty`: MkDocs keeps the page it wrote last time
            files.append(file)
        self._built = built
        return files

    def _serve_pages(self, cases_dir: Path) -> Site:
        """The pages for a rebuild of ``casebook serve``: case pages at once, pages across cases when ready.

        The case pages and the index are always fresh. The pages across cases (patterns, teaching,
        coverage, downloads) take long at a thousand cases, so after an edit the last ones are served
        while fresh ones are made in a thread, which then asks the server for another build.
        """
        site, corpus = build_case_pages(cases_dir)
        if corpus is None:
            return site
        with self._lock:
            ready = self._corpus if self._corpus is not None and self._corpus[0] == corpus.key else None
            if ready is None and self._corpus is not None:
                self._wanted = corpus
                if self._worker is None or not self._worker.is_alive():
                    self._worker = threading.Thread(target=self._make_corpus, daemon=True)
                    self._worker.start()
                ready = self._corpus
        if ready is None:  # the first build: nothing to show yet
            ready = (corpus.key, corpus_outputs(corpus))
            self._corpus = ready
        add_corpus_outputs(site, ready[1])
        return site

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
        self._serving = command == "serve"
        self._dirty = bool(dirty) and self._serving
        if self._dirty:
            cache.remember(True)
        if not self._serving and self._indexer is not None:
            # MkDocs keeps a plugin that has this hook for the whole process: a build after a serve in the
            # same process must index in the foreground, not hand the work to the serve's indexer.
            self._indexer.close()
            self._indexer = None

    def on_env(self, env, config, files):
        """Hand the theme the Content Security Policy (``overrides/main.html`` declares it on every page)."""
        env.globals["casebook_csp"] = "" if self._serving else POLICY
        # overrides/main.html marks a page's article data-pagefind-body when it belongs in the search index.
        env.globals["casebook_search_indexed"] = search.indexed
        env.globals["casebook_search_defines"] = search.defines
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
        """Undo the build date set in on_files when the build fails, too."""
        self._undo_epoch()

    def on_pre_build(self, config) -> None:
        """Under `mkdocs serve`, stop indexing the previous build and keep its index, served until the new one is made."""
        if self._serving:
            if self._indexer is None:
                self._indexer = search.BackgroundIndex(_report_index)
            self._indexer.keep(Path(config.site_dir))

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

#: The server of the running ``casebook serve`` (see ``serve_site``).
_SERVER = None


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
    from mkdocs.config import load_config

    return load_config(config_file=str(config_file), **overrides)


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

    Only the pages whose content changed are written again (see ``CasebookPlugin.on_startup``);
    hand-written pages are rebuilt when their file is newer than the page MkDocs wrote.
    """
    import mkdocs.commands.serve as serving
    from mkdocs.livereload import LiveReloadServer

    class Server(LiveReloadServer):
        """MkDocs's server, remembered so that the plugin can ask it for a build."""

        def __init__(self, *args, **kwargs):
            global _SERVER
            super().__init__(*args, **kwargs)
            _SERVER = self

    serving.LiveReloadServer = Server
    try:
        serving.serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    finally:
        serving.LiveReloadServer = LiveReloadServer


def docs_dir(config_file: Path) -> Path:
    """The hand-written docs folder named in ``mkdocs.yml``."""
    return Path(_load(config_file).docs_dir)
