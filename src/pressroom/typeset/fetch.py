"""WeasyPrint's only door to the outside: local files under a few folders, nothing else.

Sources are untrusted, so a stylesheet or document may name any URL; this
fetcher serves `file:` URLs inside the allowed folders (the styles and the
fonts pressroom ships) and `data:` URLs (the figures' pictures, which the reader
has already checked and holds in memory), and refuses everything else, the network included.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class ConfinedFetcher(URLFetcher):
    """A URLFetcher that reads files under `roots` and nothing else (a root may be one file: the
    PDF/X writer reads only the CMYK profile, see pdfx.py)."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return _data(url)
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"pressroom fetches no URL: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"outside the folders pressroom may read: {path}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": kind})


def _data(url: str) -> URLFetcherResponse:
    """A base64 `data:` URL's bytes: nothing is read or fetched."""
    header, comma, payload = url[len("data:"):].partition(",")
    kind, _, encoding = header.partition(";")
    if not comma or encoding != "base64":
        raise ValueError("pressroom reads only base64 data: URLs")
    try:
        body = base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise ValueError(f"a data: URL that is not base64: {error}") from None
    return URLFetcherResponse(url[:40], body=body, headers={"Content-Type": kind or "application/octet-stream"})
