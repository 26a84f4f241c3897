"""``:name:`` on episode-citation and the episode role's link text, from rST and MyST.

Issue items: the card's ``:name:`` is its HTML id and a ``:ref:`` target (as for
every docutils directive), and the role links its words together with the time,
with explicit text set as the author's words rather than a ``<cite>`` title.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from test_related import build_app
from util import warnings_of

PAGES = {"rst": "links_rst", "md": "links_md"}
OTHER = {"rst": "md", "md": "rst"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    app = build_app("episode-links", tmp_path_factory.mktemp("episode-links"))
    app.build()
    yield app
    app.cleanup()


def _html(app: SphinxTestApp, page: str) -> str:
    return (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")


def test_no_warnings(built: SphinxTestApp) -> None:
    assert warnings_of(built) == []


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_name_is_the_cards_id(built: SphinxTestApp, fmt: str) -> None:
    html = _html(built, PAGES[fmt])
    assert f'<div class="opsboundary-episode docutils container" id="toolbelt-{fmt}">' in html
    assert 'id="episode-talk"' in html  # unnamed mentions keep generated ids
    assert html.count(f'id="toolbelt-{fmt}"') == 1


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_ref_goes_to_the_card(built: SphinxTestApp, fmt: str) -> None:
    html = _html(built, PAGES[fmt])
    name, other = f"toolbelt-{fmt}", f"toolbelt-{OTHER[fmt]}"
    # Without explicit text, :ref: reads the cited episode's title.
    assert f'href="#{name}"><span class="std std-ref">The Talk</span></a>' in html
    assert f'href="#{name}"><span class="std std-ref">that card</span></a>' in html
    assert (
        f'href="{PAGES[OTHER[fmt]]}.html#{other}"><span class="std std-ref">The Talk</span></a>'
    ) in html
    # related-paths 'ref:NAME' lands there too.
    assert f'href="#{name}"><span>The Talk</span></a> — ' in html


def test_index_backlinks_use_the_name(built: SphinxTestApp) -> None:
    html = _html(built, "index")
    for fmt in ("rst", "md"):
        assert f'href="{PAGES[fmt]}.html#toolbelt-{fmt}">' in html


TIMED = (
    '<span class="opsboundary-episode-mention" id="episode-talk"><a class="opsboundary-episode-'
    'link reference external" href="https://www.youtube.com/watch?v=abc123&amp;t=60"><cite>The '
    'Talk</cite> <span class="opsboundary-episode-time"><time datetime="PT1M">1:00</time></span>'
    "</a></span>"
)
TIMED_TEXT = (
    '<a class="opsboundary-episode-link reference external" href="https://www.youtube.com/watch?'
    'v=abc123&amp;t=60" title="The Talk"><span class="opsboundary-episode-text">my words</span> '
    '<span class="opsboundary-episode-time">around <time datetime="PT1M">1:00</time>–<time '
    'datetime="PT2M">2:00</time></span></a></span>'
)
UNTIMED = (
    '<a class="opsboundary-episode-link reference external" href="https://example.org/episodes/'
    'podcast"><cite>The Podcast</cite></a> <span class="opsboundary-episode-time"><time '
    'datetime="PT5M">5:00</time></span></span>'
)
UNTIMED_TEXT = (
    '<a class="opsboundary-episode-link reference external" href="https://example.org/episodes/'
    'podcast" title="The Podcast"><span class="opsboundary-episode-text">their words</span></a> '
    '<span class="opsboundary-episode-time"><time datetime="PT5M">5:00</time></span></span>'
)
OFFLINE = (
    '<span class="opsboundary-episode-mention" id="episode-offline"><cite>The Offline Talk</cite> '
    '<span class="opsboundary-episode-time"><time datetime="PT5M">5:00</time></span></span>'
)
OFFLINE_TEXT = (
    '<span class="opsboundary-episode-text">offline words</span> <span class="opsboundary-'
    'episode-time"><time datetime="PT5M">5:00</time></span></span>'
)


@pytest.mark.parametrize("fmt", ["rst", "md"])
@pytest.mark.parametrize(
    "expected", [TIMED, TIMED_TEXT, UNTIMED, UNTIMED_TEXT, OFFLINE, OFFLINE_TEXT]
)
def test_role_link_text(built: SphinxTestApp, fmt: str, expected: str) -> None:
    assert expected in _html(built, PAGES[fmt])


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_explicit_text_is_not_a_cited_title(built: SphinxTestApp, fmt: str) -> None:
    html = _html(built, PAGES[fmt])
    for words in ("my words", "their words", "offline words"):
        assert f"<cite>{words}</cite>" not in html


def test_text_builder_keeps_words_time_and_url(tmp_path: Path) -> None:
    app = build_app("episode-links", tmp_path, "text")
    try:
        app.build()
        text = (Path(app.outdir) / "links_rst.txt").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    flat = " ".join(text.split())
    assert "my words around 1:00–2:00 <https://www.youtube.com/watch?v=abc123&t=60>" in flat
    assert "*The Talk* 1:00 <https://www.youtube.com/watch?v=abc123&t=60>" in flat
    assert "their words <https://example.org/episodes/podcast> 5:00" in flat
