"""gettext sees related-paths descriptions and captions, and translations replace them.

A translator must see every sentence of a page: each entry's description is its
own message, located at the entry's line, from rST and MyST alike; a translated
build renders the translation as the page's own markup and keeps the link.
"""

from __future__ import annotations

import re
from pathlib import Path

from test_related import build_app
from util import warnings_of

#: page -> [(line, msgid)] that its .pot must hold, in this order.
MESSAGES = {
    "page_rst": [
        (4, "Read on"),
        (7, "The *home* page of the wiki."),
        (8, "Its twin, written in MyST."),
    ],
    "page_md": [
        (3, "Read on"),
        (6, "The *home* page of the wiki."),
        (7, "Its twin, written in rST."),
    ],
}
SUFFIX = {"page_rst": ".rst", "page_md": ".md"}


def test_pot_has_every_description(tmp_path: Path) -> None:
    app = build_app("related-i18n", tmp_path, "gettext")
    try:
        app.build()
        assert warnings_of(app) == []
        for page, expected in MESSAGES.items():
            pot = (Path(app.outdir) / f"{page}.pot").read_text(encoding="utf-8")
            found = re.findall(
                rf'^#: \S*{page}{re.escape(SUFFIX[page])}:(\d+)\nmsgid "(.*)"$', pot, re.M
            )
            assert [(int(line), msgid) for line, msgid in found][1:] == expected
            # The default caption is the extension's own message, not the page's.
            assert 'msgid "Related paths"' not in pot
    finally:
        app.cleanup()


def _related(html: str) -> str:
    start = html.index('<div class="opsboundary-related docutils container"')  # an id may follow
    return html[start : html.index("</div>", start)]


def test_translated_build(tmp_path: Path) -> None:
    app = build_app("related-i18n", tmp_path, confoverrides={"language": "de"})
    try:
        app.build()
        assert warnings_of(app) == []
        pages = (("page_rst", "page_md", "MyST"), ("page_md", "page_rst", "rST"))
        for page, other, markup in pages:
            html = _related((Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8"))
            assert '<p class="opsboundary-related-caption rubric">Weiterlesen</p>' in html
            assert (
                '<a class="opsboundary-link internal reference" href="index.html"><span>Home'
                '</span></a> — <span class="opsboundary-related-description">Die <em>Startseite'
                "</em> des Wikis.</span></p></li>"
            ) in html
            assert (
                f'href="{other}.html"><span>Markdown page</span></a> — <span class="opsboundary-'
                f'related-description">Ihr Zwilling, in {markup} geschrieben.</span>'
            ) in html
    finally:
        app.cleanup()


def test_untranslated_build_keeps_the_description_span(tmp_path: Path) -> None:
    app = build_app("related-i18n", tmp_path, "text")
    try:
        app.build()
        text = (Path(app.outdir) / "page_md.txt").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert "* Home — The *home* page of the wiki." in text
    assert "* Markdown page — Its twin, written in rST." in text
