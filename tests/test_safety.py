"""Only http(s) and relative links survive inside the extension's blocks."""

from __future__ import annotations

from typing import Any

import pytest

from util import Warning_, opsboundary_warnings


@pytest.mark.sphinx("html", testroot="safety")
def test_unsafe_links_in_cells_are_refused(app: Any) -> None:
    app.build()
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    page = (app.outdir / "page.html").read_text(encoding="utf-8")
    for html in (index, page):
        assert 'href="javascript:' not in html
        assert 'href="data:' not in html
        assert 'href="vbscript:' not in html
        assert 'href="https://example.org/ok"' in html
    assert 'href="mailto:team' in index  # the author's own links are untouched
    found = sorted(opsboundary_warnings(app))
    # markdown-it already refuses javascript:/vbscript: links (they stay literal
    # text), so only the rST page has links for us to refuse.
    assert [(w.file, w.line, w.type) for w in found] == [
        ("index.rst", 12, "opsboundary.url"),
        ("index.rst", 13, "opsboundary.url"),
    ]
    assert "[x](javascript:alert(1))" in page
    assert all(w.message.startswith("link refused: ") for w in found)
    assert isinstance(found[0], Warning_)
