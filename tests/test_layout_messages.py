"""``:layout:`` messages worded alike, and sphinx-design found however it was loaded.

related-paths and boundary-table say an unknown layout the same way, with the
closest layout as a did-you-mean that ends the message (never ``?; using``), from
rST and MyST; sphinx-design set up by another extension (not listed in conf.py's
``extensions``) still gives cards and tabs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_opsboundary import diagnostics
from test_related import build_app
from util import Warning_, warnings_of

RELATED = (
    "related-paths :layout: 'lsit' is not one of 'list', 'cards', so the list layout is used; "
    "did you mean 'list'?"
)
BOUNDARY = (
    "boundary-table :layout: 'tabel' is not one of 'table', 'cards', 'tabs', so the table "
    "layout is used; did you mean 'table'?"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    app = build_app("layout-messages", tmp_path_factory.mktemp("layouts"))
    app.build()
    yield app
    app.cleanup()


def test_layout_warnings(built: SphinxTestApp) -> None:
    assert sorted(warnings_of(built)) == sorted(
        [
            Warning_("layouts_rst.rst", 5, RELATED, "opsboundary.syntax"),
            Warning_("layouts_rst.rst", 16, BOUNDARY, "opsboundary.syntax"),
            Warning_("layouts_md.md", 4, RELATED, "opsboundary.syntax"),
            Warning_("layouts_md.md", 17, BOUNDARY, "opsboundary.syntax"),
        ]
    )


@pytest.mark.parametrize("page", ["layouts_rst", "layouts_md"])
def test_design_loaded_by_another_extension(built: SphinxTestApp, page: str) -> None:
    html = (Path(built.outdir) / f"{page}.html").read_text(encoding="utf-8")
    assert "opsboundary-related-cards" in html and "sd-card-body" in html
    assert "opsboundary-boundary-tabs" in html and "sd-tab-set" in html


def test_no_message_joins_a_question_to_more_text() -> None:
    for layouts in (("list", "cards"), ("table", "cards", "tabs")):
        for value in ("lsit", "card", "tabel", "grid", "carousel"):
            message = diagnostics.unknown_layout("x", value, layouts)
            assert "?" not in message or message.endswith("?")
            assert "?;" not in message
    assert diagnostics.unknown_layout("x", "grid", ("list", "cards")) == (
        "x :layout: 'grid' is not one of 'list', 'cards', so the list layout is used"
    )


def test_without_design_both_directives_say_it_alike(tmp_path: Path) -> None:
    app = build_app(
        "layout-messages",
        tmp_path,
        confoverrides={"extensions": ["myst_parser", "sphinx_opsboundary"]},
    )
    try:
        app.build()
        found = [w for w in warnings_of(app) if w.type == "opsboundary.config"]
    finally:
        app.cleanup()
    fix = "add 'sphinx_design' to extensions (pip install 'sphinx-opsboundary[design]')"
    related = (
        f"related-paths :layout: cards needs the sphinx_design extension, so the list layout "
        f"is used; {fix}"
    )
    boundary = (
        f"boundary-table :layout: tabs needs the sphinx_design extension, so the table layout "
        f"is used; {fix}"
    )
    assert sorted(found) == sorted(
        [
            Warning_("layouts_rst.rst", 10, related, "opsboundary.config"),
            Warning_("layouts_rst.rst", 24, boundary, "opsboundary.config"),
            Warning_("layouts_md.md", 10, related, "opsboundary.config"),
            Warning_("layouts_md.md", 26, boundary, "opsboundary.config"),
        ]
    )
