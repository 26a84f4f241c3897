"""Sphinx's own linkcheck builder sees and checks related-paths URLs."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "ok.html").write_text("<html><body>ok</body></html>", encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_linkcheck_reports_related_urls(tmp_path: Path, server: int) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-checker-linkcheck", src)
    for name in ("index.rst", "page.md"):
        page = src / name
        page.write_text(page.read_text(encoding="utf-8").replace("PORT", str(server)), "utf-8")
    app = SphinxTestApp("linkcheck", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        records = [
            json.loads(line)
            for line in (Path(app.outdir) / "output.json").read_text("utf-8").splitlines()
        ]
    finally:
        app.cleanup()
    found = {(r["filename"], r["lineno"], r["uri"], r["status"]) for r in records}
    base = f"http://127.0.0.1:{server}"
    assert ("index.rst", 10, f"{base}/ok.html", "working") in found and (
        "page.md",
        4,
        f"{base}/missing.html",
        "broken",
    ) in found, found
