"""Timelines in the episode index (SPEC §9): positions, labels, links to the
moments, lanes for close marks, the list kept for other builders, warnings."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_opsboundary.episodes.timeline import MIN_GAP, lay_out
from util import Warning_, opsboundary_warnings

ROOTS = Path(__file__).parent / "roots"


def test_lanes_keep_close_marks_apart() -> None:
    assert lay_out([]) == []
    assert lay_out([(0.0, 0.0), (50.0, 0.0), (100.0, 0.0)]) == [0, 0, 0]
    # Closer than MIN_GAP: the next lane; a lane is reused once free again.
    assert lay_out([(5.0, 0.0), (8.6, 0.0), (9.4, 0.0), (16.7, 16.7), (87.8, 4.2)]) == [
        0,
        1,
        2,
        0,
        0,
    ]
    # A range occupies its lane up to its end plus the gap.
    assert lay_out([(10.0, 30.0), (30.0, 0.0), (40.0 + MIN_GAP, 0.0)]) == [0, 1, 0]


@given(
    st.lists(
        st.tuples(st.floats(0, 100), st.floats(0, 100)).map(
            lambda p: (p[0], min(p[1], 100 - p[0]))
        ),
        max_size=30,
    ).map(sorted)
)
def test_marks_on_one_lane_never_crowd(spans: list[tuple[float, float]]) -> None:
    lanes = lay_out(spans)
    assert len(lanes) == len(spans)
    assert sorted(set(lanes)) == list(range(len(set(lanes))))  # no lane skipped
    for lane in set(lanes):
        mine = [span for span, on in zip(spans, lanes, strict=True) if on == lane]
        for (left, width), (following, _) in itertools.pairwise(mine):
            assert following >= left + width + MIN_GAP


def _build(src: Path, builder: str = "html") -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=src, status=StringIO(), warning=StringIO())
    app.build()
    return app


@pytest.fixture(scope="module")
def talks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    src = tmp_path_factory.mktemp("timeline") / "src"
    shutil.copytree(ROOTS / "test-embeds", src)
    app = _build(src)
    try:
        assert opsboundary_warnings(app) == []
        yield (Path(app.outdir) / "talks.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()


def _marks(html: str, title: str) -> list[tuple[str, str, str]]:
    """(style, label, href) of each mark of the timeline of episode *title*."""
    block = re.search(
        rf'<div class="opsboundary-timeline" role="group" aria-label="Cited moments of '
        rf'“{re.escape(title)}”, from 0:00 to [^"]*">(.*?)</div></div>',
        html,
        re.S,
    )
    assert block, title
    return re.findall(
        r'<a class="opsboundary-timeline-mark[^"]*" href="([^"]*)" style="([^"]*)" '
        r'aria-label="([^"]*)"',
        block.group(1),
    )


def test_marks_sit_at_their_proportional_positions(talks: str) -> None:
    marks = _marks(talks, "Pipelines at Night &lt;fictional&gt;")
    # one hour: 3:00 (cited on both pages), 5:11, 5:40, 10:00-20:00, ~52:39-55:10
    assert [(style, label) for _, style, label in marks] == [
        ("left: 5.0%; --ob-lane: 0", "3:00, cited 2 times"),
        ("left: 8.639%; --ob-lane: 1", "5:11, cited once"),
        ("left: 9.444%; --ob-lane: 2", "5:40, cited once"),
        ("left: 11.667%; --ob-lane: 3", "7:00, cited 2 times"),
        ("left: 16.667%; --ob-lane: 0; width: 16.666%", "10:00–20:00, cited once"),
        ("left: 87.75%; --ob-lane: 0; width: 4.194%", "around 52:39–55:10, cited 2 times"),
    ]
    assert talks.count(" opsboundary-timeline-range") == 2
    # 3:00, 7:00, 52:39 and the Vimeo talk's 5:11 are cited twice each: drawn larger.
    assert talks.count(" opsboundary-timeline-many") == 4
    assert "<span>0:00</span><span>1:00:00</span>" in talks


def test_each_mark_links_to_its_moment(talks: str) -> None:
    hrefs = [href for href, _, _ in _marks(talks, "Pipelines at Night &lt;fictional&gt;")]
    hrefs += [href for href, _, _ in _marks(talks, "Feature Stores &amp; Friends")]
    assert len(set(hrefs)) == len(hrefs) == 7
    for href in hrefs:
        target = re.search(
            rf'<li class="opsboundary-episode-index-moment" id="{re.escape(href[1:])}">'
            r"(.*?)</li>\s*</ul>",
            talks,
            re.S,
        )
        assert target, href
        assert 'class="opsboundary-episode-backlink' in target.group(1)


def test_no_timeline_without_a_duration(talks: str) -> None:
    assert "An Audio Episode" in talks
    assert talks.count('class="opsboundary-timeline"') == 2


def test_other_builders_keep_the_list_only(tmp_path: Path) -> None:
    outputs = {}
    for timeline in (True, False):
        src = tmp_path / str(timeline) / "src"
        shutil.copytree(ROOTS / "test-embeds", src)
        if not timeline:
            page = src / "talks.rst"
            page.write_text(page.read_text().replace("   :timeline:\n", ""), encoding="utf-8")
        app = _build(src, "text")
        try:
            outputs[timeline] = (Path(app.outdir) / "talks.txt").read_text(encoding="utf-8")
        finally:
            app.cleanup()
    assert outputs[True] == outputs[False]
    assert "52:39" in outputs[True] and "cited once" not in outputs[True]


def test_timeline_in_every_group(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-embeds", src)
    page = src / "talks.rst"
    page.write_text(
        page.read_text() + "\n.. episode-index::\n   :group-by: speaker\n   :timeline:\n",
        encoding="utf-8",
    )
    app = _build(src)
    try:
        html = (Path(app.outdir) / "talks.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every moment id is unique on the page"
    # yt-talk has two speakers: its timeline shows under each of them.
    assert html.count('aria-label="Cited moments of “Pipelines at Night') == 3


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad-rst.rst", "Bad\n===\n\n.. episode-index::\n   :timeline: yes\n", 5),
        ("bad-md.md", "# Bad\n\n```{episode-index}\n:timeline: yes\n```\n", 4),
    ],
)
def test_a_value_for_timeline_warns(tmp_path: Path, name: str, text: str, line: int) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-embeds", src)
    (src / name).write_text(text, encoding="utf-8")
    app = _build(src)
    try:
        warnings = [w for w in opsboundary_warnings(app) if w.file == name]
        html = (Path(app.outdir) / name.split(".")[0]).with_suffix(".html").read_text()
    finally:
        app.cleanup()
    assert warnings == [
        Warning_(
            name,
            line,
            "episode-index :timeline: takes no value, not 'yes'; write :timeline: alone",
            "opsboundary.syntax",
        )
    ]
    assert 'class="opsboundary-timeline"' in html  # the intent is clear: it still shows


@pytest.mark.slow
def test_parallel_and_incremental_builds_match_fresh_ones(tmp_path: Path) -> None:
    """Players and timelines: ``-j 1`` = ``-j 4``, and a rebuild after an edit = fresh."""
    from reliability.build import compare_pages, html_pages, sphinx_build

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-embeds", src)
    names = [f"extra-{n:02d}" for n in range(12)]
    for n, name in enumerate(names):
        (src / f"{name}.rst").write_text(
            f"Extra {n}\n========\n\n.. episode-citation:: yt-talk\n"
            f"   :at: {n * 4}:00\n   :embed:\n\nAnd :episode:`vimeo-talk@{n}:30`.\n",
            encoding="utf-8",
        )
    index = src / "index.rst"
    index.write_text(index.read_text() + "".join(f"   {n}\n" for n in names), encoding="utf-8")

    one = sphinx_build(src, tmp_path / "j1", jobs=1, env={"PYTHONHASHSEED": "1"})
    four = sphinx_build(src, tmp_path / "j4", jobs=4, env={"PYTHONHASHSEED": "2"})
    assert one.returncode == four.returncode == 0, four.describe()
    assert sorted(one.warnings) == sorted(four.warnings) == []
    problems = compare_pages(html_pages(tmp_path / "j1"), html_pages(tmp_path / "j4"))
    assert not problems, "\n\n".join(problems[:3])

    # Edit one page (a new moment, one citation without a player); rebuild incrementally.
    page = src / "extra-03.rst"
    page.write_text(page.read_text().replace(":at: 12:00\n   :embed:", ":at: 33:33"))
    again = sphinx_build(src, tmp_path / "j1", jobs=1)
    fresh = sphinx_build(src, tmp_path / "fresh", jobs=1, fresh=True)
    assert again.returncode == fresh.returncode == 0
    problems = compare_pages(html_pages(tmp_path / "j1"), html_pages(tmp_path / "fresh"))
    assert not problems, "\n\n".join(problems[:3])
    talks = (tmp_path / "j1" / "talks.html").read_text(encoding="utf-8")
    assert 'aria-label="33:33, cited once"' in talks
    assert "opsboundary-embed.js" not in (tmp_path / "j1" / "extra-03.html").read_text()
