"""Reading transcripts and chapters (SPEC §6): cues with times, text and voices.

Pure Python, no Sphinx import.  Three transcript formats, each read by a
maintained parser or the project's one data-file loader:

* WebVTT (``.vtt``) through webvtt-py, strictly, so a cue with bad timing is an
  error rather than a silently dropped cue; voices come from ``<v Name>``;
* SubRip (``.srt``) through ``srt``;
* Podcasting 2.0 JSON (``.json``: ``segments`` of ``speaker``, ``startTime``,
  ``endTime``, ``body``) through :func:`~sphinx_opsboundary.datafiles.load_data_file`.

webvtt-py and srt are the optional ``transcripts`` extra: a missing one is a
:class:`TranscriptError` with ``reason="library"`` naming the extra.  Every other
problem is a :class:`TranscriptError` with the 1-based line of the offending cue,
segment or chapter, so the caller can warn at the transcript's own file and line.

A cue without a voice continues the voice before it (transcripts commonly name
the speaker only when it changes).  Times are seconds as floats.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from typing import Any, Literal

from ..datafiles import DataFileError, LoadedData, load_data_file, read_text

__all__ = [
    "EXTRA",
    "MAX_BYTES",
    "Chapter",
    "Chapters",
    "Transcript",
    "TranscriptError",
    "read_chapters",
    "read_transcript",
]

#: The optional extra that brings webvtt-py and srt.
EXTRA = "transcripts"
#: Transcripts of long episodes with word-level timing outgrow the 2 MB cap of
#: ordinary data files; this is still a safety limit.
MAX_BYTES = 8_000_000
#: Suffix -> format.
FORMATS = {".vtt": "vtt", ".srt": "srt", ".json": "json"}

Reason = Literal["format", "missing", "library", "parse"]


class TranscriptError(Exception):
    """A transcript or chapters file that cannot be used; ``message`` reads after its name."""

    def __init__(self, message: str, line: int | None = None, reason: Reason = "parse") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Transcript:
    """Cues in time order: parallel tuples, small to pickle into the environment."""

    starts: tuple[float, ...]
    ends: tuple[float, ...]
    voices: tuple[str | None, ...]  #: the voice speaking in each cue, if known
    texts: tuple[str, ...]  #: plain text of each cue (tags removed, entities decoded)

    @property
    def has_voices(self) -> bool:
        return any(v is not None for v in self.voices)

    @property
    def last_end(self) -> float:
        return max(self.ends, default=0.0)


@dataclass(frozen=True, slots=True)
class Chapter:
    start: float
    end: float | None
    title: str


@dataclass(frozen=True, slots=True)
class Chapters:
    """Chapters shown to listeners (``"toc": false`` entries are left out), by start."""

    entries: tuple[Chapter, ...]

    def at(self, seconds: float) -> Chapter | None:
        """The chapter playing at *seconds*, if any."""
        found: Chapter | None = None
        for chapter in self.entries:
            if chapter.start > seconds:
                break
            found = chapter
        if found is not None and found.end is not None and seconds >= found.end:
            return None
        return found

    @property
    def last_end(self) -> float | None:
        """The end of the last chapter, when the file says where it ends."""
        return self.entries[-1].end if self.entries else None


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _text(path: str) -> str:
    try:
        return read_text(path, max_bytes=MAX_BYTES)
    except DataFileError as err:
        reason: Reason = "missing" if err.reason in ("missing", "unreadable") else "parse"
        raise TranscriptError(err.message, err.line, reason) from None


def read_transcript(path: str) -> Transcript:
    """Read the transcript at *path*; raise :class:`TranscriptError` for any problem."""
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise TranscriptError(
            "has an unknown format; use a WebVTT (.vtt), SubRip (.srt) or "
            "Podcasting 2.0 JSON (.json) transcript",
            reason="format",
        )
    if fmt == "json":
        return _read_json(_load_json(path))
    text = _text(path)
    return _read_vtt(text) if fmt == "vtt" else _read_srt(text)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>]+)>")


def _timing_lines(text: str) -> list[int]:
    """1-based lines holding ``-->``: in a strictly valid file, one per cue, in order."""
    return [n for n, line in enumerate(_LINE_BREAK.split(text), 1) if "-->" in line]


def _clean(line: str) -> str:
    return html.unescape(_TAG.sub("", line)).strip()


def _require(module: str, package: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise TranscriptError(
            f"needs {package}, which is not installed; install the {EXTRA!r} extra "
            f'(pip install "sphinx-opsboundary[{EXTRA}]")',
            reason="library",
        ) from None


def _read_vtt(text: str) -> Transcript:
    webvtt = _require("webvtt", "webvtt-py")
    errors = (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError)
    try:
        captions = webvtt.WebVTT.from_string(text, strict=True).captions
    except webvtt.errors.MalformedFileError:
        raise TranscriptError("is not a WebVTT file: its first line must be 'WEBVTT'", 1) from None
    except errors as err:
        raise _vtt_error(webvtt, text, err) from None
    lines = _timing_lines(text)
    cues: list[tuple[float, float, str | None, str, int]] = []
    for number, caption in enumerate(captions):
        line = lines[number] if len(lines) == len(captions) else None
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        voice: str | None = None
        parts: list[str] = []
        for raw in caption.lines:
            match = _VOICE.match(raw)
            if match and parts and match.group(1).strip() != voice:
                cues.append((start, end, voice, " ".join(parts), line or 0))
                parts = []
            if match:
                voice = match.group(1).strip()
            cleaned = _clean(raw)
            if cleaned:
                parts.append(cleaned)
        cues.append((start, end, voice, " ".join(parts), line or 0))
    return _build(cues)


def _vtt_error(webvtt: Any, text: str, err: Exception) -> TranscriptError:
    """Locate a strict-mode failure: the first timing line that fails on its own."""
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if "-->" not in line:
            continue
        try:
            webvtt.WebVTT.from_string(f"WEBVTT\n\n{line}\nx\n", strict=True)
        except Exception:
            return TranscriptError(
                f"has a cue with bad timing {line.strip()!r}; write it as "
                "'00:01:02.500 --> 00:01:05.000'",
                number,
            )
    return TranscriptError(f"is not valid WebVTT: {err}", None)


def _read_srt(text: str) -> Transcript:
    srt = _require("srt", "srt")
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as err:
        line = text.count("\n", 0, err.expected_start) + 1
        content = err.unmatched_content.splitlines()
        at = next((n for n, x in enumerate(content) if "-->" in x), 0)
        while at < len(content) - 1 and not content[at].strip():
            at += 1
        shown = content[at].strip() if content else ""
        line += at
        raise TranscriptError(
            f"is not valid SubRip: cannot read {shown!r}; each cue is a number, a "
            "timing line '00:01:02,500 --> 00:01:05,000' and text",
            line,
        ) from None
    except (srt.TimestampParseError, ValueError) as err:
        raise TranscriptError(f"is not valid SubRip: {err}", None) from None
    lines = _timing_lines(text)
    cues: list[tuple[float, float, str | None, str, int]] = []
    for number, subtitle in enumerate(subtitles):
        line = lines[number] if len(lines) == len(subtitles) else 0
        body = " ".join(c for c in (_clean(x) for x in subtitle.content.splitlines()) if c)
        body = re.sub(r"\{\\[^}]*\}", "", body)  # ASS-style position overrides
        cues.append(
            (subtitle.start.total_seconds(), subtitle.end.total_seconds(), None, body, line)
        )
    return _build(cues)


def _build(cues: list[tuple[float, float, str | None, str, int]]) -> Transcript:
    """Check cue timing, carry voices forward, and freeze the cues."""
    previous = 0.0
    voice: str | None = None
    voices: list[str | None] = []
    for start, end, own, _said, line in cues:
        if end < start:
            raise TranscriptError(
                f"has a cue that ends ({_clock(end)}) before it starts ({_clock(start)})",
                line or None,
            )
        if start < previous:
            raise TranscriptError(
                f"has a cue starting at {_clock(start)} after one starting at "
                f"{_clock(previous)}; cues must be in time order",
                line or None,
            )
        previous = start
        voice = own if own is not None else voice
        voices.append(voice)
    return Transcript(
        starts=tuple(c[0] for c in cues),
        ends=tuple(c[1] for c in cues),
        voices=tuple(voices),
        texts=tuple(c[3] for c in cues),
    )


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# --------------------------------------------------------------------------
# Podcasting 2.0 JSON: transcripts and chapters
# --------------------------------------------------------------------------


def _load_json(path: str) -> LoadedData:
    if os.path.splitext(path)[1].lower() != ".json":
        raise TranscriptError(
            "has an unknown format; use a Podcasting 2.0 chapters file (.json)",
            reason="format",
        )
    try:
        return load_data_file(path, max_bytes=MAX_BYTES)
    except DataFileError as err:
        reason: Reason = "missing" if err.reason in ("missing", "unreadable") else "parse"
        raise TranscriptError(err.message, err.line, reason) from None


def _items(loaded: LoadedData, name: str, example: str) -> list[Any]:
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get(name), list):
        line = loaded.line_of(name) if isinstance(data, dict) else None
        raise TranscriptError(
            f'must be a JSON object with a "{name}" list, as in {example}', line or 1
        )
    return list(data[name])


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _shape_error(loaded: LoadedData, name: str, index: int, key: str, want: str) -> TranscriptError:
    line = loaded.line_of(name, index, key) or loaded.line_of(name, index)
    what = "transcript" if name == "segments" else "chapters file"
    return TranscriptError(
        f'is not a Podcasting 2.0 {what}: {name}[{index}] needs "{key}", {want}', line
    )


def _read_json(loaded: LoadedData) -> Transcript:
    example = '{"version": "1.0.0", "segments": [{"startTime": 0.5, "endTime": 4.2, "body": "…"}]}'
    cues: list[tuple[float, float, str | None, str, int]] = []
    for index, segment in enumerate(_items(loaded, "segments", example)):
        if not isinstance(segment, dict):
            line = loaded.line_of("segments", index)
            raise TranscriptError(
                f"is not a Podcasting 2.0 transcript: segments[{index}] must be an object", line
            )
        start: Any = segment.get("startTime")
        end: Any = segment.get("endTime")
        body = segment.get("body")
        if not _number(start):
            raise _shape_error(loaded, "segments", index, "startTime", "seconds, a number")
        if not _number(end):
            raise _shape_error(loaded, "segments", index, "endTime", "seconds, a number")
        if not isinstance(body, str):
            raise _shape_error(loaded, "segments", index, "body", "the text, a string")
        speaker = segment.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise _shape_error(loaded, "segments", index, "speaker", "a name, a string")
        line = loaded.line_of("segments", index) or 0
        cues.append((float(start), float(end), (speaker or "").strip() or None, body, line))
    return _build(cues)


def read_chapters(path: str) -> Chapters:
    """Read a Podcasting 2.0 chapters file; raise :class:`TranscriptError` for any problem."""
    loaded = _load_json(path)
    example = '{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}]}'
    entries: list[Chapter] = []
    for index, item in enumerate(_items(loaded, "chapters", example)):
        if not isinstance(item, dict):
            line = loaded.line_of("chapters", index)
            raise TranscriptError(
                f"is not a Podcasting 2.0 chapters file: chapters[{index}] must be an object",
                line,
            )
        start: Any = item.get("startTime")
        end: Any = item.get("endTime")
        title = item.get("title")
        if not _number(start):
            raise _shape_error(loaded, "chapters", index, "startTime", "seconds, a number")
        if end is not None and (not _number(end) or end < start):
            raise _shape_error(
                loaded, "chapters", index, "endTime", "seconds after its startTime, a number"
            )
        if not isinstance(title, str) or not title.strip():
            raise _shape_error(loaded, "chapters", index, "title", "a non-empty string")
        if item.get("toc") is False:
            continue
        entries.append(Chapter(float(start), None if end is None else float(end), title.strip()))
    entries.sort(key=lambda c: c.start)
    return Chapters(tuple(entries))
