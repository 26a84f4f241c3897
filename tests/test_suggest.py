"""Suggestions that know the site: titles, folder moves, separators, and no wild guesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from sphinx_opsboundary.links.suggest import History, SiteSuggester, loose, norm

DOCS = ["guide/index", "guide/install", "guide/usage", "faq", "mlops", "changes/8.1", "index"]
TITLES = {
    "guide/index": "Guide",
    "guide/install": "Installing the tool",
    "guide/usage": "Usage",
    "faq": "Frequently asked questions",
    "mlops": "MLOps",
    "changes/8.1": "Release 8.1",
    "index": "Home",
}


def suggester(missing: tuple[str, ...] = (), history: History | None = None) -> SiteSuggester:
    return SiteSuggester(DOCS, [".rst"], TITLES, missing=missing, history=history)


def test_normalising_names() -> None:
    assert norm("Getting_Started ") == "getting-started"
    assert loose("Extensions/Builders") == "extension/builder"
    assert loose("class") == "class"  # too short or "ss": not a plural


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("mlops.rst", "mlops"),  # the author's file habit
        ("guide", "guide/index"),  # a folder for its index
        ("FAQ", "faq"),  # case
        ("mlop", "mlops"),  # plural s
        ("mlopz", "mlops"),  # one letter
        ("guides/usage", "guide/usage"),  # folder plural, via the folder move
        ("manual/usage", "guide/usage"),  # the one page of that name, moved
        ("changes/6.1", None),  # other numbers: another release, not a typo
        ("deleted-page", None),  # nothing plausible
    ],
)
def test_names(target: str, expected: str | None) -> None:
    assert suggester().doc(target, "index") == expected


def test_link_text_names_the_page() -> None:
    assert suggester().doc("setup", "index", "Installing the tool") == "guide/install"
    assert suggester().doc("setup", "index", "Something else") is None


def test_title_kept_from_history() -> None:
    history = History(
        pages={"setup": "Installing the tool", "gone": "Old news"},
        before_pages=frozenset({"setup", "gone", "faq", "mlops"}),
    )
    assert suggester(history=history).doc("setup", "index") == "guide/install"
    # A page that disappeared gets no guess from spelling against older pages.
    assert suggester(history=history).doc("gone", "index") is None


def test_a_title_two_pages_shared_names_no_successor() -> None:
    history = History(
        pages={"setup": "Installing the tool"},
        before_pages=frozenset({"setup"}),
        shared_titles=frozenset({norm("Installing the tool")}),
    )
    assert suggester(history=history).doc("setup", "index") is None


def test_section_index_moves_with_its_folder() -> None:
    # 'tutorial/' is gone; its pages are all under 'guide/' now.
    missing = ("tutorial/install", "tutorial/usage", "tutorial/index")
    assert suggester(missing).doc("tutorial/index", "index") == "guide/index"
    # With one sibling of evidence only, and another folder that has an index: no '/index'.
    assert suggester(("other/index",)).doc("other/index", "index") is None


def test_labels_whatever_their_separators() -> None:
    labels = {
        "model_monitoring": ("mlops", "model-monitoring", "Model monitoring"),
        "alert-routing": ("mlops", "alert-routing", "Routing alerts"),
    }
    s = suggester()
    assert s.label("model-monitoring", labels) == "model_monitoring"
    assert s.label("routing", labels, "Routing alerts") == "alert-routing"
    assert s.label("unrelated", labels) is None
    history = History(labels={"alerts": ("mlops", "Routing alerts")})
    assert suggester(history=history).label("alerts", labels) == "alert-routing"


def test_anchors() -> None:
    ids = {"incident-boundary": "Incident boundary", "on_call": "On call"}
    s = suggester()
    assert s.anchor("mlops", "incident_boundary", ids) == "incident-boundary"
    assert s.anchor("mlops", "on-call", ids) == "on_call"
    assert s.anchor("mlops", "who", ids, "On call") == "on_call"
    history = History(anchors={"mlops": {"pager": "On call"}})
    assert suggester(history=history).anchor("mlops", "pager", ids) == "on_call"


def _check(src: Path, out: Path, doctrees: Path) -> dict[str, str | None]:
    build_main(["-q", "-b", "opsboundary-check", "-d", str(doctrees), str(src), str(out)])
    data = json.loads((out / "opsboundary.json").read_text(encoding="utf-8"))
    return {link["target"]: link["suggestion"] for link in data["links"]}


def test_checker_remembers_the_title_of_a_renamed_page(tmp_path: Path) -> None:
    """A rebuild knows the old title; the build's own warnings never use it."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_opsboundary"]\n', encoding="utf-8")
    (src / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n   :glob:\n\n   *\n\n.. related-paths::\n\n   - quickstart\n",
        encoding="utf-8",
    )
    page = "Getting started\n===============\n\nText.\n"
    (src / "quickstart.rst").write_text(page, encoding="utf-8")
    doctrees = tmp_path / "doctrees"
    assert _check(src, tmp_path / "a", doctrees) == {"quickstart": None}
    (src / "quickstart.rst").rename(src / "first-steps.rst")
    assert _check(src, tmp_path / "b", doctrees) == {"quickstart": "first-steps"}
    # A fresh environment has no history: no guess rather than a wrong one.
    assert _check(src, tmp_path / "c", tmp_path / "fresh") == {"quickstart": None}
    warnings = tmp_path / "warnings.txt"
    build_main(["-q", "-b", "dummy", "-d", str(doctrees), str(src), str(tmp_path / "d"),
                "-w", str(warnings)])  # fmt: skip
    assert "did you mean" not in warnings.read_text(encoding="utf-8")
