"""Broken citations in the checker's report (issue 12, deliverable 6).

A citation whose episode is unknown or whose time does not parse renders as
text; the JSON report still lists it among ``citations`` as ``broken``, at its
own repository-relative file and line, and the episode index never sees it.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sphinx.cmd.build import build_main

from gitrepo import git, validate_report

ROOT = Path(__file__).parent / "roots" / "test-citations-broken"
BROKEN_PAGES = ("broken-rst.rst", "broken-md.md")

BAD_AT = "episode-citation :at: '5:61': seconds must be 00-59 in M:SS, MM:SS, H:MM:SS forms"
UNKNOWN = "unknown episode 'mlops-at-scal'; did you mean 'mlops-at-scale'?"
ROLE_BAD_TIME = (
    "episode role 'mlops-at-scale@7:1': '7:1': seconds must have exactly two digits "
    "(00-59) in M:SS, MM:SS, H:MM:SS forms"
)
ROLE_UNKNOWN = "unknown episode 'mlops-at-scal' in the episode role; did you mean 'mlops-at-scale'?"

#: (line, key, at, origin, message) of each broken citation, the same in rST and MyST
#: but for the line numbers: (rST line, MyST line).
EXPECTED = [
    ((6, 7), "mlops-at-scale", None, "directive", BAD_AT),
    ((9, 11), "mlops-at-scal", 60, "directive", UNKNOWN),
    ((12, 15), "mlops-at-scale", None, "role", ROLE_BAD_TIME),
    ((12, 15), "mlops-at-scal", 60, "role", ROLE_UNKNOWN),
]


def _project(base: Path, broken: bool) -> Path:
    """A git repository with the project in ``docs/``, with or without the broken pages."""
    repo = base / "repo"
    shutil.copytree(ROOT, repo / "docs")
    if not broken:
        for name in BROKEN_PAGES:
            (repo / "docs" / name).unlink()
    git(repo, "init", "-q", "-b", "main")
    return repo


def _build(repo: Path, builder: str) -> Path:
    out = repo / "_build" / builder
    with contextlib.redirect_stderr(io.StringIO()):
        build_main(["-q", "-b", builder, str(repo / "docs"), str(out)])
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = _project(tmp_path_factory.mktemp("broken-report"), broken=True)
    out = _build(repo, "opsboundary-check")
    data: dict[str, Any] = json.loads((out / "opsboundary.json").read_text(encoding="utf-8"))
    data["output.txt"] = (out / "output.txt").read_text(encoding="utf-8")
    return data


@pytest.mark.parametrize(("page", "flavour"), [("broken-rst.rst", 0), ("broken-md.md", 1)])
def test_each_broken_citation_is_listed_at_its_line(
    report: dict[str, Any], page: str, flavour: int
) -> None:
    validate_report({k: v for k, v in report.items() if k != "output.txt"})
    mine = [c for c in report["citations"] if c["file"] == f"docs/{page}"]
    assert [(c["line"], c["key"], c["at"], c["origin"], c["message"]) for c in mine] == [
        (lines[flavour], key, at, origin, msg) for lines, key, at, origin, msg in EXPECTED
    ]
    assert {(c["status"], c["quote"], c["end"], c["docname"]) for c in mine} == {
        ("broken", "unchecked", None, page.rsplit(".", 1)[0])
    }


def test_broken_citations_are_not_diagnostics_twice(report: dict[str, Any]) -> None:
    # Claimed by their citation, the warnings leave ``diagnostics``; the text report
    # keeps each at the warning's own line (the :at: option's line for a bad time).
    assert report["diagnostics"] == []
    assert report["problems"] == 8
    lines = report["output.txt"].splitlines()
    assert f"docs/broken-rst.rst:7: {BAD_AT}" in lines
    assert f"docs/broken-md.md:8: {BAD_AT}" in lines
    assert f"docs/broken-md.md:15: {ROLE_UNKNOWN}" in lines
    ok = [(c["file"], c["line"], c["at"]) for c in report["citations"] if c["status"] == "ok"]
    assert ok == [("docs/index.rst", 4, 300), ("docs/index.rst", 7, 360)]


def test_the_episode_index_is_unchanged_by_broken_citations(
    tmp_path: Path,
) -> None:
    pages = []
    for broken in (False, True):
        repo = _project(tmp_path / str(broken), broken=broken)
        out = _build(repo, "html")
        pages.append((out / "index.html").read_text(encoding="utf-8"))
    without, with_broken = pages
    assert "opsboundary-episode-index" in without
    assert "opsboundary-timeline" in without
    assert with_broken == without


def test_the_schema_allows_no_time_only_for_a_broken_unchecked_citation(
    report: dict[str, Any],
) -> None:
    data = json.loads(json.dumps({k: v for k, v in report.items() if k != "output.txt"}))
    timeless = next(c for c in data["citations"] if c["at"] is None)
    timeless["status"] = "ok"
    with pytest.raises(jsonschema.ValidationError):
        validate_report(data)
