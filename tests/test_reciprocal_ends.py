"""Which end of a link ``opsboundary_reciprocal``'s globs apply to: either one.

A link from A to B must be returned when A (the page that lists it) or B (the
page it points to) matches a glob, as the configuration page documents; the
warning sits on A's entry.  In the root, ``index`` lists ``a`` one way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_related import build_app
from util import Warning_, opsboundary_warnings

ONE_WAY = Warning_(
    "index.rst",
    12,
    "related link to 'a' is one-way: 'a' does not list 'index' back; "
    "add '- index' to its related-paths (required by opsboundary_reciprocal)",
    "opsboundary.reciprocal",
)


@pytest.mark.parametrize(
    ("globs", "expected"),
    [
        (["a"], [ONE_WAY]),  # the target end matches
        (["ind*"], [ONE_WAY]),  # the citing end matches
        (["b"], []),  # neither end of index -> a matches; a <-> b is mutual
    ],
)
def test_either_end_matches(tmp_path: Path, globs: list[str], expected: list[Warning_]) -> None:
    app = build_app("related-recip", tmp_path, confoverrides={"opsboundary_reciprocal": globs})
    try:
        app.build()
        assert sorted(opsboundary_warnings(app)) == expected
    finally:
        app.cleanup()
