"""related-paths: grammar, link texts, and every link diagnostic, from rST and MyST."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from util import Warning_, opsboundary_warnings, warnings_of

ROOTS = Path(__file__).parent / "roots"

PAGES = {"rst": "links/rst_links.rst", "md": "links/md_links.md"}

#: (line, subtype, message) shared by both source formats; {self} is the page name.
EXPECTED: list[tuple[int, str, str]] = [
    (
        13,
        "related",
        "related link '../mlopz': there is no document 'mlopz'; did you mean '../mlops'?",
    ),
    (
        14,
        "related",
        "related link '../dataops#incident-boundry': document 'dataops' has no section or "
        "label 'incident-boundry'; did you mean '../dataops#incident-boundary'?",
    ),
    (
        15,
        "related",
        "related link 'ref:model-monitoring-alert': there is no label "
        "'model-monitoring-alert'; did you mean 'ref:model-monitoring-alerts'?",
    ),
    (
        16,
        "moved",
        "related link '../old-page': the page has moved to 'mlops'; write '../mlops' instead",
    ),
    (
        17,
        "moved",
        "related link '../chain-1': the page has moved to 'dataops'; write '../dataops' instead",
    ),
    (
        19,
        "related",
        "related link '../mlops.md': the page's source is 'mlops.rst', not 'mlops.md'; "
        "did you mean '../mlops'?",
    ),
    (
        20,
        "related",
        "related link '../drafts/hidden': document 'drafts/hidden' is excluded from the "
        "build (exclude_patterns); include it or link to another page",
    ),
    (
        21,
        "duplicate",
        "related link '/mlops' repeats the target of line 7 ('../mlops') in the same list; "
        "remove one of them",
    ),
    (22, "self", "page 'links/{self}' lists itself as related ('{self}'); remove the entry"),
    (
        23,
        "url",
        "related link refused: URL 'javascript:alert(1)' uses the scheme 'javascript:', "
        "which is not allowed; use an http:, https: or relative URL",
    ),
    (24, "related", "related link '../nowhere': there is no document 'nowhere'"),
    (
        26,
        "syntax",
        "related-paths line is not a list item; start each entry with '- ' (continuation "
        "lines must be indented further than the '-')",
    ),
    (
        27,
        "syntax",
        "related-paths entry '-- No target.' has no target; write 'target -- description' "
        "or 'Title <target> -- description'",
    ),
]

CYCLE = Warning_(
    "conf.py",
    4,
    "redirect cycle in opsboundary_redirects/rediraffe_redirects: loop-a -> loop-b -> "
    "loop-a; remove one of these entries",
    "opsboundary.config",
)
RECIPROCAL = [
    Warning_(
        "recip/a.rst",
        7,
        "related link to 'recip/c' is one-way: 'recip/c' does not list 'recip/a' back; "
        "add '- a' to its related-paths (required by opsboundary_reciprocal)",
        "opsboundary.reciprocal",
    ),
    Warning_(
        "recip/c.md",
        4,
        "related link to 'recip/b' is one-way: 'recip/b' does not list 'recip/c' back; "
        "add '- c' to its related-paths (required by opsboundary_reciprocal)",
        "opsboundary.reciprocal",
    ),
]


def expected_for(fmt: str) -> list[Warning_]:
    page = PAGES[fmt]
    name = Path(page).stem
    return [
        Warning_(page, line, message.format(self=name), f"opsboundary.{subtype}")
        for line, subtype, message in EXPECTED
    ]


def all_expected() -> list[Warning_]:
    return sorted([CYCLE, *RECIPROCAL, *expected_for("rst"), *expected_for("md")])


def build_app(root: str, dest: Path, buildername: str = "html", **kwargs: Any) -> SphinxTestApp:
    """A SphinxTestApp on a private copy of ``tests/roots/test-<root>``, not yet built.

    sphinx.testing's ``make_app`` is function-scoped; module-scoped builds (one
    build shared by many read-only assertions) keep the suite fast.
    """
    src = dest / root
    if not src.exists():
        shutil.copytree(ROOTS / f"test-{root}", src)
    return SphinxTestApp(buildername, srcdir=src, status=StringIO(), warning=StringIO(), **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """One fresh html build of the shared root, used by every read-only test here."""
    app = build_app("related", tmp_path_factory.mktemp("related"))
    app.build()
    yield app
    app.cleanup()


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_warnings_per_format(built: Any, fmt: str) -> None:
    found = [w for w in opsboundary_warnings(built) if w.file == PAGES[fmt]]
    assert sorted(found) == sorted(expected_for(fmt))


def test_all_warnings(built: Any) -> None:
    assert sorted(opsboundary_warnings(built)) == all_expected()


def _entries(app: Any, page: str) -> list[str]:
    html = (Path(app.outdir) / page).with_suffix(".html").read_text(encoding="utf-8")
    body = html[html.index('class="opsboundary-related-list') :]
    body = body[: body.index("</ul>")]
    return body.split("<li>")[1:]


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_link_texts_and_targets(built: Any, fmt: str) -> None:
    items = _entries(built, PAGES[fmt])
    assert 'href="../mlops.html"><span>MLOps</span></a>' in items[0]
    assert "Model lifecycle <em>ownership</em>." in items[0]
    assert 'href="../dataops.html"><span>DataOps</span></a>' in items[1]  # /absolute
    assert 'href="sibling.html"><span>Sibling page</span></a>' in items[2]  # explicit
    assert 'href="../dataops.html#incident-boundary"><span>Incident boundary</span>' in items[3]
    assert (
        'href="../mlops.html#model-monitoring-alerts"><span>Monitoring alerts</span>' in (items[4])
    )
    assert 'href="https://example.org/handbook"' in items[5]
    assert "An external page." in items[5]
    assert 'opsboundary-broken">../mlopz</span>' in items[6]
    assert 'href="../mlops.html"><span>MLOps</span>' in items[9]  # moved: goes to new page
    assert 'opsboundary-broken">javascript:alert(1)</span>' in items[16]
    assert "<a " not in items[16]


def test_caption_default_and_translated_name(built: Any) -> None:
    html = (Path(built.outdir) / "recip/a.html").read_text(encoding="utf-8")
    assert '<p class="opsboundary-related-caption rubric">Related paths</p>' in html


def test_same_doctree_for_rst_and_md(built: Any) -> None:
    rst = _entries(built, PAGES["rst"])
    md = _entries(built, PAGES["md"])
    assert [i.replace("md_links", "X").replace("MD links", "T") for i in md] == [
        i.replace("rst_links", "X").replace("RST links", "T") for i in rst
    ]


@pytest.mark.sphinx("html", testroot="related", confoverrides={"nitpicky": True})
def test_nitpicky_adds_nothing(app: Any) -> None:
    app.build()
    assert sorted(opsboundary_warnings(app)) == all_expected()
    assert [w for w in opsboundary_warnings(app) if w not in all_expected()] == []
    assert [w for w in warnings_of(app) if not (w.type or "").startswith("opsboundary")] == []


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    app = build_app("related-cards", tmp_path_factory.mktemp("cards"))
    app.build()
    yield app
    app.cleanup()


LAYOUT_WARNING = Warning_(
    "index.rst",
    16,
    "related-paths :layout: 'grid' is not one of 'list', 'cards', so the list layout is used",
    "opsboundary.syntax",
)


def test_cards_layout_html(cards: SphinxTestApp) -> None:
    assert opsboundary_warnings(cards) == [LAYOUT_WARNING]
    for page, text in (("index", "Other"), ("other", "Cards")):
        html = (Path(cards.outdir) / f"{page}.html").read_text(encoding="utf-8")
        grid = html[html.index("opsboundary-related-cards") :]
        assert "sd-row" in grid and "sd-card-body" in grid
        assert (
            f'sd-stretched-link reference" href="{"other" if page == "index" else "index"}' in grid
        )
        assert f"<span>{text}</span></a>" in grid
    index = (Path(cards.outdir) / "index.html").read_text(encoding="utf-8")
    assert 'class="opsboundary-related wide docutils container" id="home-related"' in index
    assert (
        '<p class="sd-card-text"><span class="opsboundary-related-description">The <em>other</em>'
        in index
    )


def test_cards_fall_back_to_list_for_other_builders(tmp_path: Path) -> None:
    app = build_app("related-cards", tmp_path, "text")
    try:
        app.build()
        text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert "* Other — The *other* page." in text


def test_cards_without_sphinx_design(tmp_path: Path) -> None:
    app = build_app(
        "related-cards",
        tmp_path,
        confoverrides={"extensions": ["myst_parser", "sphinx_opsboundary"]},
    )
    try:
        app.build()
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        found = sorted(opsboundary_warnings(app))
    finally:
        app.cleanup()
    message = (
        "related-paths :layout: cards needs the sphinx_design extension, so the list layout "
        "is used; add 'sphinx_design' to extensions (pip install 'sphinx-opsboundary[design]')"
    )
    assert found == sorted(
        [
            Warning_("index.rst", 9, message, "opsboundary.config"),
            Warning_("other.md", 4, message, "opsboundary.config"),
            LAYOUT_WARNING,
        ]
    )
    assert "sd-card" not in html and 'class="opsboundary-related-list' in html
