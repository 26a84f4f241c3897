"""The example wiki as a reader sees it, in headless Chromium.

These tests follow every related link, check that deep links carry the cited
second, run axe-core on the extension's own elements in light and dark mode, and
check the phone-width layout.  Full-page screenshots are saved as artefacts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

from .conftest import open_page

pytestmark = pytest.mark.browser

BRIDGE = "wiki/mlops-and-dataops.html"
WIKI_PAGES = [
    "wiki/mlops-and-dataops.html",
    "wiki/mlops.html",
    "wiki/dataops.html",
    "wiki/mlops-vs-dataops.html",
    "wiki/model-monitoring.html",
    "wiki/data-quality-and-observability.html",
    "wiki/ml-platforms.html",
    "wiki/data-engineering-platforms.html",
]
#: Our own elements: axe runs on these only; the theme's findings are not ours.
OURS = [".opsboundary-episode", ".opsboundary-related", ".opsboundary-boundary"]

_ISO = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def _iso_seconds(value: str) -> int:
    match = _ISO.match(value)
    assert match, value
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def test_deep_links_carry_the_cited_second(browser: Any, base_url: str) -> None:
    checked = 0
    for path in [*WIKI_PAGES, "reference/episode-citation.html", "reference/episode-role.html"]:
        page = open_page(browser, base_url + path)
        links = page.eval_on_selector_all(
            "a:has(time[datetime])",
            "els => els.map(a => [a.href, a.querySelector('time').getAttribute('datetime')])",
        )
        for href, iso in links:
            seconds = _iso_seconds(iso)
            assert re.search(rf"[?&#]t={seconds}(?:s|,|&|$)", href) or (
                # SoundCloud-style fragments use M:SS
                "#t=" in href
            ), (path, href, iso)
            checked += 1
        page.context.close()
    assert checked >= 1, "no deep link with a <time> was found in the example site"


def test_times_without_a_link_are_still_machine_readable(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url + BRIDGE)
    datetimes = page.eval_on_selector_all(
        "article time[datetime]", "els => els.map(e => e.getAttribute('datetime'))"
    )
    # The bridge page cites the six talks of the reference wiki page.
    for expected in ["PT5M11S", "PT52M39S", "PT11M57S", "PT6M42S", "PT31M45S", "PT27M35S"]:
        assert expected in datetimes
    page.context.close()


def test_every_related_link_reaches_an_existing_page(browser: Any, base_url: str) -> None:
    followed = 0
    for path in WIKI_PAGES:
        page = open_page(browser, base_url + path)
        hrefs = page.eval_on_selector_all(
            ".opsboundary-related a[href]", "els => els.map(a => a.href)"
        )
        assert hrefs, f"{path} has no related paths"
        for href in hrefs:
            if not href.startswith(base_url):
                continue  # external: Sphinx's linkcheck builder checks those
            target, fragment = urldefrag(href)
            other = page.context.new_page()
            response = other.goto(target)
            assert response is not None and response.status == 200, href
            if fragment:
                assert other.locator(f"[id='{fragment}']").count() == 1, href
            other.close()
            followed += 1
        page.context.close()
    assert followed >= len(WIKI_PAGES)


def test_boundary_table_has_header_cells(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url + "wiki/mlops-vs-dataops.html")
    tables = page.locator("table.opsboundary-boundary")
    assert tables.count() >= 2
    for index in range(tables.count()):
        table = tables.nth(index)
        assert table.locator("caption").count() == 1
        cols = table.locator("thead th[scope='col']").count()
        rows = table.locator("tbody th[scope='row']").count()
        assert 2 <= cols <= 5, cols
        assert rows >= 2, rows
    page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_violations_on_our_elements(browser: Any, base_url: str, dark: bool) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in [BRIDGE, "wiki/mlops-vs-dataops.html", "wiki/talks.html"]:
        page = open_page(browser, base_url + path, dark=dark)
        present = [sel for sel in OURS if page.locator(sel).count()]
        assert present, path
        results = axe.run(page, context={"include": [[sel] for sel in present]})
        violations = results.response["violations"]
        assert violations == [], (path, [(v["id"], v["help"], len(v["nodes"])) for v in violations])
        page.context.close()


@pytest.mark.parametrize("path", [BRIDGE, "wiki/mlops-vs-dataops.html"])
def test_phone_width_does_not_scroll_sideways(browser: Any, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path, width=375)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
    page.context.close()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots(browser: Any, base_url: str, artifacts: Path, dark: bool, width: int) -> None:
    for path in [BRIDGE, "wiki/mlops-vs-dataops.html"]:
        page = open_page(browser, base_url + path, dark=dark, width=width)
        name = Path(path).stem
        mode = "dark" if dark else "light"
        kind = "desktop" if width > 600 else "phone"
        target = artifacts / f"{name}-{mode}-{kind}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        page.context.close()


def test_related_links_are_internal_or_http(browser: Any, base_url: str) -> None:
    for path in WIKI_PAGES:
        page = open_page(browser, base_url + path)
        hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.href)")
        for href in hrefs:
            assert urljoin(base_url, href).split(":", 1)[0] in {"http", "https"}, href
        page.context.close()


def _side_accents(browser: Any, url: str, dark: bool) -> list[str]:
    page = open_page(browser, url, dark=False)
    page.emulate_media(color_scheme="dark" if dark else "light")
    page.evaluate(
        f"document.documentElement.dataset.theme = '{'dark' if dark else 'light'}';"
        f"document.documentElement.dataset.mode = '{'dark' if dark else 'light'}';"
    )
    colours = page.eval_on_selector(
        "table.opsboundary-boundary",
        """t => [...t.querySelectorAll("thead th[class*='opsboundary-side-']")]
               .map(e => getComputedStyle(e).borderTopColor)""",
    )
    page.context.close()
    return colours


def test_pydata_dark_mode_uses_the_dark_accents(browser: Any, pydata_url: str) -> None:
    """pydata sets data-theme on <html>; the dark accents must still reach the table."""
    url = pydata_url + BRIDGE
    light, dark = _side_accents(browser, url, False), _side_accents(browser, url, True)
    assert light == ["rgb(23, 105, 170)", "rgb(179, 84, 30)"]
    assert dark == ["rgb(108, 180, 240)", "rgb(240, 160, 106)"]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_under_pydata(browser: Any, pydata_url: str, dark: bool) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, pydata_url + "wiki/mlops-vs-dataops.html", dark=False)
    if dark:
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
    present = [sel for sel in OURS if page.locator(sel).count()]
    results = Axe().run(page, context={"include": [[sel] for sel in present]})
    violations = results.response["violations"]
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    page.context.close()
