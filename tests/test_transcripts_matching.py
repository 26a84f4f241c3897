"""The pure parts of SPEC §6: reading transcripts, normalising, finding quotations."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_opsboundary.domain import Citation
from sphinx_opsboundary.episodes.judging import judge
from sphinx_opsboundary.episodes.matching import TokenIndex, parse_quote, quotation, tokens
from sphinx_opsboundary.episodes.registry import Episode
from sphinx_opsboundary.episodes.transcripts import (
    Chapter,
    Chapters,
    Transcript,
    TranscriptError,
    read_chapters,
    read_transcript,
)

EPISODE = Episode(key="e", title="E", speakers=("A", "B"))


def _citation(text: str, at: int, end: int | None = None, **kwargs: object) -> Citation:
    return Citation(
        docname="d", source="d.rst", line=1, node_id="n", key="e", at=at, end=end,
        text=text, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_normalisation_ignores_case_punctuation_quotes_and_whitespace() -> None:
    assert tokens('Don’t  STOP—believing,\n"ever"') == ["dont", "stop", "believing", "ever"]
    assert tokens("don't stop believing ever") == tokens("DON’T stop; Believing… ever!")
    assert tokens("CI/CD_pipelines") == ["ci", "cd", "pipelines"]


@pytest.mark.parametrize(
    ("body", "inner"),
    [
        ('"We ship."', "We ship."),
        ("“We ship.”", "We ship."),
        ("«We ship.»", "We ship."),
        ("„We ship.“", "We ship."),
        ('"We ship".', "We ship"),
        ("We ship.", None),
        ('"We" ship "it"', None),
        ('"', None),
        ('“We ship."', None),
    ],
)
def test_what_counts_as_a_quotation(body: str, inner: str | None) -> None:
    assert quotation(body) == inner


def test_omissions_and_insertions() -> None:
    pattern = parse_quote("We ship … on Fridays [the team] never deploy [...] at night")
    assert pattern.segments == (
        ("we", "ship"), ("on", "fridays"), ("never", "deploy"), ("at", "night"),
    )  # fmt: skip
    assert pattern.gaps == (0, 150, 2 + 3, 150)
    assert parse_quote("[He] said it").segments == (("said", "it"),)


def _transcript(*cues: tuple[float, float, str | None, str]) -> Transcript:
    return Transcript(
        starts=tuple(c[0] for c in cues),
        ends=tuple(c[1] for c in cues),
        voices=tuple(c[2] for c in cues),
        texts=tuple(c[3] for c in cues),
    )


def test_quotations_across_cues_with_gaps() -> None:
    index = TokenIndex(
        _transcript(
            (10, 14, "A", "We ship small changes,"),
            (14, 18, "A", "and on Fridays we never deploy."),
            (60, 64, "B", "Never at night."),
        )
    )
    verified = judge(
        _citation('"We ship small changes … on Fridays [the team] never deploy."', 12),
        EPISODE, index, None, 30,
    )  # fmt: skip
    assert verified.status == "verified"
    # An omission bridges at most about a minute of words, and order matters.
    assert index.find(parse_quote("never deploy … We ship"), 10) is None


def test_voices_change_inside_a_cue(tmp_path: Path) -> None:
    path = tmp_path / "t.vtt"
    path.write_text(
        "WEBVTT\n\n00:01.000 --> 00:03.000\n<v.loud Ann Lee>Yes.</v>\n<v Bo>No &amp; never.\n\n"
        "00:03.000 --> 00:04.000\nStill Bo.\n",
        encoding="utf-8",
    )
    transcript = read_transcript(str(path))
    assert transcript.voices == ("Ann Lee", "Bo", "Bo")
    assert transcript.texts == ("Yes.", "No & never.", "Still Bo.")
    assert transcript.starts == (1.0, 1.0, 3.0)


def test_subrip_and_json(tmp_path: Path) -> None:
    srt = tmp_path / "t.srt"
    srt.write_text("1\n00:00:01,500 --> 00:00:03,000\n{\\an8}<b>Hi</b> there\n", "utf-8")
    assert read_transcript(str(srt)) == Transcript((1.5,), (3.0,), (None,), ("Hi there",))
    data = tmp_path / "t.json"
    data.write_text(
        '{"version": "1.0.0", "segments": [{"speaker": "Z", "startTime": 1, "endTime": 2, '
        '"body": "Hi"}, {"startTime": 2, "endTime": 3, "body": "again"}]}',
        "utf-8",
    )
    assert read_transcript(str(data)).voices == ("Z", "Z")


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("a.vtt", "00:01.000 --> 00:02.000\nhi\n", 1, "is not a WebVTT file"),
        ("a.vtt", "WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:01.000 --> 00:02.000\nb\n", 6,
         "has a cue starting at 0:01 after one starting at 0:05"),
        ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:0x,000 --> 00:00:03,000\nb\n",
         6, "is not valid SubRip: cannot read '00:00:0x,000 --> 00:00:03,000'"),
        ("a.srt", "garbage\n\n1\n00:00:01,000 --> 00:00:02,000\na\n", 1,
         "is not valid SubRip: cannot read 'garbage'"),
        ("a.json", '{"segments": {}}', 1, 'must be a JSON object with a "segments" list'),
        ("a.json", '{"segments": [\n  1\n]}', 2,
         "is not a Podcasting 2.0 transcript: segments[0] must be an object"),
        ("a.txt", "hello", None, "has an unknown format"),
    ],
)  # fmt: skip
def test_unreadable_transcripts_are_located(
    tmp_path: Path, name: str, text: str, line: int | None, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        read_transcript(str(path))
    assert info.value.line == line
    assert info.value.message.startswith(message), info.value.message


def test_chapters(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(
        '{"chapters": [{"startTime": 30, "title": "Two", "endTime": 50}, '
        '{"startTime": 0, "title": "One"}, {"startTime": 10, "title": "Ad", "toc": false}]}',
        "utf-8",
    )
    chapters = read_chapters(str(path))
    assert chapters == Chapters((Chapter(0, None, "One"), Chapter(30, 50, "Two")))
    assert [getattr(chapters.at(t), "title", None) for t in (0, 29, 30, 49, 50)] == [
        "One", "One", "Two", "Two", None,
    ]  # fmt: skip
    assert chapters.last_end == 50


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

WORDS = st.lists(
    st.from_regex(r"[a-zà-ö]{2,7}", fullmatch=True), min_size=4, max_size=60, unique=True
)
Case = tuple[TokenIndex, str, float, float, float]
SEPARATORS = [" ", "  ", ", ", " - ", "\n", "; ", ": ", " — ", "! "]
MARKS = [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“")]


@st.composite
def cited(draw: st.DrawFn) -> Case:
    """A transcript of unique words, one stretch of it quoted with random changes."""
    vocabulary = draw(WORDS)
    step = draw(st.floats(min_value=1.5, max_value=12))
    sizes: list[int] = []
    left = len(vocabulary)
    while left:
        size = min(left, draw(st.integers(min_value=1, max_value=8)))
        sizes.append(size)
        left -= size
    cues, position = [], 0
    for number, size in enumerate(sizes):
        text = " ".join(vocabulary[position : position + size])
        cues.append((number * step, number * step + step * 0.9, None, text))
        position += size
    index = TokenIndex(_transcript(*cues))
    start = draw(st.integers(min_value=0, max_value=len(vocabulary) - 1))
    end = draw(st.integers(min_value=start + 1, max_value=min(len(vocabulary), start + 25)))
    parts = []
    for word in vocabulary[start:end]:
        case = draw(st.sampled_from([str.lower, str.upper, str.title, str.capitalize]))
        parts.append(case(word))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    opening, closing = draw(st.sampled_from(MARKS))
    body = opening + draw(st.sampled_from(["", " "])) + "".join(parts[:-1]) + closing
    body += draw(st.sampled_from(["", ".", "!"]))
    passage = index.passage(start, end)
    window = draw(st.floats(min_value=0, max_value=60))
    return index, body, passage.begins, passage.ends, window


@settings(max_examples=150, deadline=None)
@given(cited())
def test_any_stretch_quoted_at_its_cue_verifies(case: Case) -> None:
    index, body, begins, _ends, window = case
    outcome = judge(_citation(body, int(begins)), EPISODE, index, None, window)
    assert outcome.status == "verified", (body, begins)


@settings(max_examples=150, deadline=None)
@given(cited(), st.booleans(), st.integers(min_value=1, max_value=300))
def test_the_same_text_beyond_the_window_never_verifies(
    case: Case, before: bool, extra: int
) -> None:
    index, body, begins, ends, window = case
    at = int(begins - window) - extra if before else int(ends + window) + extra
    if at < 0:
        at = int(ends + window) + extra
    outcome = judge(_citation(body, at), EPISODE, index, None, window)
    assert outcome.status == "elsewhere"
    assert outcome.found_at == int(begins)
