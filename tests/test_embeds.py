"""Click-to-load players (SPEC §9): the player URL, the card's placeholder in
HTML from rST and MyST alike, nothing for other builders, and the warnings."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_opsboundary.episodes.deeplinks import embed_url
from sphinx_opsboundary.episodes.embeds import opsboundary_player
from util import Warning_, normalise_doctree, opsboundary_warnings

ROOTS = Path(__file__).parent / "roots"

# --------------------------------------------------------------------------
# embed_url: pure
# --------------------------------------------------------------------------

EMBEDS = [
    # url, start, end, player URL
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        3159,
        None,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=3159",
    ),
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10&list=PL1",
        311,
        330,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=311&end=330",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ?si=x",
        5,
        None,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=5",
    ),
    (
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        0,
        None,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=0",
    ),
    (
        "https://www.youtube.com/live/dQw4w9WgXcQ",
        7,
        None,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=7",
    ),
    (
        "https://youtube.com/shorts/dQw4w9WgXcQ",
        7,
        None,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=7",
    ),
    (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=1",
        60,
        90,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=60&end=90",
    ),
    # an end not after the start is dropped, not an error
    (
        "https://youtu.be/dQw4w9WgXcQ",
        60,
        60,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=60",
    ),
    # Vimeo: dnt=1 and #t=; its player has no end time
    (
        "https://vimeo.com/76979871",
        311,
        330,
        "https://player.vimeo.com/video/76979871?dnt=1#t=311s",
    ),
    (
        "https://vimeo.com/76979871/0a1b2c3d4e",
        9,
        None,
        "https://player.vimeo.com/video/76979871?h=0a1b2c3d4e&dnt=1#t=9s",
    ),
    (
        "https://vimeo.com/channels/staffpicks/76979871",
        9,
        None,
        "https://player.vimeo.com/video/76979871?dnt=1#t=9s",
    ),
    (
        "https://player.vimeo.com/video/76979871?h=0a1b2c3d4e",
        9,
        None,
        "https://player.vimeo.com/video/76979871?h=0a1b2c3d4e&dnt=1#t=9s",
    ),
]


@pytest.mark.parametrize(("url", "start", "end", "player"), EMBEDS)
def test_embed_url(url: str, start: int, end: int | None, player: str) -> None:
    assert embed_url(url, start, end) == player


@pytest.mark.parametrize(
    "url",
    [
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        "https://soundcloud.com/artist/track",
        "https://media.example.org/talk.mp3",
        "https://www.youtube.com/watch?v=",  # no id
        "https://www.youtube.com/watch?v=a",  # not an id
        "https://www.youtube.com/watch?v=abc'onload=x",
        "https://www.youtube.com/channel/UCabcdefgh",
        "https://www.youtube.com/playlist?list=PL123456",
        "https://vimeo.com/about",
        "https://vimeo.com/76979871/not-a-hash",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "https://example.org/watch?v=dQw4w9WgXcQ",
    ],
)
def test_no_player_for_other_urls(url: str) -> None:
    assert embed_url(url, 10) is None


def test_no_player_for_bad_times() -> None:
    assert embed_url("https://youtu.be/dQw4w9WgXcQ", -1) is None
    # An end before the start is dropped: the player plays on from the start.
    assert embed_url("https://youtu.be/dQw4w9WgXcQ", 9, -5) == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=9"
    )


@given(st.text(max_size=80), st.integers(-5, 10**6), st.none() | st.integers(-5, 10**6))
def test_embed_url_never_raises_and_only_names_the_players(
    url: str, start: int, end: int | None
) -> None:
    player = embed_url(url, start, end)
    if player is not None:
        parts = urlsplit(player)
        assert parts.scheme == "https"
        assert parts.hostname in {"www.youtube-nocookie.com", "player.vimeo.com"}
        assert re.fullmatch(r"/(embed|video)/[A-Za-z0-9_-]+", parts.path), player


# --------------------------------------------------------------------------
# In a build
# --------------------------------------------------------------------------


def _build(tmp: Path, builder: str = "html", **kwargs: Any) -> SphinxTestApp:
    src = tmp / "src"
    if not src.exists():
        shutil.copytree(ROOTS / "test-embeds", src)
    app = SphinxTestApp(builder, srcdir=src, status=StringIO(), warning=StringIO(), **kwargs)
    app.build()
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    built = _build(tmp_path_factory.mktemp("embeds"))
    yield built
    built.cleanup()


def _players(app: SphinxTestApp, page: str) -> list[str]:
    html = (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")
    return re.findall(r'<div class="opsboundary-player".*?</div>', html, re.S)


def test_clean_build(app: SphinxTestApp) -> None:
    assert opsboundary_warnings(app) == []


@pytest.mark.parametrize("page", ["cite-rst", "cite-md"])
def test_players_in_html(app: SphinxTestApp, page: str) -> None:
    youtube, vimeo = _players(app, page)  # audio: no player; no :embed:: none
    assert (
        'data-opsboundary-embed="https://www.youtube-nocookie.com/embed/Xmpl_id-001?start=3159&amp;end=3310"'
        in youtube
    )
    # Without JavaScript: a link to the deep link, named for what it does.
    assert 'href="https://www.youtube.com/watch?v=Xmpl_id-001&amp;t=3159"' in youtube
    assert (
        'aria-label="Watch “Pipelines at Night &lt;fictional&gt;” at around 52:39–55:10 on YouTube"'
        in youtube
    )
    assert (
        '<time datetime="PT52M39S">52:39</time>–<time datetime="PT55M10S">55:10</time>' in youtube
    )
    assert "Alex Example ·" in youtube and "Sam Sample" not in youtube
    assert "<fictional>" not in youtube  # user text is escaped everywhere
    assert 'data-opsboundary-embed="https://player.vimeo.com/video/76979871?dnt=1#t=311s"' in vimeo
    assert 'href="https://vimeo.com/76979871#t=311s"' in vimeo
    # No request-making markup before activation.
    for player in (youtube, vimeo):
        assert not re.search(r"<(iframe|img|script|link|video|audio)\b", player)
        assert not re.search(r"\ssrc=", player)


def test_rst_and_myst_give_the_same_players(app: SphinxTestApp) -> None:
    def players(doc: str) -> list[str]:
        tree = app.env.get_doctree(doc)
        return [normalise_doctree(n.pformat()) for n in tree.findall(opsboundary_player)]

    assert players("cite-rst") == players("cite-md")
    assert len(players("cite-rst")) == 2


def test_script_only_on_pages_with_a_player(app: SphinxTestApp) -> None:
    out = Path(app.outdir)
    assert (out / "_static" / "opsboundary-embed.js").is_file()
    for page, expected in [("cite-rst", 1), ("cite-md", 1), ("talks", 0), ("index", 0)]:
        html = (out / f"{page}.html").read_text(encoding="utf-8")
        assert html.count("opsboundary-embed.js") == expected, page
        assert (
            "defer" in html.split("opsboundary-embed.js")[0].rsplit("<script", 1)[-1]
            or not expected
        )
    # The page script never names a third-party script.
    script = (out / "_static" / "opsboundary-embed.js").read_text(encoding="utf-8")
    assert "<script" not in script and "http://" not in script


def _build_copy(dest: Path, builder: str, embed: bool) -> str:
    """Everything *builder* writes for the root, with or without the :embed: lines."""
    src = dest / "src"
    shutil.copytree(ROOTS / "test-embeds", src)
    if not embed:
        for name in ("cite-rst.rst", "cite-md.md"):
            path = src / name
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(?m)^ *:embed:\n", "", text), encoding="utf-8")
    app = SphinxTestApp(builder, srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        assert opsboundary_warnings(app) == []
        out = Path(app.outdir)
        texts = [
            f"== {path.relative_to(out)}\n{path.read_text(encoding='utf-8')}"
            for path in sorted(out.rglob("*"))
            if path.is_file() and path.suffix in {".txt", ".tex", ".1", ".texi", ".xml", ".xhtml"}
        ]
    finally:
        app.cleanup()
    assert texts, builder
    return "\n".join(texts).replace(str(src), "SRC")


@pytest.mark.parametrize("builder", ["text", "latex", "man", "texinfo", "xml", "epub"])
def test_other_builders_are_unchanged(tmp_path: Path, builder: str) -> None:
    """Every builder but web HTML writes the card exactly as without :embed:."""
    with_embed = _build_copy(tmp_path / "with", builder, embed=True)
    without = _build_copy(tmp_path / "without", builder, embed=False)
    assert with_embed == without
    assert "nocookie" not in with_embed and "opsboundary-embed.js" not in with_embed
    assert "52:39" in with_embed  # the card itself is there


def test_singlehtml_is_web_html(tmp_path: Path) -> None:
    app = _build(tmp_path, "singlehtml")
    try:
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert html.count('<div class="opsboundary-player"') == 4
    assert html.count("opsboundary-embed.js") == 1


def test_opsboundary_embed_gives_every_citation_a_player(tmp_path: Path) -> None:
    app = _build(tmp_path, confoverrides={"opsboundary_embed": True})
    try:
        assert opsboundary_warnings(app) == []
        for page in ("cite-rst", "cite-md"):
            players = _players(app, page)
            # yt-talk at 52:39 and 3:00, vimeo-talk; not audio, not ":embed: off".
            assert len(players) == 3, page
            assert "start=180" in players[2] and "start=420" not in "".join(players)
    finally:
        app.cleanup()


ERRORS_RST = """\
Errors rST
==========

.. episode-citation:: yt-talk
   :at: 1:00
   :speaker: Alex Example
   :embed: maybe
"""

ERRORS_MD = """\
# Errors MyST

```{episode-citation} yt-talk
:at: 1:00
:speaker: Alex Example
:embed: maybe
```
"""


def test_bad_values_warn_at_their_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-embeds", src)
    (src / "errors-rst.rst").write_text(ERRORS_RST, encoding="utf-8")
    (src / "errors-md.md").write_text(ERRORS_MD, encoding="utf-8")
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'opsboundary_embed = "yes"\n')
    line = len(conf.read_text(encoding="utf-8").splitlines())
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        message = (
            "episode-citation :embed: takes no value (or 'off' to opt out), not 'maybe'; "
            "the card is shown without a player"
        )
        assert sorted(opsboundary_warnings(app)) == [
            Warning_(
                "conf.py",
                line,
                "opsboundary_embed must be True or False, not 'yes'; using False",
                "opsboundary.config",
            ),
            Warning_("errors-md.md", 6, message, "opsboundary.syntax"),
            Warning_("errors-rst.rst", 7, message, "opsboundary.syntax"),
        ]
        assert _players(app, "errors-rst") == _players(app, "errors-md") == []
        # The bad setting falls back to False: only the :embed: citations play.
        assert len(_players(app, "cite-rst")) == 2
    finally:
        app.cleanup()
