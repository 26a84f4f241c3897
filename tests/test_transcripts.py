"""Citations checked against transcripts and chapters (SPEC §6), from rST and MyST.

The root ``test-transcripts`` has an invented episode with a WebVTT transcript
(voices) and a chapters file, cited by ``quotes-rst.rst`` and ``quotes-md.md``,
which hold the same cases on the same lines; ``formats.rst`` cites SubRip and
JSON transcripts; ``broken.rst`` cites episodes whose files cannot be read.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from reliability.build import sphinx_build
from util import Warning_, opsboundary_warnings

ROOT = Path(__file__).parent / "roots" / "test-transcripts"
TITLE = "'Incident Review Live'"


def _build(tmp: Path, builder: str = "html", **kwargs: Any) -> SphinxTestApp:
    src = tmp / "src"
    if not src.exists():
        shutil.copytree(ROOT, src)
    app = SphinxTestApp(builder, srcdir=src, status=StringIO(), warning=StringIO(), **kwargs)
    app.build()
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    built = _build(tmp_path_factory.mktemp("transcripts"))
    yield built
    built.cleanup()


def _html(app: SphinxTestApp, page: str) -> str:
    return (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")


# One expectation for both syntaxes: the pages hold the same cases on the same lines.
QUOTE_WARNINGS = [
    (
        44,
        f"the quotation is not said near 0:05 in {TITLE}: found at 4:00; write :at: 4:00",
        "opsboundary.quote",
    ),
    (
        52,
        f"the quotation is not in the transcript of {TITLE} near 1:16; the closest passage, "
        'at 1:15 (83% similar), says "We don\'t page on queue depth"; correct the '
        "quotation, or mark it :quote: paraphrase",
        "opsboundary.quote",
    ),
    (
        60,
        f"'Ben Ortiz' does not speak near 2:31 in {TITLE}: the quotation is said by "
        "'Ada Brook'; 'Ben Ortiz' speaks at 2:36",
        "opsboundary.quote",
    ),
    (
        68,
        f"'Ben Ortiz' does not speak near 0:10 in {TITLE}: who speaks there is "
        "'Ada Brook'; 'Ben Ortiz' speaks at 1:10",
        "opsboundary.quote",
    ),
    (
        100,
        f"5:00 lies past the last cue of the transcript of {TITLE}, which ends at 4:10; "
        "check the time",
        "opsboundary.timestamp",
    ),
]

#: Line of each card in the quote pages -> its expected status in the report.
STATUSES = {
    4: "verified",  # "…" straight quotes
    12: "verified",  # “…” with other case and punctuation
    20: "verified",  # «…» with an omission
    28: "verified",  # „…“ with an insertion
    36: "verified",  # :quote: verbatim, no quotation marks
    44: "elsewhere",
    52: "not-found",
    60: "speaker",  # said, but by someone else
    68: "speaker",  # paraphrase where the cited speaker is silent
    76: "unchecked",  # :quote: paraphrase
    84: "verified",
    92: "unchecked",  # role: no body
    100: "unchecked",  # role past the last cue
}

BROKEN = [
    Warning_(
        "backwards.srt",
        2,
        "transcript 'backwards.srt' of episode 'backwards' has a cue that ends (0:02) "
        "before it starts (0:05); the citations of 'backwards' are not checked against it",
        "opsboundary.source",
    ),
    Warning_(
        "badchapters.json",
        5,
        "chapters 'badchapters.json' of episode 'badchapters' is not a Podcasting 2.0 "
        'chapters file: chapters[1] needs "startTime", seconds, a number; the citations '
        "of 'badchapters' are not checked against it",
        "opsboundary.source",
    ),
    Warning_(
        "badshape.json",
        5,
        "transcript 'badshape.json' of episode 'badshape' is not a Podcasting 2.0 "
        'transcript: segments[1] needs "endTime", seconds, a number; the citations of '
        "'badshape' are not checked against it",
        "opsboundary.source",
    ),
    Warning_(
        "broken.vtt",
        6,
        "transcript 'broken.vtt' of episode 'broken-vtt' has a cue with bad timing "
        "'00:00:05.000 --> 00:00:0x.000'; write it as '00:01:02.500 --> 00:01:05.000'; "
        "the citations of 'broken-vtt' are not checked against it",
        "opsboundary.source",
    ),
    Warning_(
        "conf.py",
        30,
        "transcript 'nowhere.vtt' of episode 'missing' cannot be read; check the path, "
        "which is relative to the configuration directory",
        "opsboundary.source",
    ),
    Warning_(
        "latin1.vtt",
        4,
        "transcript 'latin1.vtt' of episode 'latin1' is not UTF-8: byte 0xe9 at line 4, "
        "column 4 cannot be decoded; save the file as UTF-8; the citations of 'latin1' "
        "are not checked against it",
        "opsboundary.source",
    ),
]

FORMATS = [
    Warning_(
        "formats.rst",
        21,
        "11:00 lies past the last chapter of 'Chapters Only', which ends at 10:00; check the time",
        "opsboundary.timestamp",
    ),
]


def _expected() -> list[Warning_]:
    quotes = [
        Warning_(page, line, message, kind)
        for page in ("quotes-md.md", "quotes-rst.rst")
        for line, message, kind in QUOTE_WARNINGS
    ]
    return sorted([*quotes, *BROKEN, *FORMATS])


def test_every_rule_warns_at_the_citations_own_line(app: SphinxTestApp) -> None:
    assert sorted(opsboundary_warnings(app)) == _expected()


def test_unreadable_transcripts_leave_the_build_going(app: SphinxTestApp) -> None:
    html = _html(app, "broken")
    assert html.count('class="opsboundary-episode docutils container"') == 6
    assert "opsboundary-verified" not in html


@pytest.mark.parametrize("page", ["quotes-rst", "quotes-md"])
def test_verified_cards_say_so(app: SphinxTestApp, page: str) -> None:
    html = _html(app, page)
    cards = re.findall(r'<div class="(opsboundary-episode[^"]*)"', html)
    verified = [i for i, classes in enumerate(cards) if "opsboundary-verified" in classes]
    assert verified == [0, 1, 2, 3, 4, 10]
    note = '<p class="opsboundary-verified-note">checked against the transcript</p>'
    assert html.count(note) == 6


@pytest.mark.parametrize("page", ["quotes-rst", "quotes-md"])
def test_chapters_are_named(app: SphinxTestApp, page: str) -> None:
    html = _html(app, page)
    chapters = re.findall(r'<span class="opsboundary-episode-chapter">([^<]*)</span>', html)
    assert chapters[:4] == [
        "chapter “The outage”",
        "chapter “What to change”",
        "chapter “Rollbacks”",
        "chapter “The outage”",
    ]
    # The role's tooltip; 5:00 is after the last chapter ends, so it has none.
    tooltip = r'<span class="opsboundary-episode-mention" id="[^"]+" title="Chapter: Rollbacks">'
    assert re.search(tooltip, html)
    assert len(re.findall(r'class="opsboundary-episode-mention"[^>]*title=', html)) == 1


def test_episode_index_names_chapters(app: SphinxTestApp) -> None:
    html = _html(app, "index")
    found = re.findall(
        r'<time datetime="(PT[^"]+)">[^<]*</time></a> · '
        r'<span class="opsboundary-episode-chapter">([^<]*)</span>',
        html,
    )
    assert ("PT1M16S", "The outage") in found
    assert ("PT4M5S", "Rollbacks") in found
    assert ("PT5S", "Welcome") in found
    assert not any(when == "PT5M" for when, _ in found)


def test_other_builders_keep_the_text(tmp_path: Path) -> None:
    app = _build(tmp_path, "text")
    try:
        text = (Path(app.outdir) / "quotes-rst.txt").read_text(encoding="utf-8")
        assert "checked against the transcript" not in text
        assert "chapter “The outage”" in text
        assert "opsboundary_citation" not in text
    finally:
        app.cleanup()


def test_window_setting(tmp_path: Path) -> None:
    app = _build(tmp_path, confoverrides={"opsboundary_quote_window": 5})
    try:
        found = {(w.file, w.line): w.message for w in opsboundary_warnings(app)}
        assert found[("quotes-rst.rst", 84)] == (
            f"the quotation is not said near 1:45 in {TITLE}: found at 1:15; write :at: 1:15"
        )
        assert found[("quotes-md.md", 84)] == found[("quotes-rst.rst", 84)]
    finally:
        app.cleanup()


def test_bad_window_is_a_config_warning(tmp_path: Path) -> None:
    app = _build(tmp_path, confoverrides={"opsboundary_quote_window": -3})
    try:
        found = [w for w in opsboundary_warnings(app) if w.type == "opsboundary.config"]
        assert [w.message for w in found] == [
            "opsboundary_quote_window must be a number of seconds (0 or more), not -3; using 30"
        ]
        # The default window applies: the 1:45 quotation is verified.
        assert ("quotes-rst.rst", 84) not in {(w.file, w.line) for w in opsboundary_warnings(app)}
    finally:
        app.cleanup()


def test_checker_report_gives_every_citation_its_quote_status(tmp_path: Path) -> None:
    app = _build(tmp_path, "opsboundary-check")
    try:
        report = json.loads((Path(app.outdir) / "opsboundary.json").read_text("utf-8"))
        for page in ("quotes-rst.rst", "quotes-md.md"):
            mine = {c["line"]: c for c in report["citations"] if c["file"] == page}
            assert {line: c["quote"] for line, c in mine.items()} == STATUSES
            assert mine[44]["quote_found_at"] == 240
            assert mine[4]["chapter"] == "The outage"
            assert mine[4]["quote_found_at"] is None
            assert mine[100]["chapter"] is None
            assert mine[52]["status"] == "broken"
            assert mine[4]["status"] == "ok"
        every = report["citations"]
        assert all({"quote", "quote_found_at", "chapter"} <= set(c) for c in every)
        formats = {c["line"]: c["quote"] for c in every if c["file"] == "formats.rst"}
        assert formats == {4: "verified", 9: "verified", 15: "verified", 21: "unchecked"}
        broken = {c["quote"] for c in every if c["file"] == "broken.rst"}
        assert broken == {"unchecked"}
    finally:
        app.cleanup()


def test_missing_parser_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "webvtt", None)
    monkeypatch.setitem(sys.modules, "srt", None)
    app = _build(tmp_path)
    try:
        config = sorted(
            (w.line, w.message) for w in opsboundary_warnings(app) if w.type == "opsboundary.config"
        )
        assert config[0] == (
            7,
            "transcript 'talk.vtt' of episode 'incident-talk' needs webvtt-py, which is not "
            "installed; install the 'transcripts' extra (pip install "
            '"sphinx-opsboundary[transcripts]"); its citations are not checked',
        )
        assert (
            14,
            "transcript 'solo.srt' of episode 'solo' needs srt, which is not installed; "
            "install the 'transcripts' extra (pip install "
            '"sphinx-opsboundary[transcripts]"); its citations are not checked',
        ) in config
        assert not [w for w in opsboundary_warnings(app) if w.type == "opsboundary.quote"]
        # JSON needs no extra: the Data Shifts citations are still checked.
        assert "opsboundary-verified" in _html(app, "formats")
    finally:
        app.cleanup()


# --------------------------------------------------------------------------
# Options and registry fields
# --------------------------------------------------------------------------

OPTIONS_RST = """\
Options
=======

.. episode-citation:: incident-talk
   :at: 1:16
   :quote: verbatum

   "We don't page on queue depth."

.. episode-citation:: incident-talk
   :at: 1:16
   :quote: verbatim
"""

OPTIONS_MD = """\
# Options


```{episode-citation} incident-talk
:at: 1:16
:quote: verbatum

"We don't page on queue depth."
```

```{episode-citation} incident-talk
:at: 1:16
:quote: verbatim
```
"""


def test_quote_option_is_validated(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   options\n   md\n")
    for name in ("quotes-rst.rst", "quotes-md.md", "formats.rst", "broken.rst"):
        (src / name).unlink()
    (src / "options.rst").write_text(OPTIONS_RST)
    (src / "md.md").write_text(OPTIONS_MD)
    app = _build(tmp_path)
    try:
        found = sorted(
            (w.file, w.line, w.message)
            for w in opsboundary_warnings(app)
            if w.type == "opsboundary.syntax"
        )
        bad = (
            "episode-citation :quote: 'verbatum' is not one of verbatim, paraphrase; "
            "did you mean 'verbatim'?"
        )
        empty = "episode-citation :quote: verbatim needs the quoted words as its body"
        assert found == [
            ("md.md", 6, bad),
            ("md.md", 13, empty),
            ("options.rst", 6, bad),
            ("options.rst", 12, empty),
        ]
    finally:
        app.cleanup()


def test_registry_file_fields_must_be_local_paths(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text() + 'opsboundary_episodes["remote"] = {"title": "Remote", "speakers": ["M"],'
        ' "transcript": "https://example.org/t.vtt", "chapters": 3}\n'
    )
    app = _build(tmp_path)
    try:
        found = [w.message for w in opsboundary_warnings(app) if w.type == "opsboundary.episode"]
        assert found == [
            "episode 'remote' in conf.py: transcript 'https://example.org/t.vtt' is not a "
            "local file; save it next to conf.py and give its path relative to the "
            "configuration directory",
            "episode 'remote' in conf.py: chapters must be a file path (a string) relative "
            "to the configuration directory, not 3; it is ignored",
        ]
    finally:
        app.cleanup()


# --------------------------------------------------------------------------
# Incremental and parallel truth
# --------------------------------------------------------------------------


def test_editing_a_transcript_rechecks_its_citations(tmp_path: Path) -> None:
    """Edit only the transcript and rebuild without -E: the warnings of a fresh build."""
    from sphinx_opsboundary.episodes import quotes

    first = _build(tmp_path)
    first.cleanup()
    talk = tmp_path / "src" / "talk.vtt"
    talk.write_text(
        talk.read_text(encoding="utf-8").replace(
            "we page on customer impact", "we page on what customers feel"
        ),
        encoding="utf-8",
    )
    calls: list[str] = []
    original = quotes.judge

    def counting(citation: Any, *args: Any) -> Any:
        calls.append(citation.key)
        return original(citation, *args)

    quotes.judge = counting  # type: ignore[assignment]
    try:
        again = _build(tmp_path)
    finally:
        quotes.judge = original  # type: ignore[assignment]
    rebuilt = sorted(opsboundary_warnings(again))
    status = again.status.getvalue()
    again.cleanup()
    # Exactly the citations of the edited episode were judged again.
    assert calls and set(calls) == {"incident-talk"}
    assert re.search(r"2 changed", status), status

    fresh = _build(tmp_path / "fresh")
    (tmp_path / "fresh" / "src" / "talk.vtt").write_text(talk.read_text("utf-8"), "utf-8")
    fresh.cleanup()
    fresh = _build(tmp_path / "fresh", freshenv=True)
    try:
        assert rebuilt == sorted(opsboundary_warnings(fresh))
        lines = {(w.file, w.line) for w in rebuilt if w.type == "opsboundary.quote"}
        assert ("quotes-rst.rst", 84) in lines  # no longer said
        assert ("quotes-rst.rst", 4) in lines
        assert "opsboundary-verified" in _html(fresh, "quotes-rst")
    finally:
        fresh.cleanup()


def test_unchanged_transcripts_are_not_parsed_again(tmp_path: Path) -> None:
    """Neither on a rebuild nor with -E in the same folder (but on an edit, see above)."""
    from sphinx_opsboundary.episodes import quotes

    first = _build(tmp_path)
    first.cleanup()
    calls: list[str] = []
    original = quotes.read_transcript

    def counting(path: str) -> Any:
        calls.append(path)
        return original(path)

    (tmp_path / "src" / "quotes-rst.rst").touch()  # a page is re-read, no transcript changed
    quotes.read_transcript = counting  # type: ignore[assignment]
    try:
        again = _build(tmp_path)
        warnings = sorted(opsboundary_warnings(again))
        again.cleanup()
        # -E: a fresh environment, but the parsed copies beside the doctrees are reused.
        fresh = _build(tmp_path, freshenv=True)
        fresh_warnings = sorted(opsboundary_warnings(fresh))
        fresh.cleanup()
    finally:
        quotes.read_transcript = original  # type: ignore[assignment]
    assert calls == []
    assert warnings == fresh_warnings == _expected()


def test_parallel_equals_serial(tmp_path: Path) -> None:
    shutil.copytree(ROOT, tmp_path / "src")
    serial = sphinx_build(tmp_path / "src", tmp_path / "j1", jobs=1)
    parallel = sphinx_build(tmp_path / "src", tmp_path / "j4", jobs=4)
    assert serial.returncode == parallel.returncode == 0, parallel.describe()
    assert sorted(serial.ops_warnings()) == sorted(parallel.ops_warnings())
    assert len(serial.ops_warnings()) == len(_expected())
    for page in ("quotes-rst", "quotes-md", "formats", "index"):
        one = (tmp_path / "j1" / f"{page}.html").read_bytes()
        four = (tmp_path / "j4" / f"{page}.html").read_bytes()
        assert one == four, page


# --------------------------------------------------------------------------
# The docs' invented episode: quoted right in the docs, wrong here
# --------------------------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs"
PAGER = "'The Quiet Pager'"
MISQUOTES = [
    ("the quotation is not said near 0:05 in 'The Quiet Pager': found at 0:45; write :at: 0:45"),
    (
        f"the quotation is not in the transcript of {PAGER} near 0:45; the closest "
        'passage, at 0:45 (95% similar), says "A quiet pager is not a sign that nothing '
        'is wrong"; correct the quotation, or mark it :quote: paraphrase'
    ),
    (
        f"'Mara Quint' does not speak near 0:45 in {PAGER}: the quotation is said by "
        "'Tobias Reyne'; 'Mara Quint' speaks at 0:53"
    ),
]


def test_misquoting_the_docs_episode(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT.parent / "test-transcripts-wiki", src)
    shutil.copyfile(DOCS / "episodes.toml", src / "episodes.toml")
    shutil.copytree(DOCS / "transcripts", src / "transcripts")
    app = _build(tmp_path)
    try:
        expected = [
            Warning_(page, line, message, "opsboundary.quote")
            for page, lines in (("index.rst", (8, 14, 20)), ("misquote-md.md", (3, 10, 17)))
            for line, message in zip(lines, MISQUOTES, strict=True)
        ]
        assert sorted(opsboundary_warnings(app)) == sorted(expected)
        # The how-to shows these very messages.
        howto = (DOCS / "how-to" / "transcripts.rst").read_text(encoding="utf-8")
        flat = " ".join(howto.split())
        for message in MISQUOTES:
            assert message in flat, message
    finally:
        app.cleanup()


@pytest.mark.parametrize("builder", ["singlehtml", "latex"])
def test_assembled_builders_find_each_pages_outcomes(tmp_path: Path, builder: str) -> None:
    """LaTeX and singlehtml resolve all pages in one tree: each card still finds its page."""
    app = _build(tmp_path, builder)
    try:
        out = Path(app.outdir)
        if builder == "singlehtml":
            text = (out / "index.html").read_text(encoding="utf-8")
            assert text.count('<p class="opsboundary-verified-note">') == 15
            assert text.count('title="Chapter: Rollbacks"') == 2
        else:
            text = next(out.glob("*.tex")).read_text(encoding="utf-8")
            assert "checked against the transcript" not in text
            # Five cards per quote page cite a moment of "The outage" (1:10, three at
            # 1:16, 1:45), and the episode index lists those three moments.
            assert text.count("The outage") == 5 * 2 + 3
    finally:
        app.cleanup()
