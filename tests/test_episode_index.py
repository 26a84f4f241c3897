"""episode-index (SPEC §1.6): content, grouping, incremental and parallel builds."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from util import Warning_, opsboundary_warnings

ROOTS = Path(__file__).parent / "roots"


def _build(tmp: Path, **kwargs: Any) -> SphinxTestApp:
    src = tmp / "src"
    shutil.copytree(ROOTS / "test-episode", src)
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO(), **kwargs)
    app.build()
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    built = _build(tmp_path_factory.mktemp("index"))
    yield built
    built.cleanup()


def _indexes(app: SphinxTestApp, page: str) -> list[str]:
    html = (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")
    return re.findall(
        r'<div class="opsboundary-episode-index docutils container".*?\n</div>', html, re.S
    )


def _entries(index: str) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(episode title, [(moment text, [back-link hrefs])]) in output order."""
    entries = []
    for chunk in index.split('<li class="opsboundary-episode-index-entry">')[1:]:
        title = re.search(r"<strong>(.*?)</strong>", chunk)
        moments = []
        for moment in chunk.split('<li class="opsboundary-episode-index-moment">')[1:]:
            text = re.sub(r"<[^>]+>", "", moment.split("\n")[0])
            hrefs = re.findall(r'class="opsboundary-episode-backlink[^"]*" href="([^"]*)"', moment)
            moments.append((text, hrefs))
        assert title
        entries.append((title.group(1), moments))
    return entries


def test_index_lists_every_moment_in_time_order(app: SphinxTestApp) -> None:
    [index] = _indexes(app, "index")
    assert _entries(index) == [
        (
            "Contracts for Data Teams",
            [
                (
                    "12:00",
                    ["cite-md.html#episode-data-contracts", "cite-rst.html#episode-data-contracts"],
                )
            ],
        ),
        (
            "Serving Models at Scale",
            [
                (
                    "1:00",
                    ["errors-md.html#episode-3", "errors-rst.html#episode-3"],
                ),
                ("10:00", ["errors-md.html#episode-0", "errors-rst.html#episode-0"]),
                (
                    "around 52:39–55:10 — Raphaëlle Hoogstra",
                    [
                        "cite-md.html#episode-mlops-at-scale",
                        "cite-md.html#episode-1",
                        "cite-rst.html#episode-mlops-at-scale",
                        "cite-rst.html#episode-1",
                    ],
                ),
                ("1:02:03", ["cite-md.html#episode-0", "cite-rst.html#episode-0"]),
                (
                    "2:00:00 — Raphaëlle Hoogstra",
                    ["errors-md.html#episode-1", "errors-rst.html#episode-1"],
                ),
            ],
        ),
        (
            "Shipping Models Weekly",
            [
                (
                    "5:11 — Jo Doe",
                    [
                        "cite-md.html#episode-shipping-models-weekly",
                        "cite-rst.html#episode-shipping-models-weekly",
                    ],
                )
            ],
        ),
        (
            "Unsafe Link Episode",
            [
                (
                    "1:00 — Eve",
                    [
                        "errors-md.html#episode-unsafe-link-episode",
                        "errors-rst.html#episode-unsafe-link-episode",
                    ],
                )
            ],
        ),
    ]
    assert "Quiet Pipelines" not in index  # registered but uncited
    assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=3159"' in index
    assert (
        '<p class="opsboundary-episode-index-meta">Raphaëlle Hoogstra, Dana Brink'
        " · Model Talks · 2024-05-02 · podcast · 1:04:10</p>"
    ) in index


def test_backlinks_point_at_existing_ids(app: SphinxTestApp) -> None:
    [index] = _indexes(app, "index")
    for href in re.findall(r'opsboundary-episode-backlink[^"]*" href="([^"]*)"', index):
        page, anchor = href.split("#")
        target = (Path(app.outdir) / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in target
    # Labels are the citing pages' titles; a second citation on a page is numbered.
    assert ">Citations in Markdown (2)</a>" in index


def test_group_by_speaker_and_series(app: SphinxTestApp) -> None:
    speaker, series, fallback = _indexes(app, "groups")
    groups = re.findall(r'<p class="opsboundary-episode-index-group rubric">(.*?)</p>', speaker)
    assert groups == [
        "Ann Example",
        "Casey Sand",
        "Dana Brink",
        "Eve",
        "Jo Doe",
        "Raphaëlle Hoogstra",
    ]
    assert "Not cited yet." in speaker  # :uncited: lists Quiet Pipelines
    assert "Quiet Pipelines" in speaker
    demetrios = speaker.split('rubric">Dana Brink</p>')[1].split("rubric")[0]
    # Moments narrowed to Raphaël with :speaker: are not listed under Demetrios.
    assert "cite-rst.html#episode-mlops-at-scale" not in demetrios
    assert "cite-rst.html#episode-1" in demetrios  # the role names no speaker
    raphael = speaker.split('rubric">Raphaëlle Hoogstra</p>')[1]
    assert "cite-rst.html#episode-mlops-at-scale" in raphael
    series_groups = re.findall(r'index-group rubric">(.*?)</p>', series)
    assert series_groups == ["DataOps Radio", "Model Talks", "No series"]
    assert "Quiet Pipelines" not in series
    assert "rubric" not in fallback  # invalid :group-by: falls back to episode
    assert Warning_(
        "groups.rst",
        12,
        "episode-index :group-by: 'nonsense' is not one of episode, speaker, series; "
        "grouping by episode",
        "opsboundary.syntax",
    ) in opsboundary_warnings(app)


def test_incremental_removal_updates_the_index(tmp_path: Path) -> None:
    app = _build(tmp_path)
    try:
        [before] = _indexes(app, "index")
        assert "Shipping Models Weekly" in before
        for name in ("cite-rst.rst", "cite-md.md"):
            page = Path(app.srcdir) / name
            text = page.read_text(encoding="utf-8")
            pattern = r"(?s)(\.\. episode-citation:: |```\{episode-citation\} )Shipping.*?5:11\n"
            text, count = re.subn(pattern + "(```\n)?", "", text)
            assert count == 1
            page.write_text(text, encoding="utf-8")
            future = time.time() + 5
            os.utime(page, (future, future))
        app.build()
        [after] = _indexes(app, "index")
        assert "Shipping Models Weekly" not in after
        assert "Serving Models at Scale" in after
        # groups.rst holds no toctree, so only env-get-updated gets it rewritten.
        grouped = "".join(_indexes(app, "groups"))
        assert "Shipping Models Weekly" not in grouped
        assert "Serving Models at Scale" in grouped
    finally:
        app.cleanup()


def test_parallel_build_gives_the_same_html(app: SphinxTestApp, tmp_path: Path) -> None:
    parallel = _build(tmp_path, parallel=4)
    try:
        for page in ("index", "groups", "cite-rst", "cite-md", "errors-rst"):
            serial_html = (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")
            parallel_html = (Path(parallel.outdir) / f"{page}.html").read_text(encoding="utf-8")
            assert serial_html == parallel_html
        assert sorted(opsboundary_warnings(parallel)) == sorted(opsboundary_warnings(app))
    finally:
        parallel.cleanup()


def test_same_second_cited_exactly_and_approximately_is_one_moment(tmp_path: Path) -> None:
    """``~52:39`` and ``52:39`` are one moment; "around" only when all citations say so."""
    app = _build(tmp_path)
    try:
        extra = Path(app.srcdir) / "extra.rst"
        extra.write_text(
            "Extra\n=====\n\nExactly :episode:`mlops-at-scale@12:34` and again\n"
            ":episode:`mlops-at-scale@~12:34`; only roughly :episode:`mlops-at-scale@~20:00`.\n",
            encoding="utf-8",
        )
        app.build()
        [index] = _indexes(app, "index")
        [(_, moments)] = [e for e in _entries(index) if e[0] == "Serving Models at Scale"]
        texts = [text.strip() for text, _hrefs in moments]
        at_1234 = [m for m in moments if m[0].strip().startswith(("12:34", "around 12:34"))]
        assert len(at_1234) == 1, texts
        assert at_1234[0][0].strip().startswith("12:34")
        assert len(at_1234[0][1]) == 2  # both citing places are back-linked
        assert any(t.startswith("around 20:00") for t in texts), texts
    finally:
        app.cleanup()
