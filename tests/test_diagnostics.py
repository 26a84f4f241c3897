"""The diagnostics helper: typed warnings at the exact line, from rST and MyST."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from sphinx_opsboundary import diagnostics
from util import Warning_, opsboundary_warnings


def test_every_subtype_has_a_description() -> None:
    assert list(diagnostics.SUBTYPES) == list(get_args(diagnostics.Subtype))
    assert all(text.endswith(".") for text in diagnostics.SUBTYPES.values())


def test_did_you_mean_is_case_insensitive_and_ranked() -> None:
    assert diagnostics.did_you_mean("MLOPS-at-scal", ["dataops-101", "mlops-at-scale"]) == [
        "mlops-at-scale"
    ]
    assert diagnostics.suggestion_suffix("zzz", ["mlops"]) == ""
    assert diagnostics.suggestion_suffix("mlop", ["mlops"]) == "; did you mean 'mlops'?"


def _expected(file: str, first: int) -> list[Warning_]:
    """Shared expectation: the same probe text gives the same lines in rST and MyST."""
    t = "opsboundary.syntax"
    return [
        Warning_(file, first, "role one", t),
        Warning_(file, first + 1, "role two", t),
    ]


@pytest.mark.sphinx("html", testroot="diagnostics")
def test_located_in_rst_and_myst(app: Any) -> None:
    app.build()
    found = sorted(opsboundary_warnings(app))
    t = "opsboundary.syntax"
    assert found == sorted(
        [
            # index.rst
            *_expected("index.rst", 9),
            Warning_("index.rst", 12, "directive here", t),
            Warning_("index.rst", 13, "option at", t),
            Warning_("index.rst", 14, "option end", t),
            Warning_("index.rst", 16, "body first body line", t),
            Warning_("index.rst", 17, "body second body line", t),
            # page.md: the same directive, fenced
            *_expected("page.md", 4),
            Warning_("page.md", 7, "directive here", t),
            Warning_("page.md", 8, "option at", t),
            Warning_("page.md", 9, "option end", t),
            Warning_("page.md", 11, "body first body line", t),
            Warning_("page.md", 12, "body second body line", t),
            # page.md: colon fence with a YAML option block
            Warning_("page.md", 15, "directive here", t),
            Warning_("page.md", 17, "option end", t),
            Warning_("page.md", 19, "body colon body", t),
        ]
    )


@pytest.mark.sphinx(
    "html", testroot="diagnostics", confoverrides={"suppress_warnings": ["opsboundary.syntax"]}
)
def test_suppress_warnings_silences_a_subtype(app: Any) -> None:
    app.build()
    assert opsboundary_warnings(app) == []
