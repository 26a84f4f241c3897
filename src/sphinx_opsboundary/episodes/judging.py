"""Judging one citation against its episode's transcript and chapters (SPEC §6).

A pure function of the citation, the episode, the transcript's word index, the
chapters and the window, so that :mod:`.quotes` can keep its outcome and reuse it
while none of these changes.  The outcome carries the warnings to raise (subtype
and message); raising them, at the citation's own line, is the caller's job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from ..diagnostics import Subtype, did_you_mean
from ..domain import Citation
from .matching import TokenIndex, normal_name, parse_quote, quotation
from .registry import Episode
from .timestamps import Timestamp
from .transcripts import Chapters, Transcript

__all__ = ["QuoteOutcome", "Status", "judge"]

Status = Literal["verified", "elsewhere", "not-found", "speaker", "unchecked"]


@dataclass(frozen=True, slots=True)
class QuoteOutcome:
    """The judgement of one citation against its episode's transcript and chapters."""

    status: Status = "unchecked"
    found_at: int | None = None  #: where the quotation is said, when found
    chapter: str | None = None  #: the chapter of the cited moment
    problems: tuple[tuple[Subtype, str], ...] = ()


# --------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    return Timestamp(int(seconds)).display


def _cited_speaker(citation: Citation, episode: Episode) -> str | None:
    if citation.speaker:
        return citation.speaker
    if citation.origin == "directive" and len(episode.speakers) == 1:
        return episode.speakers[0]
    return None


def _time_problems(
    citation: Citation, episode: Episode, transcript: Transcript | None, chapters: Chapters | None
) -> list[tuple[Subtype, str]]:
    problems: list[tuple[Subtype, str]] = []
    for value in (citation.at, citation.end):
        if value is None or (episode.duration is not None and value > episode.duration):
            continue  # past the duration: the citation itself already said so
        if transcript is not None and value > math.ceil(transcript.last_end):
            problems.append(
                (
                    "timestamp",
                    f"{_clock(value)} lies past the last cue of the transcript of "
                    f"{episode.title!r}, which ends at {_clock(math.ceil(transcript.last_end))}; "
                    "check the time",
                )
            )
        elif chapters is not None and chapters.last_end is not None and value > chapters.last_end:
            problems.append(
                (
                    "timestamp",
                    f"{_clock(value)} lies past the last chapter of {episode.title!r}, which "
                    f"ends at {_clock(chapters.last_end)}; check the time",
                )
            )
    return problems


def judge(
    citation: Citation,
    episode: Episode,
    index: TokenIndex | None,
    chapters: Chapters | None,
    window: float,
) -> QuoteOutcome:
    """The outcome of *citation*; pure, so it can be kept and reused."""
    found = chapters.at(citation.at) if chapters is not None else None
    chapter = found.title if found is not None else None
    transcript = index.transcript if index is not None else None
    problems = _time_problems(citation, episode, transcript, chapters)
    if index is None:
        return QuoteOutcome("unchecked", None, chapter, tuple(problems))
    # A cited time names a whole second: 1:16 covers 1:16.000 up to 1:17.
    low = citation.at - window
    high = (citation.end if citation.end is not None else citation.at) + 1 + window
    title = episode.title
    status: Status = "unchecked"
    found_at: int | None = None
    passage = None
    text = citation.text or ""
    inner = quotation(text)
    if citation.quote == "verbatim" and inner is None:
        inner = text
    pattern = parse_quote(inner) if inner and citation.quote != "paraphrase" else None
    if pattern is not None and pattern.segments:
        passage = index.find(pattern, citation.at)
        if passage is not None and passage.begins < high and passage.ends >= low:
            status = "verified"
        elif passage is not None:
            status, found_at = "elsewhere", int(passage.begins)
            problems.append(
                (
                    "quote",
                    f"the quotation is not said near {_clock(citation.at)} in {title!r}: "
                    f"found at {_clock(passage.begins)}; write :at: {_clock(passage.begins)}",
                )
            )
        else:
            status = "not-found"
            problems.append(("quote", _not_found(index, pattern.words, citation, title, window)))
    past_end = any(p[0] == "timestamp" for p in problems)
    speaker = _cited_speaker(citation, episode)
    if (
        speaker
        and index.transcript.has_voices
        and status in ("verified", "unchecked")
        and not past_end
    ):
        message = _speaker_problem(index, speaker, citation, title, low, high, passage)
        if message:
            status = "speaker"
            problems.append(("quote", message))
    return QuoteOutcome(status, found_at, chapter, tuple(problems))


def _not_found(
    index: TokenIndex, wanted: list[str], citation: Citation, title: str, window: float
) -> str:
    end = citation.end if citation.end is not None else citation.at
    best = index.closest(wanted, citation.at - window, end + window)
    head = f"the quotation is not in the transcript of {title!r} near {_clock(citation.at)}"
    if best is None or best.similarity <= 0:
        return f"{head}, nor anything like it; check the quotation, or mark it :quote: paraphrase"
    said = index.text(best)
    if len(said) > 160:
        said = said[:157].rstrip() + "…"
    return (
        f"{head}; the closest passage, at {_clock(best.begins)} "
        f'({round(best.similarity * 100)}% similar), says "{said}"; correct the '
        "quotation, or mark it :quote: paraphrase"
    )


def _speaker_problem(
    index: TokenIndex,
    speaker: str,
    citation: Citation,
    title: str,
    low: float,
    high: float,
    passage: Any,
) -> str | None:
    wanted = normal_name(speaker)
    voices = (
        sorted(index.voices_of(passage)) if passage is not None else index.voices_between(low, high)
    )
    if not voices or wanted in {normal_name(v) for v in voices}:
        return None
    who = ", ".join(repr(v) for v in voices)
    what = "the quotation is said by" if passage is not None else "who speaks there is"
    nearest = index.nearest_time_of(wanted, citation.at)
    if nearest is None:
        known = sorted({v for v in index.transcript.voices if v is not None})
        best = did_you_mean(speaker, known)
        hint = f"; did you mean {best[0]!r}?" if best else f"; its voices are {', '.join(known)}"
        return (
            f"{speaker!r} does not speak near {_clock(citation.at)} in {title!r} ({what} "
            f"{who}), and never speaks in its transcript{hint}"
        )
    return (
        f"{speaker!r} does not speak near {_clock(citation.at)} in {title!r}: {what} "
        f"{who}; {speaker!r} speaks at {_clock(nearest)}"
    )
