"""The citation card and the related-paths box keep their inner space in every theme.

furo's ``[role=main] .container { padding: 0 }`` (and Bootstrap's ``.container``
under pydata) outrank a single class, which once put the card's text 3-4 px
from its accent border.  This measures the computed padding in Chromium under
furo, pydata-sphinx-theme and alabaster, in light and dark mode, and the gap
between the accent border and the text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import ROOT, _build_site, _serve

pytestmark = pytest.mark.browser

PAGE = "wiki/mlops-and-dataops.html"
THEMES = {"furo": "furo", "pydata": "pydata_sphinx_theme", "alabaster": "alabaster"}

#: selector -> (top, right, bottom, left) padding in em of the element's font size,
#: as static/opsboundary.css sets it.
EXPECTED = {
    ".opsboundary-episode": (0.9, 1.1, 0.75, 1.1),
    ".opsboundary-related:not(:has(> .opsboundary-related-cards))": (0.75, 1.0, 0.75, 1.0),
}

_MEASURE = """
els => els.map(e => {
  const s = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const first = e.firstElementChild.getBoundingClientRect();
  return {
    font: parseFloat(s.fontSize),
    padding: [s.paddingTop, s.paddingRight, s.paddingBottom, s.paddingLeft].map(parseFloat),
    border: parseFloat(s.borderLeftWidth),
    gap: first.left - box.left - parseFloat(s.borderLeftWidth),
  };
})
"""


@pytest.fixture(scope="session")
def alabaster_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(_build_site(tmp_path_factory.mktemp("alabaster"), "alabaster"))


@pytest.fixture(params=["furo", "pydata", "alabaster"])
def theme_url(request: pytest.FixtureRequest) -> str:
    name = {"furo": "base_url", "pydata": "pydata_url", "alabaster": "alabaster_url"}
    return str(request.getfixturevalue(name[request.param]))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("selector", sorted(EXPECTED))
def test_computed_padding(browser: Any, theme_url: str, selector: str, dark: bool) -> None:
    found = _measure(browser, theme_url + PAGE, selector, dark)
    assert found, f"no {selector} on {PAGE}"
    for box in found:
        want = [round(em * box["font"], 1) for em in EXPECTED[selector]]
        assert [round(p, 1) for p in box["padding"]] == want, (theme_url, selector, box)
        # The text starts a full left padding inside the accent border.
        assert box["gap"] >= want[3] - 0.5, (theme_url, selector, box)
        assert box["gap"] >= 10, (theme_url, selector, box)


def _measure(browser: Any, url: str, selector: str, dark: bool) -> list[dict[str, Any]]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="dark" if dark else "light"
    )
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        return list(page.eval_on_selector_all(selector, _MEASURE))
    finally:
        context.close()


@pytest.fixture(scope="session", params=sorted(THEMES))
def boundary_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """tests/roots/test-boundary (cards with a shared row) built with each theme."""
    work = tmp_path_factory.mktemp(f"boundary-{request.param}")
    shutil.copytree(ROOT / "tests" / "roots" / "test-boundary", work / "src")
    theme = f"html_theme={THEMES[request.param]}"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", theme]
    result = subprocess.run(
        [*command, str(work / "src"), str(work / "html")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    yield from _serve(work / "html")


def test_shared_row_of_boundary_cards(browser: Any, boundary_url: str) -> None:
    found = _measure(browser, boundary_url + "layouts.html", ".opsboundary-shared.container", False)
    assert found
    for box in found:
        want = [round(em * box["font"], 1) for em in (0.5, 0.8, 0.5, 0.8)]
        assert [round(p, 1) for p in box["padding"]] == want, (boundary_url, box)
