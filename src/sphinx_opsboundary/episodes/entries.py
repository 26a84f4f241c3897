"""One episode entry, from conf.py or a data file, validated into an :class:`Episode`.

Every field is checked at its own line (where the source can be located): text,
speakers, a safe URL, a real date, a parseable duration, local transcript and
chapters files; unknown fields get did-you-mean.  A bad field is warned about
and left out; the entry is kept when it still has a title.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Location, did_you_mean, warn
from .timestamps import TimestampError, parse_timestamp

#: Fields an episode entry may carry; anything else is reported once per entry.
KNOWN_FIELDS = (
    "title", "speakers", "speaker", "url", "series", "date", "duration", "kind",
    "transcript", "chapters",
)  # fmt: skip
#: Fields naming a local file, relative to the configuration directory (SPEC §6).
FILE_FIELDS = ("transcript", "chapters")
#: The one date form (SPEC §1.3): ``2024-05-02``.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Episode:
    """One validated episode; ``url`` is None when missing or refused as unsafe."""

    key: str
    title: str
    speakers: tuple[str, ...] = ()
    url: str | None = None
    series: str | None = None
    date: str | None = None
    duration: int | None = None
    kind: str | None = None
    #: Absolute path of the data file it came from (None: conf.py or inline).
    origin: str | None = None
    #: Absolute paths of its transcript and chapters files (SPEC §6), if any.
    transcript: str | None = None
    chapters: str | None = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) or hasattr(value, "isoformat"):
        # TOML and YAML turn ``date = 2024-05-02`` into a date object.
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return None


def valid_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` of a real calendar day (a string or a TOML/YAML date), else None."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def date_problem(value: Any) -> str:
    """Why *value* is not a date, and the form to write instead."""
    shown = value.isoformat() if hasattr(value, "isoformat") else value
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        return f"{shown!r} is not a day of the calendar; write a real date as YYYY-MM-DD"
    return f"{shown!r} is not a date in the form YYYY-MM-DD (for example 2024-05-02)"


def _file_field(key: str, raw: Mapping[Any, Any], name: str, label: str, where: Location) -> Any:
    """A transcript/chapters path as written, or None after a warning."""
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        warn(
            f"episode {key!r} in {label}: {name} must be a file path (a string) relative "
            f"to the configuration directory, not {value!r}; it is ignored",
            "episode",
            where,
        )
        return None
    if "://" in value or value.strip().lower().startswith(("data:", "javascript:")):
        warn(
            f"episode {key!r} in {label}: {name} {value!r} is not a local file; save it "
            "next to conf.py and give its path relative to the configuration directory",
            "episode",
            where,
        )
        return None
    return value.strip()


def validate_entry(
    key: Any,
    raw: Any,
    origin: str | None,
    where: Location,
    field_at: Any = None,
    confdir: str = ".",
) -> Episode | None:
    """One raw entry -> an :class:`Episode`, warning about each problem at *where*.

    *field_at* (``field name -> location``) places a warning about one field at
    that field's own line, where the source can be located; file fields
    (transcript, chapters) are relative to *confdir*.
    """
    from ..safety import url_problem

    def at(name: str) -> Location:
        return field_at(name) if field_at is not None else where

    label = "conf.py" if origin is None else os.path.basename(origin)
    if not isinstance(key, str) or not key.strip():
        warn(f"{label}: episode keys must be non-empty strings, not {key!r}", "episode", where)
        return None
    if not isinstance(raw, Mapping):
        warn(
            f"episode {key!r} in {label} must be a table of fields (title, speakers, url, ...), "
            f"not {type(raw).__name__}; it is ignored",
            "episode",
            where,
        )
        return None
    title = _text(raw.get("title"))
    if title is None:
        warn(f'episode {key!r} in {label} has no title; add title = "..."', "episode", where)
        title = key
    speakers_raw = raw.get("speakers", raw.get("speaker"))
    if isinstance(speakers_raw, str):
        speakers_raw = [speakers_raw]
    speakers: tuple[str, ...] = ()
    if isinstance(speakers_raw, list | tuple):
        speakers = tuple(s for s in (_text(item) for item in speakers_raw) if s)
    if not speakers:
        warn(
            f'episode {key!r} in {label} has no speaker; add speakers = ["Name"]',
            "episode",
            where,
        )
    url = _text(raw.get("url"))
    if url is not None:
        problem = url_problem(url)
        if problem:
            warn(
                f"episode {key!r} in {label}: {problem}; the episode is shown without a link",
                "url",
                where,
            )
            url = None
    duration: int | None = None
    raw_duration = raw.get("duration")
    if raw_duration is not None:
        try:
            duration = parse_timestamp(str(raw_duration)).seconds
        except TimestampError as err:
            warn(f"episode {key!r} in {label}: bad duration {err}", "timestamp", where)
    for name in raw:
        if name in KNOWN_FIELDS:
            continue
        best = did_you_mean(str(name), KNOWN_FIELDS)
        fix = (
            f"did you mean {best[0]!r}?"
            if best
            else f"the known fields are {', '.join(KNOWN_FIELDS)}"
        )
        warn(
            f"episode {key!r} in {label} has an unknown field {str(name)!r}, which is "
            f"ignored; {fix}",
            "episode",
            at(str(name)),
        )
    date = None
    if raw.get("date") is not None:
        date = valid_date(raw["date"])
        if date is None:
            problem = date_problem(raw["date"])
            warn(f"episode {key!r} in {label}: date {problem}", "episode", at("date"))
    paths = {
        name: os.path.abspath(os.path.join(confdir, found))
        for name in FILE_FIELDS
        if (found := _file_field(key, raw, name, label, at(name))) is not None
    }
    return Episode(
        key=key,
        title=title,
        speakers=speakers,
        url=url,
        series=_text(raw.get("series")),
        date=date,
        duration=duration,
        kind=_text(raw.get("kind")),
        origin=origin,
        transcript=paths.get("transcript"),
        chapters=paths.get("chapters"),
    )
