"""The shared target grammar: title splitting and redirect chains."""

from __future__ import annotations

import pytest

from sphinx_opsboundary.links.targets import follow_redirect, split_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MLOps vs DataOps <mlops-vs-dataops>", ("MLOps vs DataOps", "mlops-vs-dataops")),
        ("mlops", (None, "mlops")),
        ("  mlops  ", (None, "mlops")),
        ("<mlops>", (None, "mlops")),
        ("a < b <page>", ("a < b", "page")),
        (r"a \<b\> c", (None, "a <b> c")),
        (r"x \<y> <page>", ("x <y>", "page")),
        (r"Title \<not-a-target\>", (None, "Title <not-a-target>")),
        ("ref:label", (None, "ref:label")),
        ("Handbook <https://example.org/h>", ("Handbook", "https://example.org/h")),
    ],
)
def test_split_title(text: str, expected: tuple[str | None, str]) -> None:
    assert split_title(text) == expected


def test_follow_redirect_chain_and_cycle() -> None:
    assert follow_redirect({}, "a") == ("a", [], False)
    assert follow_redirect({"a": "b", "b": "c"}, "a") == ("c", ["b", "c"], False)
    assert follow_redirect({"a": "b", "b": "a"}, "a") == ("a", ["b", "a"], True)
    assert follow_redirect({"x": "a", "a": "b", "b": "a"}, "x")[2] is True
