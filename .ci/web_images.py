"""Renders the README's pictures of the web edition in headless Chromium: a page at 1280 x 900 and at 320 x 640.

    python .ci/web_images.py SITE_FOLDER PAGE DESKTOP.png PHONE.png

Playwright (tests/readers/web.cjs, which serves the folder from 127.0.0.1) with Debian's Chromium, as the
tests run it; `make test` installs playwright-core.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(site: str, page: str, desktop: str, phone: str) -> None:
    steps = [{"op": "screenshot", "path": page, "file": str(Path(desktop).resolve()), "width": 1280, "height": 900},
             {"op": "screenshot", "path": page, "file": str(Path(phone).resolve()), "width": 320, "height": 640}]
    request = {"root": str(Path(site).resolve()), "modules": str(Path(sys.prefix) / "node" / "node_modules"),
               "chromium": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"), "steps": steps}
    subprocess.run(["node", str(ROOT / "tests" / "readers" / "web.cjs")], input=json.dumps(request), text=True,
                   check=True, capture_output=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
