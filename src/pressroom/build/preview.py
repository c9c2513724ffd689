"""`pressroom preview`: the web edition of one source served on 127.0.0.1, following the source as it is edited.

A change to the source, a registry, a picture beside it or a stylesheet (watchfiles) sets the web
edition again at once, without the print layout (no print page markers; locators count the
mentions), and every open page reloads; the build of the print edition and of the web edition with
its pages (the pipeline's) then runs in the background, and when it is done and no newer change has
come, its pages take the place of the quick ones and the PDF is linked from the page. A source
with an error leaves the last good pages in place: its `file:line:col` message is printed in the
terminal and shown at the top of every page until it is mended.

The folder served is a temporary one: <stem>.html/ (the pages) and <stem>.pdf. What the server adds
to a page (the reload, the message, the PDF's link) is added as it is served, never to the files.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from html import escape
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import DefaultFilter, watch

from ..core.atomic import atomic_paths, replace_folder
from ..core.errors import PressroomError
from ..core.model import Book
from ..core.options import BuildOptions, build_timestamp
from ..core.signals import leave_interrupts_to_parent
from ..reading.collection import read_book
from ..writers import web
from ..writers.web_meta import script_safe
from .pipeline import Job, build_book

EVENTS = "/__pressroom/events"
_KEEPALIVE = 15.0  # seconds between comments on an idle event stream, so that proxies keep it open
_EMPTY_PAGE = b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/><title>pressroom preview</title></head>' \
    b"<body></body></html>"

_CLIENT = """<script>
(function () {
  const banner = document.createElement("div");
  banner.id = "preview-error"; banner.setAttribute("role", "alert"); banner.hidden = true;
  banner.style.cssText = "position:sticky;top:0;z-index:9;padding:.75rem 1rem;background:#8b1a1a;color:#fff;"
    + "font:0.95rem/1.4 monospace;white-space:pre-wrap";
  document.body.prepend(banner);
  const show = (error) => { banner.textContent = error || ""; banner.hidden = !error; };
  show(%(error)s);
  const events = new EventSource("%(events)s");
  events.onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (state.version !== %(version)d) location.reload(); else show(state.error);
  };
})();
</script>
"""


@dataclass(frozen=True)
class State:
    """What the browsers are told: the pages' version (each new setting is one more), the source's
    error if it has one now, and whether the PDF of the version shown is there."""

    version: int = 0
    error: str | None = None
    pdf: bool = False


class Preview:
    """The pages of one source, set again as it changes; `serve` shows them."""

    def __init__(self, source: Path, options: BuildOptions, folder: Path,
                 say: Callable[[str], None]) -> None:
        self.source, self.options, self.folder, self.say = source, options, folder, say
        self.site = folder / f"{source.stem}.html"
        self.pdf = folder / f"{source.stem}.pdf"
        self.state = State()
        self._changed = threading.Condition()
        self._wanted: tuple[int, Book] | None = None  # the version the background build should make whole, as read
        self._full = threading.Thread(target=self._build_in_background, daemon=True)
        # The print build in a process of its own: in this one it would hold the interpreter half the time, and
        # the quick pages of the next edit would take twice as long. One process, started once, for every build.
        self._builder = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"), leave_interrupts_to_parent)

    # --- setting the pages ------------------------------------------------------------------

    def refresh(self) -> None:
        """Set the pages from the source as it is now (quick: no print layout), and ask for the whole build."""
        try:
            doc = read_book(self.source)
            options = replace(self.options, timestamp=build_timestamp(doc.front.date, None))
            files = web.site(doc, options, None)
        except PressroomError as error:
            self.say(str(error))
            self._publish(replace(self.state, error=str(error)))
            return
        with atomic_paths([self.site]) as (staged,):
            web.write_folder(staged, files)
        self._publish(State(self.state.version + 1, None, False))
        with self._changed:
            self._wanted = (self.state.version, doc)
            self._changed.notify_all()

    def _build_in_background(self) -> None:
        """The pipeline's build of the PDF and the web edition of the newest text read whole; its pages
        replace the quick ones only if no newer good text came while it ran."""
        while True:
            with self._changed:
                while self._wanted is None:
                    self._changed.wait()
                (version, doc), self._wanted = self._wanted, None
            out = Path(tempfile.mkdtemp(prefix="build-", dir=self.folder))
            try:
                self._builder.submit(_build, doc, self.source.stem, out, self.options).result()
            except PressroomError as error:
                self.say(str(error))
                shutil.rmtree(out, ignore_errors=True)
                continue
            with self._changed:
                if version == self.state.version:  # no newer good pages (an error since leaves these the last)
                    replace_folder(out / self.site.name, self.site)
                    (out / self.pdf.name).replace(self.pdf)
                    self._publish(State(version + 1, self.state.error, True))
            shutil.rmtree(out, ignore_errors=True)

    def _publish(self, state: State) -> None:
        with self._changed:
            self.state = state
            self._changed.notify_all()

    def wait_for_change(self, seen: State, timeout: float) -> State:
        """The state once it is another than `seen` (or as it is after `timeout` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self.state != seen, timeout)
            return self.state

    # --- serving them ---------------------------------------------------------------------------

    def page(self, data: bytes) -> bytes:
        """A page as served: the reload, the source's error and the PDF's link added before </body>."""
        state = self.state
        client = _CLIENT % {"error": script_safe(json.dumps(state.error)), "events": EVENTS, "version": state.version}
        if state.pdf:
            client = f'<p id="preview-pdf"><a href="../{escape(self.pdf.name)}">PDF</a></p>\n' + client
        return data.replace(b"</body>", client.encode("utf-8") + b"</body>", 1)

    def start(self) -> None:
        self.refresh()
        self._full.start()

    def stop(self) -> None:
        """No more builds: the one running ends in its process, unwaited for."""
        self._builder.shutdown(wait=False, cancel_futures=True)


def _build(doc: Book, stem: str, out: Path, options: BuildOptions) -> None:
    """The pipeline's build of the PDF and the web edition of `doc` into `out` (in the builder process)."""
    build_book(doc, stem, Job(("pdf", "html"), out, options))


def handler_for(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving the preview's folder from 127.0.0.1, its pages with the preview's additions."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, directory=str(preview.folder), **kwargs)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            if path == EVENTS:
                self._events()
            elif path == "/":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", f"/{preview.site.name}/{web.HOME}")
                self.end_headers()
            elif path.endswith(".html"):
                self._page(path)
            else:
                super().do_GET()

        def _page(self, path: str) -> None:
            file = Path(self.translate_path(path))
            if file.is_file():
                data = preview.page(file.read_bytes())
            elif preview.state.error:  # no good pages yet: the message alone
                data = preview.page(_EMPTY_PAGE)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = None
            try:
                while True:
                    state = preview.state if seen is None else preview.wait_for_change(seen, _KEEPALIVE)
                    if state == seen:
                        self.wfile.write(b": still here\n\n")
                    else:
                        message = {"version": state.version, "error": state.error, "pdf": state.pdf}
                        self.wfile.write(f"data: {json.dumps(message)}\n\n".encode())
                    self.wfile.flush()
                    seen = state
            except (BrokenPipeError, ConnectionResetError):
                return

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002 - http.server's names
            return  # the terminal shows the source's errors, not every request

    return Handler


_READ = frozenset({".md", ".yaml", ".yml", ".css", ".jpg", ".jpeg", ".png", ".docx"})  # what a build reads


def _read_by_a_build(change: object, path: str) -> bool:
    """Whether a changed file is one a build reads (a source, a registry, a picture, a stylesheet), not an
    editor's swap file or a log written beside the source."""
    return DefaultFilter()(change, path) and Path(path).suffix.lower() in _READ


def serve(source: Path, options: BuildOptions, port: int, say: Callable[[str], None]) -> None:
    """Serve the preview of `source` on 127.0.0.1:`port` (0: any free port) until interrupted."""
    with tempfile.TemporaryDirectory(prefix="pressroom-preview-", ignore_cleanup_errors=True) as folder:
        preview = Preview(source, options, Path(folder), say)
        preview.start()
        server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(preview))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        say(f"pressroom preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            for _ in watch(source.parent, options.styles_dir, raise_interrupt=False, watch_filter=_read_by_a_build):
                preview.refresh()
        finally:
            server.shutdown()
            preview.stop()
