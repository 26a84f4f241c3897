"""The wiki's network as a reader sees it (SPEC §7.1, §7.3), in headless Chromium.

The example wiki's index draws its own network with ``related-graph``: every
node is a link that reaches its page, a keyboard user can Tab to each node and
sees where the focus is, axe-core finds nothing on the graph or the "Linked
from" blocks in furo's light and dark modes, and the screenshots are kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from .conftest import open_page

pytestmark = pytest.mark.browser

INDEX = "wiki/index.html"
GRAPH = ".opsboundary-graph-svg"


def test_graph_nodes_are_links_that_reach_their_pages(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url + INDEX)
    links = page.locator(f"{GRAPH} a")
    assert links.count() >= 8
    found = []
    for index in range(links.count()):
        link = links.nth(index)
        href = link.evaluate("a => a.getAttribute('xlink:href')")
        # every page node is a link; the page showing the graph links to itself ("#")
        assert href and (href.endswith(".html") or href == "#"), href
        name = link.locator("text").first.text_content() or ""
        found.append((urljoin(page.url, href), name.strip()))
    page.context.close()
    for url, name in found:
        target = open_page(browser, url)
        heading = target.locator("h1").first.text_content() or ""
        assert heading.replace("#", "").strip().startswith(name.split("\n")[0][:20]), (url, name)
        target.context.close()


def test_keyboard_reaches_every_node_with_a_visible_focus(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url + INDEX)
    count = page.locator(f"{GRAPH} a").count()
    page.locator(f"{GRAPH}").scroll_into_view_if_needed()
    # Focus the element just before the graph, then Tab into it.
    page.evaluate(
        """sel => {
            const svg = document.querySelector(sel);
            const before = document.createElement('a');
            before.href = '#'; before.id = 'before-graph'; before.textContent = 'x';
            svg.parentNode.insertBefore(before, svg);
            before.focus();
        }""",
        GRAPH,
    )
    reached = []
    for _ in range(count):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """sel => {
                const el = document.activeElement;
                if (!el || !el.closest(sel)) return null;
                const shape = el.querySelector('path, polygon');
                const style = getComputedStyle(shape);
                return {name: el.textContent.trim(), width: style.strokeWidth,
                        visible: el.matches(':focus-visible')};
            }""",
            GRAPH,
        )
        assert info is not None, "Tab left the graph before every node was reached"
        assert info["visible"], info
        assert info["width"] == "3px", info  # the focused node is drawn thicker
        reached.append(info["name"])
    assert len(set(reached)) == count
    page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_violations_in_the_graph(browser: Any, base_url: str, dark: bool) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path, selector in [
        (INDEX, ".opsboundary-graph"),
        ("wiki/mlops.html", ".opsboundary-backlinks"),
    ]:
        page = open_page(browser, base_url + path, dark=dark)
        assert page.locator(selector).count(), (path, selector)
        results = axe.run(page, context={"include": [[selector]]})
        violations = results.response["violations"]
        assert violations == [], (path, [(v["id"], v["help"], len(v["nodes"])) for v in violations])
        page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_graph_follows_the_theme(browser: Any, base_url: str, dark: bool) -> None:
    page = open_page(browser, base_url + INDEX, dark=dark)
    colours = page.evaluate(
        """sel => {
            const svg = document.querySelector(sel);
            const text = getComputedStyle(svg.querySelector('.node.page text')).fill;
            const body = getComputedStyle(document.body).color;
            return {text, body};
        }""",
        GRAPH,
    )
    assert colours["text"] == colours["body"], colours  # node labels use the page's text colour
    page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_graph_screenshots(browser: Any, base_url: str, artifacts: Path, dark: bool) -> None:
    page = open_page(browser, base_url + INDEX, dark=dark)
    mode = "dark" if dark else "light"
    graph = page.locator(".opsboundary-graph")
    target = artifacts / f"wiki-graph-{mode}.png"
    graph.screenshot(path=str(target))
    assert target.stat().st_size > 5_000
    page.keyboard.press("Tab")
    page.locator(f"{GRAPH} a").first.focus()
    focused = artifacts / f"wiki-graph-{mode}-focus.png"
    graph.screenshot(path=str(focused))
    page.context.close()
