"""Ids stay unique when furo wraps our tables (it copies every attribute)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest


@pytest.mark.sphinx("html", testroot="boundary", confoverrides={"html_theme": "furo"})
def test_no_duplicate_ids_under_furo(app: Any) -> None:
    app.build()
    pages = sorted(app.outdir.glob("*.html"))
    assert pages
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if '<table class="opsboundary-boundary' not in html:
            continue  # e.g. the cards and tabs layouts have no table
        ids = Counter(re.findall(r' id="([^"]+)"', html))
        assert [i for i, n in ids.items() if n > 1] == [], page.name
        # the wrapper is furo's, the table is ours: our classes are on the table only
        assert 'class="table-wrapper opsboundary-boundary' not in html
        assert "opsboundary-table-wrapper" in html
        checked += 1
    assert checked
