"""Fixtures for the browser tests: build the example wiki once, serve it on
127.0.0.1, and drive Debian's Chromium through Playwright."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Flags that keep Chromium off the network and quiet in a sandbox.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = os.environ.get("OPSBOUNDARY_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "Debian's chromium is required for the browser tests "
            "(apt-get install chromium, or set OPSBOUNDARY_CHROMIUM)"
        )
    return found


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("OPSBOUNDARY_ARTIFACTS", ROOT / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _build_site(out: Path, theme: str) -> Path:
    if importlib.util.find_spec(theme) is None:  # docs/conf.py would fall back to alabaster
        pytest.fail(f"{theme} is needed for the browser tests (tox -e browser installs it)")
    env = {**os.environ, "OPSBOUNDARY_DOCS_THEME": theme}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", DOCS, out],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example wiki built with furo, exactly as the Quick start builds it."""
    return _build_site(tmp_path_factory.mktemp("site"), "furo")


@pytest.fixture(scope="session")
def pydata_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same wiki under pydata-sphinx-theme, whose dark mode is set on <html>."""
    return _build_site(tmp_path_factory.mktemp("pydata"), "pydata_sphinx_theme")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    yield from _serve(site)


@pytest.fixture(scope="session")
def pydata_url(pydata_site: Path) -> Iterator[str]:
    yield from _serve(pydata_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, url: str, *, dark: bool = False, width: int = 1280) -> Any:
    """A new page at *url*, light or dark, *width* pixels wide; asserts it loaded."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if dark else "light",
    )
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    if dark:
        # furo: "auto" follows the OS preference, which we emulate; set it outright too.
        page.evaluate("document.body.dataset.theme = 'dark'")
    return page
