"""Finding a quotation in a transcript (SPEC §6), in time linear in the transcript.

Pure Python, no Sphinx import.  A transcript is indexed once
(:class:`TokenIndex`): its cue texts become one string of normalised words with
the offset where each cue begins.  A quotation is parsed into segments
(:func:`parse_quote`): ``…``/``...`` stand for omitted words and ``[bracketed]``
text for an editorial insertion, so the segments must appear in order with
bounded gaps.  Each segment is found by one string search over the transcript;
the closest passage for a quotation that is not found comes from position votes
of its words.  Neither scans every window of the transcript: the cost of a
citation grows linearly, at C speed, with the transcript's length.

Normalisation ignores case, punctuation, curly-vs-straight quotes and
whitespace: text is NFKC-normalised and case-folded, words are runs of letters
and digits, and an apostrophe inside a word is dropped (``don’t`` = ``dont``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from .transcripts import Transcript

__all__ = ["Pattern", "TokenIndex", "normal_name", "parse_quote", "quotation", "tokens", "words"]

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")

#: Most words an omission (``…``) may stand for: about a minute of speech.
OMISSION_MAX = 150
#: Words an insertion (``[it]``) may replace, beyond its own length.
INSERTION_SLACK = 3


def words(text: str) -> list[str]:
    """The words of *text* as written (case and apostrophes kept)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text))


_PLAIN_WORD = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """The normalised words of *text* (as :func:`words`, case-folded, apostrophes dropped).

    Dropping apostrophes before splitting joins exactly the words that
    :func:`words` keeps whole, and folds the text once instead of word by word.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _PLAIN_WORD.findall(text.casefold().translate(_APOSTROPHES))


def normal_name(name: str) -> str:
    """A speaker's name as compared: case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# --------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------

#: Opening mark -> the marks that close it.
QUOTE_MARKS = {'"': '"', "“": "”", "«": "»", "„": "“”"}
_TRAILING = ".,;:!?"


def quotation(text: str) -> str | None:
    """The inside of *text* when the whole of it is one quotation, else None.

    It opens with a quotation mark and closes with its partner (sentence
    punctuation may follow), and the closing mark does not occur in between,
    so ``"a" and "b"`` is not one quotation.
    """
    text = text.strip().rstrip(_TRAILING).strip()
    if len(text) < 2 or text[0] not in QUOTE_MARKS:
        return None
    closers = QUOTE_MARKS[text[0]]
    if text[-1] not in closers:
        return None
    inner = text[1:-1]
    if any(mark in inner for mark in closers):
        return None
    return inner


@dataclass(frozen=True, slots=True)
class Pattern:
    """A quotation as segments of words; ``gaps[i]``: most words skipped before segment *i*."""

    segments: tuple[tuple[str, ...], ...]
    gaps: tuple[int, ...]

    @property
    def words(self) -> list[str]:
        return [w for segment in self.segments for w in segment]


_MARKER = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…|\[[^\]]*\]")


def parse_quote(inner: str) -> Pattern:
    """Segments and gaps of the quotation text *inner* (quotation marks removed)."""
    segments: list[tuple[str, ...]] = []
    gaps: list[int] = []
    gap = 0
    position = 0
    for match in [*_MARKER.finditer(inner), None]:
        chunk = inner[position : match.start() if match else len(inner)]
        found = tuple(tokens(chunk))
        if found:
            segments.append(found)
            gaps.append(gap if len(segments) > 1 else 0)
            gap = 0
        if match is None:
            break
        marker = match.group(0)
        if marker.startswith("[") and not re.fullmatch(r"\[\s*(?:\.\.\.|…)\s*\]", marker):
            gap += len(tokens(marker)) + INSERTION_SLACK
        else:
            gap += OMISSION_MAX
        position = match.end()
    return Pattern(tuple(segments), tuple(gaps))


# --------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the transcript: word positions ``[start, end)`` and its times."""

    start: int
    end: int
    begins: float
    ends: float
    similarity: float = 1.0


class TokenIndex:
    """A transcript's normalised words as one string, with where each cue begins.

    ``joined`` holds every word with a space on each side, so a phrase is found
    by the C string search (``" we page on "``), and a hit's word position comes
    from the cue it falls in.  Building it is one pass over the cue texts; there
    is no per-word Python work until a quotation needs it.
    """

    #: Work limit of one exact search (segment combinations tried).
    BUDGET = 20_000

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.cue_first: list[int] = []  #: position of each cue's first word
        self.cue_char: list[int] = []  #: offset of each cue's first word in ``joined``
        parts: list[str] = []
        count, offset = 0, 1
        for text in transcript.texts:
            self.cue_first.append(count)
            self.cue_char.append(offset)
            found = tokens(text)
            if found:
                chunk = " ".join(found) + " "
                parts.append(chunk)
                offset += len(chunk)
                count += len(found)
        self.joined = " " + "".join(parts)
        self.size = count
        self._tokens: list[str] | None = None
        self._positions: dict[str, list[int]] | None = None
        self.longest_cue = max(
            (e - s for s, e in zip(transcript.starts, transcript.ends, strict=True)), default=0.0
        )

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = self.joined.split()
        return self._tokens

    @property
    def positions(self) -> dict[str, list[int]]:
        """Word -> its positions; built on first use (a quotation that is not found)."""
        if self._positions is None:
            found: dict[str, list[int]] = {}
            for position, word in enumerate(self.tokens):
                found.setdefault(word, []).append(position)
            self._positions = found
        return self._positions

    def cue_of(self, position: int) -> int:
        return bisect.bisect_right(self.cue_first, position) - 1

    def _position(self, char: int) -> int:
        """The word position of the word starting at offset *char* of ``joined``."""
        cue = bisect.bisect_right(self.cue_char, char) - 1
        return self.cue_first[cue] + self.joined.count(" ", self.cue_char[cue], char)

    # -- times ---------------------------------------------------------------

    def passage(self, start: int, end: int, similarity: float = 1.0) -> Passage:
        starts, ends = self.transcript.starts, self.transcript.ends
        first, last = self.cue_of(start), self.cue_of(max(end - 1, start))
        return Passage(start, end, starts[first], max(ends[first : last + 1]), similarity)

    def text(self, passage: Passage) -> str:
        """The passage's words as the transcript writes them."""
        first, last = self.cue_of(passage.start), self.cue_of(passage.end - 1)
        said = [w for text in self.transcript.texts[first : last + 1] for w in words(text)]
        offset = passage.start - self.cue_first[first]
        return " ".join(said[offset : offset + passage.end - passage.start])

    def cues_between(self, low: float, high: float) -> range:
        """Cues that overlap ``[low, high]`` lie in this range (check each one's end)."""
        starts = self.transcript.starts
        first = bisect.bisect_left(starts, low - self.longest_cue)
        return range(first, bisect.bisect_right(starts, high))

    def voices_between(self, low: float, high: float) -> list[str]:
        """Distinct voices speaking in ``[low, high]``, in order of speaking."""
        found: dict[str, None] = {}
        transcript = self.transcript
        for cue in self.cues_between(low, high):
            voice = transcript.voices[cue]
            if voice is not None and transcript.ends[cue] >= low:
                found.setdefault(voice, None)
        return list(found)

    def voices_of(self, passage: Passage) -> set[str]:
        voices = self.transcript.voices
        cues = range(self.cue_of(passage.start), self.cue_of(passage.end - 1) + 1)
        return {v for v in (voices[c] for c in cues) if v is not None}

    def nearest_time_of(self, voice: str, seconds: float) -> float | None:
        """The start of the cue spoken by *voice* (normalised) nearest to *seconds*."""
        best: float | None = None
        for start, own in zip(self.transcript.starts, self.transcript.voices, strict=True):
            if (
                own is not None
                and normal_name(own) == voice
                and (best is None or abs(start - seconds) < abs(best - seconds))
            ):
                best = start
        return best

    # -- exact search --------------------------------------------------------

    def occurrences(self, segment: tuple[str, ...]) -> list[int]:
        """Sorted start positions of *segment*, found by string search."""
        needle = " " + " ".join(segment) + " "
        found = []
        char = self.joined.find(needle)
        while char >= 0:
            found.append(self._position(char + 1))
            char = self.joined.find(needle, char + 1)
        return found

    def find(self, pattern: Pattern, seconds: float) -> Passage | None:
        """The occurrence of *pattern* that starts nearest to *seconds*, if any."""
        if not pattern.segments:
            return None
        found = [self.occurrences(segment) for segment in pattern.segments]
        if any(not places for places in found):
            return None
        starts = self.transcript.starts
        firsts = sorted(found[0], key=lambda p: (abs(starts[self.cue_of(p)] - seconds), p))
        budget = [self.BUDGET]

        def extend(level: int, end: int) -> int | None:
            if level == len(found):
                return end
            places = found[level]
            low = bisect.bisect_left(places, end)
            high = bisect.bisect_right(places, end + pattern.gaps[level])
            for place in places[low:high]:
                budget[0] -= 1
                if budget[0] < 0:
                    return None
                done = extend(level + 1, place + len(pattern.segments[level]))
                if done is not None:
                    return done
            return None

        for first in firsts:
            end = extend(1, first + len(pattern.segments[0]))
            if end is not None:
                return self.passage(first, end)
            if budget[0] < 0:
                break
        return None

    # -- closest passage -----------------------------------------------------

    def closest(self, wanted: list[str], low: float, high: float) -> Passage | None:
        """The passage most like *wanted*: candidates from word-position votes, plus
        every cue start inside ``[low, high]``; scored by difflib's ratio."""
        if not wanted or not self.size:
            return None
        common = max(50, self.size // 20)
        positions = self.positions
        votes: Counter[int] = Counter()
        for offset, word in enumerate(wanted):
            places = positions.get(word, ())
            if len(places) > common:
                continue
            for place in places:
                votes[max(place - offset, 0)] += 1
        candidates = {start for start, _count in votes.most_common(16)}
        for cue in self.cues_between(low, high):
            candidates.add(self.cue_first[cue])
        size = len(wanted)
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(wanted)
        total = self.size

        def score(start: int, end: int) -> float:
            matcher.set_seq1(self.tokens[start:end])
            return matcher.ratio()

        scored = sorted(
            (-score(start, min(start + size, total)), start)
            for start in candidates
            if start < total
        )
        best: Passage | None = None
        # The best few starts, with the passage a few words shorter or longer.
        for _negative, start in scored[:3]:
            for end in range(max(start + 1, start + size - 3), min(start + size + 4, total + 1)):
                ratio = score(start, end)
                if (
                    best is None
                    or ratio > best.similarity
                    or (ratio == best.similarity and (start, end) < (best.start, best.end))
                ):
                    best = self.passage(start, end, ratio)
        return best
