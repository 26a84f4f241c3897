"""Parse and format episode timestamps (SPEC §1.1); pure Python, no Sphinx.

Every option and role that takes a time goes through :func:`parse_timestamp` or
:func:`parse_range`, so one grammar and one set of messages serves the whole
extension.  The parser is strict on purpose: a time that is silently misread
sends a reader to the wrong moment, so anything outside the grammar raises
:class:`TimestampError` with a message naming the rule that was broken.

Decisions beyond the SPEC's table:

* Unit letters and the ISO ``PT`` prefix are accepted in either case
  (``1H2M3S``, ``pt52m39s``); the value is unambiguous and display is normalised.
* Only ASCII digits count; no inner whitespace (``1h 2m`` is refused).
* A ``~`` may be followed by spaces (``~ 52:39``).
* The largest accepted time is :data:`MAX_SECONDS` (``999:59:59``), so absurd
  input cannot push huge numbers into output or deep links.
* Ranges are separated by ``-`` or an en dash ``–``, optionally spaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ACCEPTED_FORMS",
    "MAX_SECONDS",
    "Timestamp",
    "TimestampError",
    "format_display",
    "format_iso",
    "parse_range",
    "parse_timestamp",
]

#: Upper bound (inclusive): just under 1000 hours.
MAX_SECONDS = 1000 * 3600 - 1

#: Appended to messages about text that matches no form at all.
ACCEPTED_FORMS = (
    "use seconds (311), M:SS (5:11), H:MM:SS (1:02:03), units h/m/s (1h2m3s) or ISO 8601 (PT1H2M3S)"
)

_COLON_FORMS = "in M:SS, MM:SS, H:MM:SS forms"
_UNIT_FORMS = "in unit forms like 1h2m3s or PT1H2M3S"
# More digits than this is beyond MAX_SECONDS in any form; checked before int()
# so that megabyte-long digit strings never reach the int parser.
_MAX_DIGITS = 7
_MESSAGE_TEXT_LIMIT = 40

_DIGITS = re.compile(r"[0-9]+")
_UNITS = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")
_UNIT_TOKEN = re.compile(r"([0-9]+)([hms])")
_UNIT_SEQUENCE = re.compile(r"(?:[0-9]+[hms])+")
#: The lookbehind makes a match start only where a run of spaces starts, so a
#: long run of spaces with no dash is scanned once, not once per space.
_RANGE_SEPARATOR = re.compile(r"(?<!\s)\s*[-–]\s*")


class TimestampError(ValueError):
    """A time that does not follow the grammar; ``str()`` is the user message."""


def format_display(seconds: int) -> str:
    """``M:SS`` under an hour, ``H:MM:SS`` from an hour up (``0:00``, ``1:15:12``)."""
    if seconds < 0:
        raise ValueError(f"a time cannot be negative: {seconds}")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_iso(seconds: int) -> str:
    """ISO 8601 duration for ``<time datetime>``: ``PT52M39S``, ``PT2H``, ``PT0S``."""
    if seconds < 0:
        raise ValueError(f"a time cannot be negative: {seconds}")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if secs or not (hours or minutes):
        parts.append(f"{secs}S")
    return "PT" + "".join(parts)


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A moment in an episode, in whole seconds; *approximate* reads "around"."""

    seconds: int
    approximate: bool = False

    def __post_init__(self) -> None:
        # Guard direct construction too, so display/iso can never fail later.
        if not isinstance(self.seconds, int) or self.seconds < 0:
            raise ValueError(f"seconds must be a non-negative int, not {self.seconds!r}")

    @property
    def display(self) -> str:
        """Human form, without the "around" marker (the caller words that)."""
        return format_display(self.seconds)

    @property
    def iso(self) -> str:
        """Machine form for the ``datetime`` attribute of ``<time>``."""
        return format_iso(self.seconds)


def _quote(text: str) -> str:
    """The offending text for a message, shortened so a message stays one line."""
    from ..diagnostics import excerpt  # the one excerpt rule; imported late: no Sphinx here

    return excerpt(text, _MESSAGE_TEXT_LIMIT)


def _fail(text: str, rule: str) -> TimestampError:
    return TimestampError(f"{_quote(text)}: {rule}")


def _number(text: str, digits: str) -> int:
    """Convert a run of ASCII digits, refusing runs that are certainly too large."""
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        raise _too_large(text)
    return int(digits)


def _too_large(text: str) -> TimestampError:
    return _fail(text, f"too large; the longest accepted time is {format_display(MAX_SECONDS)}")


def _parse_colon(text: str, body: str) -> int:
    fields = body.split(":")
    if len(fields) > 3:
        return _raise(text, f"at most three fields (H:MM:SS) {_COLON_FORMS}")
    names = ("hours", "minutes", "seconds")[-len(fields) :]
    for name, field in zip(names, fields, strict=True):
        if not field:
            return _raise(text, f"{name} are missing {_COLON_FORMS}")
        if not _DIGITS.fullmatch(field):
            return _raise(text, f"{name} must be digits 0-9 {_COLON_FORMS}")
    total = _number(text, fields[0])
    for name, field in zip(names[1:], fields[1:], strict=True):
        if len(field) != 2:
            return _raise(text, f"{name} must have exactly two digits (00-59) {_COLON_FORMS}")
        value = int(field)
        if value > 59:
            return _raise(text, f"{name} must be 00-59 {_COLON_FORMS}")
        total = total * 60 + value
    return total


def _raise(text: str, rule: str) -> int:
    """Raise from an expression position (keeps the field loops flat)."""
    raise _fail(text, rule)


def _parse_units(text: str, body: str, *, iso: bool) -> int:
    """``1h2m3s`` (or the body of ``PT1H2M3S``, lower-cased) to seconds."""
    forms = _UNIT_FORMS
    if not body:
        return _raise(
            text, "PT needs at least one of H, M, S (PT52M39S)" if iso else ACCEPTED_FORMS
        )
    match = _UNITS.fullmatch(body)
    if match is None:
        if set(body) - set("0123456789hms"):
            return _raise(text, f"the only units are h, m and s {forms}")
        if not _UNIT_SEQUENCE.fullmatch(body):
            return _raise(
                text, f"every unit needs a whole number before it, and every number a unit {forms}"
            )
        letters = [unit for _, unit in _UNIT_TOKEN.findall(body)]
        if len(set(letters)) != len(letters):
            return _raise(text, f"each unit may appear only once {forms}")
        return _raise(text, f"units must come in the order h, m, s {forms}")
    hours, minutes, secs = (
        _number(text, group) if group is not None else None for group in match.groups()
    )
    if minutes is not None and minutes > 59 and hours is not None:
        return _raise(text, f"minutes must be below 60 when hours are given {forms}")
    if secs is not None and secs > 59 and (hours is not None or minutes is not None):
        return _raise(text, f"seconds must be below 60 when a larger unit is given {forms}")
    return (hours or 0) * 3600 + (minutes or 0) * 60 + (secs or 0)


def _parse_body(text: str, body: str) -> int:
    """Seconds for *body* (no ``~``, no surrounding space); *text* is for messages."""
    if not body:
        return _raise(text, f"a time is missing; {ACCEPTED_FORMS}")
    if not body.isascii():
        return _raise(text, f"only ASCII characters and digits 0-9 are allowed; {ACCEPTED_FORMS}")
    if body.startswith("-"):
        return _raise(text, f"a time cannot be negative; {ACCEPTED_FORMS}")
    if body.startswith("+"):
        return _raise(text, f"a time takes no sign; {ACCEPTED_FORMS}")
    if "." in body or "," in body:
        return _raise(text, f"fractional seconds are not supported; {ACCEPTED_FORMS}")
    if any(char.isspace() for char in body):
        return _raise(text, f"spaces are not allowed inside a time; {ACCEPTED_FORMS}")
    if _DIGITS.fullmatch(body):
        return _number(text, body)
    if ":" in body:
        return _parse_colon(text, body)
    lowered = body.lower()
    if lowered.startswith("p"):
        if not lowered.startswith("pt"):
            return _raise(
                text, "only the time part of an ISO 8601 duration (PT…) is accepted, not days"
            )
        return _parse_units(text, lowered[2:], iso=True)
    if any(unit in lowered for unit in "hms"):
        return _parse_units(text, lowered, iso=False)
    return _raise(text, f"not a time; {ACCEPTED_FORMS}")


def parse_timestamp(text: str) -> Timestamp:
    """Parse one time; raises :class:`TimestampError` (only) for bad input."""
    if not isinstance(text, str):
        raise TimestampError(f"{_quote(repr(text))}: a time must be text; {ACCEPTED_FORMS}")
    stripped = text.strip()
    approximate = stripped.startswith("~")
    body = stripped[1:].lstrip() if approximate else stripped
    if approximate and body.startswith("~"):
        raise _fail(text, "use a single '~' for an approximate time")
    seconds = _parse_body(text, body)
    if seconds > MAX_SECONDS:
        raise _too_large(text)
    return Timestamp(seconds, approximate)


def parse_range(text: str) -> tuple[Timestamp, Timestamp | None]:
    """Parse ``start`` or ``start-end``; only the start may be approximate.

    Whether the end lies after the start is left to the caller, which knows
    where to point the warning.
    """
    if not isinstance(text, str):
        raise TimestampError(f"{_quote(repr(text))}: a time must be text; {ACCEPTED_FORMS}")
    stripped = text.strip()
    if stripped.startswith(("-", "–")):
        raise _fail(text, f"a time cannot be negative; {ACCEPTED_FORMS}")
    pieces = _RANGE_SEPARATOR.split(stripped)
    if len(pieces) == 1:
        return parse_timestamp(text), None
    if len(pieces) > 2:
        raise _fail(text, "a range has one start and one end (52:39-55:10)")
    start_text, end_text = pieces
    if not end_text:
        raise _fail(text, "the range's end is missing (52:39-55:10)")
    if end_text.lstrip().startswith("~"):
        raise _fail(text, "only the start of a range may be approximate (~52:39-55:10)")
    return parse_timestamp(start_text), parse_timestamp(end_text)
