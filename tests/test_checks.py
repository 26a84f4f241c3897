"""After-read checks: incremental truth, reciprocity on every page, config validation."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from util import Warning_, opsboundary_warnings

ROOTS = Path(__file__).parent / "roots"


def _app(src: Path, out: str, **kwargs: Any) -> SphinxTestApp:
    return SphinxTestApp(
        "html",
        srcdir=src,
        builddir=src.parent / out,
        status=StringIO(),
        warning=StringIO(),
        **kwargs,
    )


def _build(src: Path, out: str, **kwargs: Any) -> tuple[list[Warning_], SphinxTestApp]:
    app = _app(src, out, **kwargs)
    try:
        app.build()
        return sorted(opsboundary_warnings(app)), app
    finally:
        app.cleanup()


def _fresh(src: Path, **kwargs: Any) -> list[Warning_]:
    fresh = src.parent / "fresh"
    if fresh.exists():
        shutil.rmtree(fresh)
    return _build(src, "fresh", freshenv=True, **kwargs)[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-checker-clean", src)
    return src


def _index_html(src: Path) -> str:
    return (src.parent / "build" / "html" / "index.html").read_text(encoding="utf-8")


def test_remove_restore_retitle_rename(project: Path) -> None:
    assert _build(project, "build")[0] == []
    other = (project / "other.rst").read_text(encoding="utf-8")

    # Remove the linked page: the warning appears without -E, like a fresh build.
    (project / "other.rst").unlink()
    found, _ = _build(project, "build")
    missing = Warning_(
        "index.rst",
        10,
        "related link 'other': there is no document 'other'",
        "opsboundary.related",
    )
    assert missing in found
    assert [w for w in found if w.type != "opsboundary.related" or w.file != "index.rst"] == []
    assert found == _fresh(project)
    # ...and again on a no-change rebuild (env-updated runs every build).
    assert _build(project, "build")[0] == found

    # Restore: the warning is gone.
    (project / "other.rst").write_text(other, encoding="utf-8")
    assert _build(project, "build")[0] == []
    assert 'href="other.html"><span>Other</span></a>' in _index_html(project)

    # Retitle: the citing page's link text follows without -E.
    (project / "other.rst").write_text(other.replace("Other\n=====", "Renamed\n======="), "utf-8")
    assert _build(project, "build")[0] == []
    assert 'href="other.html"><span>Renamed</span></a>' in _index_html(project)

    # Rename with a redirect: a moved warning naming the new page.
    (project / "other.rst").rename(project / "moved.rst")
    index = (project / "index.rst").read_text(encoding="utf-8")
    (project / "index.rst").write_text(index.replace("   other\n", "   moved\n", 1), "utf-8")
    overrides = {"opsboundary_redirects": {"other": "moved"}}
    found, _ = _build(project, "build", confoverrides=overrides)
    moved = Warning_(
        "index.rst",
        10,
        "related link 'other': the page has moved to 'moved'; write 'moved' instead",
        "opsboundary.moved",
    )
    assert found == [moved]
    assert found == _fresh(project, confoverrides=overrides)
    assert 'href="moved.html"><span>Renamed</span></a>' in _index_html(project)


@pytest.mark.sphinx("html", testroot="related-recip")
def test_reciprocal_true(app: Any) -> None:
    app.build()
    # b lists a back, so a -> b is fine; index -> a is one-way (rST, line 12).
    assert sorted(opsboundary_warnings(app)) == [
        Warning_(
            "index.rst",
            12,
            "related link to 'a' is one-way: 'a' does not list 'index' back; "
            "add '- index' to its related-paths (required by opsboundary_reciprocal)",
            "opsboundary.reciprocal",
        )
    ]


@pytest.mark.sphinx(
    "html",
    testroot="related-recip",
    confoverrides={"opsboundary_reciprocal": ["b"], "opsboundary_redirects": ["x"]},
)
def test_reciprocal_globs_and_bad_config(app: Any) -> None:
    app.build()
    # Only links touching 'b' are checked; a <-> b is mutual, index -> a is not checked.
    assert sorted(opsboundary_warnings(app)) == [
        Warning_(
            "conf.py",
            None,
            "opsboundary_redirects must be a dict of old docname -> new docname "
            "(strings), not ['x']; ignoring it",
            "opsboundary.config",
        )
    ]
