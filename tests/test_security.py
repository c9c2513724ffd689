"""Untrusted sources read nothing outside their folder and styles/, and touch no network.

A secret file sits outside the source folder and a listener on 127.0.0.1 records
every connection. Each source below tries one door (images, links, raw HTML,
entities, footnotes, the title, the registries, span and heading attributes).
Whatever pressroom does with it (refuse it with exit code 3 and a located error,
or build), the listener hears nothing, the secret is in no edition, and no EPUB
XHTML holds a script element, an on* handler or a javascript: URL.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import socketserver
import subprocess
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.core.options import STYLES_DIR
from pressroom.typeset.fetch import ConfinedFetcher

LOCATED = re.compile(r"^\S+:\d+:\d+: ")
FORMATS = ("pdf", "epub", "docx", "html")  # what the hostile sources are built to
DEFAULT_FORMATS = ("pdf", "epub", "docx")  # what a build makes with no --to


# --- the listener and the secret ------------------------------------------------------


@dataclass
class Listener:
    port: int
    requests: list[bytes] = field(default_factory=list)

    def heard(self) -> list[bytes]:
        time.sleep(0.1)  # a connection accepted just now is recorded by its handler thread
        return list(self.requests)


@pytest.fixture
def listener():  # noqa: ANN201
    """A TCP server on 127.0.0.1 that records every connection (HTTP or not) and answers like HTTP."""
    requests: list[bytes] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            requests.append(b"<connected>")
            self.request.settimeout(1)
            try:
                requests[-1] = self.request.recv(4096) or b"<connected>"
                body = b"LISTENER-BODY"
                self.request.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/css\r\nContent-Length: 13\r\n\r\n" + body)
            except OSError:
                pass

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(server.server_address[1], requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    """A file outside the source folder holding a unique string."""
    token = "pressroomsecret" + uuid.uuid4().hex
    path = tmp_path / "secret.txt"
    path.write_text(token + "\n", encoding="utf-8")
    return path, token


def test_the_listener_hears_a_real_request(listener: Listener) -> None:
    """The listener works: without this, 'no request' would prove nothing."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/probe", timeout=5) as response:  # noqa: S310
        assert response.read() == b"LISTENER-BODY"
    assert any(b"GET /probe" in r for r in listener.heard())


# --- looking into the editions ----------------------------------------------------------


def _normalised(text: str) -> str:
    """Text with whitespace and hyphenation removed, so a secret broken over lines is still found."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]", "", text)


def _pdf_texts(pdf: Path, tmp_path: Path) -> dict[str, bytes]:
    """The PDF's raw bytes, its text (pdftotext) and its bytes with every stream uncompressed (qpdf)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    expanded = tmp_path / "expanded.pdf"
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", "--stream-data=uncompress", str(pdf), str(expanded)],
        capture_output=True, check=False,
    )
    assert expanded.is_file(), "qpdf could not expand the PDF"
    return {"raw": pdf.read_bytes(), "pdftotext": text, "uncompressed": expanded.read_bytes()}


_MARKUP = (".xhtml", ".html", ".htm", ".svg", ".ncx", ".opf", ".xml")


def _script_problems(name: str, data: bytes) -> list[str]:
    """Script elements, on* handler attributes and javascript: URLs in one XML entry of the EPUB."""
    problems = []
    root = ElementTree.fromstring(data)
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag == "script":
            problems.append(f"{name}: a <script> element")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                problems.append(f"{name}: a handler attribute {local}={value!r}")
            if re.match(r"\s*(javascript|vbscript|data):", re.sub(r"[\x00-\x20]", "", value), re.I):
                problems.append(f"{name}: a script URL {local}={value!r}")
    return problems


_WEB_DATA = frozenset({"application/ld+json", "application/json"})


def _web_page_problems(page: Path) -> list[str]:
    """What a web edition's page could run or fetch besides its own: a script that is not web.js or JSON
    data (which must parse), a handler attribute, a script URL, an address on another host."""
    problems = []
    root = lxml_html.parse(page).getroot()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            if element.get("type") in _WEB_DATA:
                json.loads(element.text or "")  # data, whole: no text of the source closed the element
            elif element.get("src") != "style/web.js" or (element.text or "").strip():
                problems.append(f"{page.name}: a script {element.get('src') or (element.text or '')[:40]!r}")
        for attribute, value in element.attrib.items():
            if attribute.lower().startswith("on"):
                problems.append(f"{page.name}: a handler attribute {attribute}={value!r}")
            scheme = re.match(r"\s*(javascript|vbscript|data|https?|//)", value, re.I)
            loaded = attribute == "src" or (attribute == "href" and element.tag == "link")  # a link is followed only
            if scheme and (loaded or scheme.group(1).lower() in ("javascript", "vbscript", "data")):
                problems.append(f"{page.name}: {attribute}={value!r}")
    return problems


def assert_nothing_leaked(out: Path, stem: str, token: str, tmp_path: Path) -> None:
    """The secret is in no edition; the EPUB's markup holds no script."""
    secret = token.encode()
    pdf = out / f"{stem}.pdf"
    if pdf.exists():
        for kind, data in _pdf_texts(pdf, tmp_path).items():
            assert secret not in data, f"the secret is in the PDF ({kind})"
            broken = f"the secret is in the PDF ({kind}, broken over lines)"
            assert token not in _normalised(data.decode("latin-1")), broken
        uncompressed = _pdf_texts(pdf, tmp_path)["uncompressed"]
        assert not re.search(rb"/S\s*/JavaScript|/JS\s*[(<]", uncompressed), "a JavaScript action in the PDF"
    epub = out / f"{stem}.epub"
    if epub.exists():
        with zipfile.ZipFile(epub) as book:
            problems = []
            for name in book.namelist():
                data = book.read(name)
                assert secret not in data, f"the secret is in the EPUB's {name}"
                if name.lower().endswith(_MARKUP):
                    problems += _script_problems(name, data)
                    assert b"<script" not in data.lower(), f"{name}: '<script' in the markup"
            assert not problems, problems
    site = out / f"{stem}.html"
    if site.is_dir():
        for path in sorted(site.rglob("*")):
            if path.is_file():
                assert secret not in path.read_bytes(), f"the secret is in the web edition's {path.name}"
            if path.suffix == ".html":
                assert _web_page_problems(path) == [], _web_page_problems(path)
    docx = out / f"{stem}.docx"
    if docx.exists():
        with zipfile.ZipFile(docx) as document:
            for name in document.namelist():
                assert secret not in document.read(name), f"the secret is in the DOCX's {name}"


# --- sources that try every door ----------------------------------------------------------

_FILMS = """\
anora: {{title: Anora, year: 2024, director: Sean Baker}}
evil:
  title: "<script>fetch('http://127.0.0.1:{port}/film')</script> Evil \
<img src='http://127.0.0.1:{port}/film.png' onerror='alert(1)'>"
  year: 2000
  director: "<iframe src=\\"{secret_uri}\\"></iframe> <a href='javascript:alert(1)'>x</a>"
  sort: "<b onmouseover=alert(1)>Evil"
  aliases: [Evil Film]
"""

_PEOPLE = """\
evil-person:
  name: "<svg onload=alert(1)><image href='http://127.0.0.1:{port}/person.png'/></svg> Person"
  sort: "<script>alert(1)</script>"
  aliases: [Evil Person]
"""

_SPEAKERS = """speakers:
  Filmmaker: {{role: interviewer}}
  Baker: {{role: interviewee, name: Sean Baker}}
"""


def _source(front: str = "", body: str = "Filmmaker: A question.\n", title: str = "A Hostile Interview") -> str:
    """A source template: str.format fills {port}, {secret_uri}, {secret_path}; literal braces are doubled."""
    return f"---\ntitle: {title}\n{front}{_SPEAKERS}---\n\n::: interview\n{body}\n\nBaker: An answer.\n:::\n"


# name -> (source text with {port}, {secret_uri}, {secret_path} placeholders, expected exit code)
DOORS: dict[str, tuple[str, int]] = {
    # Markdown images: refused (nothing a source says is fetched)
    "image-http": (_source(body="Filmmaker: See ![x](http://127.0.0.1:{port}/a.png)."), 3),
    "image-relative-secret": (_source(body="Filmmaker: See ![x](../secret.txt)."), 3),
    "image-file-uri": (_source(body="Filmmaker: See ![x]({secret_uri})."), 3),
    "image-reference": (_source(body="Filmmaker: See ![x][r].\n\n[r]: http://127.0.0.1:{port}/ref.png"), 3),
    # Markdown links: kept as links (http) or as text (anything else); never followed
    "link-http": (_source(body="Filmmaker: See [x](http://127.0.0.1:{port}/)."), 0),
    "link-file-uri": (_source(body="Filmmaker: See [x]({secret_uri})."), 0),
    "link-relative-secret": (_source(body="Filmmaker: See [x](../secret.txt)."), 0),
    "link-absolute-path": (_source(body="Filmmaker: See [x]({secret_path})."), 0),
    "autolink-http": (_source(body="Filmmaker: See <http://127.0.0.1:{port}/auto>."), 0),
    "link-javascript": (_source(body="Filmmaker: See [x](javascript:fetch('http://127.0.0.1:{port}/js'))."), 0),
    "link-entity-javascript": (_source(body="Filmmaker: See [x](&#106;avascript&#58;alert(1))."), 0),
    "link-entity-http": (_source(body="Filmmaker: See [x](http&#58;//127.0.0.1:{port}/ent)."), 0),
    "link-data-url": (
        _source(body="Filmmaker: See [x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)."),
        0,
    ),
    "link-quote-breakout": (_source(body='Filmmaker: See [x](<http://127.0.0.1:{port}/" onmouseover="alert(1)>).'), 0),
    "link-title-script": (_source(body='Filmmaker: See [x](http://127.0.0.1:{port}/ "<script>alert(1)</script>").'), 0),
    # raw HTML: refused
    "raw-img": (_source(body='Filmmaker: See <img src="http://127.0.0.1:{port}/i">.'), 3),
    "raw-link-attachment": (_source(body='Filmmaker: A question.\n\n<link rel="attachment" href="../secret.txt">'), 3),
    "raw-a-attachment": (_source(body='Filmmaker: See <a rel="attachment" href="{secret_uri}">x</a>.'), 3),
    "raw-iframe": (_source(body='Filmmaker: A question.\n\n<iframe src="http://127.0.0.1:{port}/f"></iframe>'), 3),
    "raw-script": (_source(body='Filmmaker: A question.\n\n<script>fetch("http://127.0.0.1:{port}/s")</script>'), 3),
    "raw-script-inline": (
        _source(body='Filmmaker: A <script>fetch("http://127.0.0.1:{port}/s")</script> question.'),
        3,
    ),
    "raw-svg": (
        _source(body='Filmmaker: A question.\n\n<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:{port}/svg.png"/>'
                '<image href="../secret.txt"/></svg>'),
        3,
    ),
    "raw-style": (_source(body="Filmmaker: A question.\n\n<style>@import url(http://127.0.0.1:{port}/c);</style>"), 3),
    "raw-object": (_source(body='Filmmaker: A question.\n\n<object data="../secret.txt"></object>'), 3),
    "raw-raw-attribute": (
        _source(body='Filmmaker: A question.\n\n```{{=html}}\n<img src="http://127.0.0.1:{port}/ra">\n```'),
        0,
    ),
    # entities and comments: text, or dropped
    "entity-trick": (
        _source(body='Filmmaker: &lt;img src="http://127.0.0.1:{port}/e" onerror="alert(1)"&gt; and '
                "&#60;script&#62;alert(1)&#60;/script&#62; and &amp;lt;b&amp;gt;."),
        0,
    ),
    "comment-payload": (_source(body='Filmmaker: A question. <!-- <img src="http://127.0.0.1:{port}/c1"> -->'), 0),
    "comment-breakout": (
        _source(body='Filmmaker: A question.\n\n<!-- --><img src="http://127.0.0.1:{port}/cb"><!-- -->'),
        0,
    ),
    "code-block-script": (
        _source(body='Filmmaker: A question.\n\n```html\n<script src="http://127.0.0.1:{port}/cs"></script>\n```'),
        0,
    ),
    "inline-code-script": (
        _source(body='Filmmaker: A `<script src="http://127.0.0.1:{port}/ic"></script>` question.'),
        0,
    ),
    # footnotes
    "footnote-image": (_source(body="Filmmaker: A question.[^1]\n\n[^1]: ![x](http://127.0.0.1:{port}/fn.png)"), 3),
    "footnote-raw-html": (
        _source(body='Filmmaker: A question.[^1]\n\n[^1]: <img src="http://127.0.0.1:{port}/fn2">'),
        3,
    ),
    "footnote-link": (
        _source(body="Filmmaker: A question.[^1]\n\n[^1]: [x](../secret.txt) and [y](http://127.0.0.1:{port}/fl)"),
        0,
    ),
    # the front matter
    "title-script": (_source(title='"A <script>fetch(\'http://127.0.0.1:{port}/t\')</script> title"'), 3),
    "title-image": (_source(title='"![x](http://127.0.0.1:{port}/t.png)"'), 3),
    "subtitle-raw-img": (_source(front="subtitle: \"<img src='http://127.0.0.1:{port}/st'>\"\n"), 3),
    "front-matter-plain-html": (
        _source(
            front="publisher: \"<script>alert(1)</script>\"\n"
            "rights: \"<img src=http://127.0.0.1:{port}/r onerror=alert(1)>\"\n"
            "history: [\"<iframe src='{secret_uri}'></iframe>\"]\n"
            "keywords: [\"<svg onload=alert(1)>\"]\n"
            "author: \"<a href='javascript:alert(1)'>Jane</a>\"\n"
            "identifier: 'urn:x\"><script>alert(1)</script>'\n"
        ),
        0,
    ),
    "speaker-name-html": (
        "---\ntitle: A Hostile Interview\nspeakers:\n"
        "  Filmmaker: {{role: interviewer, name: \"<script>alert(1)</script>\"}}\n"
        "  Baker: {{role: interviewee, name: \"<img src='http://127.0.0.1:{port}/sn' onerror='alert(1)'>\"}}\n---\n\n"
        "::: interview\nFilmmaker: A question.\n\nBaker: An answer.\n:::\n",
        0,
    ),
    "lang-injection": (_source(front="lang: 'en\" onload=\"alert(1)'\n"), 3),
    # the registries
    "film-registry-script": (_source(body="Filmmaker: A question about [Evil Film]{{.film}} and [Anora]{{.film}}?"), 0),
    "person-registry-script": (_source(body="Filmmaker: A question about [Evil Person]{{.person}}?"), 0),
    "front-matter-film-script": (
        _source(
            front="films:\n  fm-evil: {{title: \"<script>fetch('http://127.0.0.1:{port}/fm')</script>\", "
            "director: \"<img src='{secret_uri}'>\", aliases: [FM Evil]}}\n",
            body="Filmmaker: A question about [FM Evil]{{.film}}?",
        ),
        0,
    ),
    "film-key-injection": (  # plain text
        _source(body="Filmmaker: About [Anora]{{.film key='anora\" onclick=\"alert(1)'}}?"),
        0,
    ),
    "film-key-entity-injection": (
        _source(body="Filmmaker: About [Anora]{{.film key=\"anora&quot; onclick=&quot;alert(1)\"}}?"),
        3,
    ),
    # attributes on spans and headings: dropped
    "span-attributes": (
        _source(body="Filmmaker: [Anora]{{.film key=anora onclick=\"alert(1)\" "
                "style=\"background:url(http://127.0.0.1:{port}/sp)\"}} "
                "and [x]{{.smallcaps onmouseover=\"alert(1)\" style=\"background:url({secret_uri})\"}}?"),
        0,
    ),
    "heading-attributes": (
        _source(body="Filmmaker: A question.\n\n## Heading {{#h onclick=\"alert(1)\" style=\"background:url(http://127.0.0.1:{port}/h)\"}}\n\n"
                "Baker: More."),
        0,
    ),
    "link-attributes": (
        _source(body="Filmmaker: See [x](http://127.0.0.1:{port}/la)"
                "{{onclick=\"alert(1)\" style=\"background:url({secret_uri})\"}}."),
        0,
    ),
}


def _write_source_folder(tmp_path: Path, name: str, text: str, listener: Listener, secret: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    values = {"port": listener.port, "secret_uri": secret.as_uri(), "secret_path": str(secret)}
    (src / "films.yaml").write_text(_FILMS.format(**values), encoding="utf-8")
    (src / "people.yaml").write_text(_PEOPLE.format(**values), encoding="utf-8")
    source = src / f"{name}.md"
    source.write_text(text.format(**values), encoding="utf-8")
    return source


@pytest.mark.parametrize("name", list(DOORS))
@pytest.mark.slow
def test_a_hostile_source_reads_and_fetches_nothing(
    name: str, tmp_path: Path, listener: Listener, secret: tuple[Path, str]
) -> None:
    secret_path, token = secret
    text, expected_code = DOORS[name]
    source = _write_source_folder(tmp_path, name, text, listener, secret_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out), "--to", ",".join(FORMATS)])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 3), (result.exit_code, result.output, repr(result.exception))
    if result.exit_code == 3:
        located = [line for line in result.output.splitlines() if LOCATED.match(line)]
        assert len(located) == 1 and located[0].startswith(f"{source}:"), result.output
        assert not out.exists() or not any(out.iterdir())
    else:
        assert sorted(p.name for p in out.iterdir()) == sorted([f"{name}.{fmt}" for fmt in FORMATS] + ["SHA256SUMS"])
    assert result.exit_code == expected_code, result.output
    assert listener.heard() == [], "pressroom made a connection"
    assert token not in result.output
    assert_nothing_leaked(out, name, token, tmp_path)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("film-registry-script", ["<b onmouseover=alert(1)>Evil", "<iframe src="]),  # films.yaml: sort key, director
        ("front-matter-film-script", ["<script>fetch("]),  # a front-matter film's title heads its entry
        ("entity-trick", ["<img src=", "<script>alert(1)</script>", "&lt;b&gt;"]),
        ("front-matter-plain-html", ["<script>alert(1)</script>"]),
    ],
)
@pytest.mark.slow
def test_markup_in_text_stays_text(
    name: str, shown: list[str], tmp_path: Path, listener: Listener, secret: tuple[Path, str]
) -> None:
    """Registry titles, entities and front-matter strings that look like HTML come out as the characters they are."""
    text, _ = DOORS[name]
    source = _write_source_folder(tmp_path, name, text, listener, secret[0])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out), "--to", "epub"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / f"{name}.epub") as book:
        texts = "".join(
            "".join(ElementTree.fromstring(book.read(n)).itertext()) for n in book.namelist() if n.endswith(".xhtml")
        )
    for expected in shown:
        assert expected in texts


# --- the URL fetcher itself -----------------------------------------------------------------


def _allowed(tmp_path: Path, secret: Path) -> Path:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "inside.css").write_text("p { color: black }\n", encoding="utf-8")
    (allowed / "sub").mkdir()
    (allowed / "leak.txt").symlink_to(secret)
    (allowed / "sub" / "up").symlink_to(tmp_path)  # a folder link out of the allowed folder
    return allowed


def test_the_fetcher_serves_a_file_inside(tmp_path: Path, secret: tuple[Path, str]) -> None:
    allowed = _allowed(tmp_path, secret[0])
    fetcher = ConfinedFetcher([allowed])
    for url in ((allowed / "inside.css").as_uri(), f"file://localhost{allowed / 'inside.css'}",
                (allowed / "sub" / ".." / "inside.css").as_uri()):
        response = fetcher(url)
        try:
            assert response.read() == b"p { color: black }\n"
        finally:
            response.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "https://127.0.0.1:{port}/",
        "ftp://127.0.0.1:{port}/x",
        "HTTP://127.0.0.1:{port}/upper",
        "//127.0.0.1:{port}/scheme-relative",
        "file://127.0.0.1:{port}{secret}",
        "data:text/css,p%7Bcolor:red%7D",
        "{secret_uri}",
        "file://{allowed}/../secret.txt",
        "file://{allowed}/%2e%2e/secret.txt",
        "file://{allowed}/sub/../../secret.txt",
        "file://{allowed}/leak.txt",
        "file://{allowed}/sub/up/secret.txt",
        "file:{secret}",
        "file:///etc/passwd",
        "{allowed}/../secret.txt",
    ],
)
def test_the_fetcher_refuses(url: str, tmp_path: Path, listener: Listener, secret: tuple[Path, str]) -> None:
    allowed = _allowed(tmp_path, secret[0])
    url = url.format(port=listener.port, secret=secret[0], secret_uri=secret[0].as_uri(), allowed=allowed)
    fetcher = ConfinedFetcher([allowed])
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any refusal will do, as long as nothing is read
        response = fetcher(url)
        data = response.read()
        response.close()
        assert secret[1].encode() not in data
    assert secret[1] not in str(caught.value)
    assert listener.heard() == []


@pytest.mark.slow
def test_the_fetcher_refuses_through_weasyprint(tmp_path: Path, listener: Listener, secret: tuple[Path, str],
                                                caplog: pytest.LogCaptureFixture) -> None:
    """HTML and CSS laid out with the fetcher: nothing outside the folder ends up in the PDF."""
    from weasyprint import HTML

    allowed = _allowed(tmp_path, secret[0])
    port, secret_uri = listener.port, secret[0].as_uri()
    html = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/s.css"/>'
        f'<link rel="attachment" href="{secret_uri}"/><link rel="attachment" href="leak.txt"/>'
        f"<style>@import url(http://127.0.0.1:{port}/i.css); p::after {{ content: url({secret_uri}) }}</style></head>"
        f'<body><p>Text</p><img src="http://127.0.0.1:{port}/i.png"/><img src="../secret.txt"/>'
        f'<object data="{secret_uri}"></object><embed src="leak.txt"/>'
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:{port}/svg.png"/></svg></body></html>'
    )
    pdf = tmp_path / "direct.pdf"
    HTML(string=html, base_url=allowed.as_uri() + "/", url_fetcher=ConfinedFetcher([allowed])).write_pdf(pdf)
    _expect_refusal_warnings(caplog)
    assert listener.heard() == []
    for kind, data in _pdf_texts(pdf, tmp_path).items():
        assert secret[1].encode() not in data, kind


# --- a hostile styles folder -------------------------------------------------------------------


_REFUSALS = ("pressroom fetches no URL", "outside the folders pressroom may read")


def _expect_refusal_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Mark WeasyPrint's warnings about URLs the fetcher refused as expected; return them."""
    refused = []
    for record in caplog.get_records("call"):
        if record.levelno >= logging.WARNING and any(r in record.getMessage() for r in _REFUSALS):
            record.expected = True
            refused.append(record)
    return refused


@pytest.mark.slow
def test_a_hostile_styles_folder_fetches_nothing(
    tmp_path: Path, listener: Listener, secret: tuple[Path, str], caplog: pytest.LogCaptureFixture
) -> None:
    secret_path, token = secret
    styles = tmp_path / "styles"
    shutil.copytree(STYLES_DIR, styles)
    (styles / "leak.txt").symlink_to(secret_path)
    port, secret_uri = listener.port, secret_path.as_uri()
    print_css = styles / "print.css"
    print_css.write_text(
        f"@import url(http://127.0.0.1:{port}/x.css);\n@import url({secret_uri});\n@import url(../secret.txt);\n"
        + print_css.read_text(encoding="utf-8")
        + f"\n@import url(http://127.0.0.1:{port}/late.css);\n"
        f"body {{ background: url({secret_uri}); }}\n"
        f"html {{ background-image: url(http://127.0.0.1:{port}/bg.png); }}\n"
        f"h1::before {{ content: url({secret_uri}) url(leak.txt) url(../secret.txt); }}\n"
        f'@font-face {{ font-family: "Leak"; src: url(http://127.0.0.1:{port}/f.ttf), url({secret_uri}); }}\n'
        f'p {{ font-family: "Leak", serif; list-style-image: url(http://127.0.0.1:{port}/li.png); }}\n',
        encoding="utf-8",
    )
    src = tmp_path / "src"
    src.mkdir()
    (src / "films.yaml").write_text("anora: {title: Anora, year: 2024, director: Sean Baker}\n", encoding="utf-8")
    source = src / "plain.md"
    template = _source(body="Filmmaker: A question about [Anora]{{.film}}?")
    source.write_text(template.format(port=port, secret_uri=secret_uri, secret_path=secret_path), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out), "--styles", str(styles)])
    refused = _expect_refusal_warnings(caplog)
    for record in caplog.get_records("call"):  # what the hostile rules themselves cause
        message = record.getMessage()
        if f"127.0.0.1:{port}" in message or "Font-face 'Leak' cannot be loaded" in message:
            record.expected = True
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 4), result.output
    if result.exit_code == 0:
        editions = [f"plain.{fmt}" for fmt in DEFAULT_FORMATS]
        assert sorted(p.name for p in out.iterdir()) == sorted([*editions, "SHA256SUMS"])
    assert listener.heard() == [], "pressroom made a connection"
    assert refused, "WeasyPrint should have been refused the hostile URLs"
    assert token not in result.output
    assert_nothing_leaked(out, "plain", token, tmp_path)


@pytest.mark.slow
def test_weasyprint_gets_the_confining_fetcher_for_every_stylesheet_and_document(doc, monkeypatch) -> None:
    """The stylesheets made from strings (page setup, the index pages' running heads) included."""
    import weasyprint

    from pressroom.core.options import BuildOptions
    from pressroom.typeset.layout import lay_out

    fetchers = []

    def recording(cls):  # noqa: ANN001, ANN202
        def make(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            fetchers.append((cls.__name__, kwargs.get("url_fetcher")))
            return cls(*args, **kwargs)

        return make

    monkeypatch.setattr(weasyprint, "CSS", recording(weasyprint.CSS))
    monkeypatch.setattr(weasyprint, "HTML", recording(weasyprint.HTML))
    lay_out(doc, BuildOptions())
    assert {name for name, _ in fetchers} == {"CSS", "HTML"} and len(fetchers) >= 6, fetchers
    assert all(isinstance(fetcher, ConfinedFetcher) for _, fetcher in fetchers), fetchers
