"""The timestamp grammar of SPEC §1.1: every table row, every rejection, and
properties checked against an independent regex oracle."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from sphinx_opsboundary.episodes.timestamps import (
    MAX_SECONDS,
    Timestamp,
    TimestampError,
    format_display,
    format_iso,
    parse_range,
    parse_timestamp,
)

# --------------------------------------------------------------------------
# Table of SPEC §1.1, plus the documented decisions (case, spacing, maximum)
# --------------------------------------------------------------------------

ACCEPTED = [
    # text, seconds, display, iso
    ("311", 311, "5:11", "PT5M11S"),
    ("5:11", 311, "5:11", "PT5M11S"),
    ("52:39", 3159, "52:39", "PT52M39S"),
    ("1:02:03", 3723, "1:02:03", "PT1H2M3S"),
    ("00:05:11", 311, "5:11", "PT5M11S"),
    ("1h2m3s", 3723, "1:02:03", "PT1H2M3S"),
    ("5m11s", 311, "5:11", "PT5M11S"),
    ("45s", 45, "0:45", "PT45S"),
    ("2h", 7200, "2:00:00", "PT2H"),
    ("PT52M39S", 3159, "52:39", "PT52M39S"),
    ("PT1H2M3S", 3723, "1:02:03", "PT1H2M3S"),
    ("75:12", 4512, "1:15:12", "PT1H15M12S"),
    ("0", 0, "0:00", "PT0S"),
    ("0:00", 0, "0:00", "PT0S"),
    ("PT0S", 0, "0:00", "PT0S"),
    ("90s", 90, "1:30", "PT1M30S"),
    ("90m", 5400, "1:30:00", "PT1H30M"),
    ("1h59m59s", 7199, "1:59:59", "PT1H59M59S"),
    ("1h3s", 3603, "1:00:03", "PT1H3S"),
    ("3600", 3600, "1:00:00", "PT1H"),
    ("59:59", 3599, "59:59", "PT59M59S"),
    ("PT90M", 5400, "1:30:00", "PT1H30M"),
    ("007", 7, "0:07", "PT7S"),
    # decisions: case-insensitive letters, surrounding whitespace stripped
    ("pt52m39s", 3159, "52:39", "PT52M39S"),
    ("1H2M3S", 3723, "1:02:03", "PT1H2M3S"),
    ("  5:11\t", 311, "5:11", "PT5M11S"),
    ("999:59:59", MAX_SECONDS, "999:59:59", "PT999H59M59S"),
]


@pytest.mark.parametrize(("text", "seconds", "display", "iso"), ACCEPTED)
def test_accepted_forms(text: str, seconds: int, display: str, iso: str) -> None:
    stamp = parse_timestamp(text)
    assert stamp == Timestamp(seconds, approximate=False)
    assert stamp.display == display
    assert stamp.iso == iso


@pytest.mark.parametrize(("text", "seconds"), [("~52:39", 3159), ("~ 5m", 300), (" ~311 ", 311)])
def test_tilde_means_approximate(text: str, seconds: int) -> None:
    assert parse_timestamp(text) == Timestamp(seconds, approximate=True)


REJECTED = [
    # text, words the message must contain (the rule broken)
    ("5:60", "seconds must be 00-59"),
    ("60:60", "seconds must be 00-59"),
    ("1:60:00", "minutes must be 00-59"),
    ("5:1", "seconds must have exactly two digits"),
    ("5:111", "seconds must have exactly two digits"),
    ("1:5:00", "minutes must have exactly two digits"),
    ("-3", "cannot be negative"),
    ("+3", "no sign"),
    ("1:2:3:4", "at most three fields"),
    ("abc", "not a time"),
    ("", "a time is missing"),
    ("   ", "a time is missing"),
    ("~", "a time is missing"),
    ("~~5", "a single '~'"),
    ("1m90s", "seconds must be below 60"),
    ("1h90s", "seconds must be below 60"),
    ("1h60m", "minutes must be below 60"),
    ("PT1M60S", "seconds must be below 60"),
    ("1s2m", "order h, m, s"),
    ("2m1h", "order h, m, s"),
    ("1h1h", "only once"),
    ("1h2", "every unit needs a whole number"),
    ("h", "every unit needs a whole number"),
    ("1d", "not a time"),
    ("PT", "at least one of H, M, S"),
    ("P1D", "only the time part"),
    ("P1DT2H", "only the time part"),
    ("PT1D", "the only units are h, m and s"),
    ("5.5", "fractional seconds"),
    ("5:11.5", "fractional seconds"),
    ("PT1.5S", "fractional seconds"),
    ("5,5", "fractional seconds"),
    ("５", "ASCII"),
    ("٣", "ASCII"),
    ("5ſ", "ASCII"),  # long s: folds to "s" under re.IGNORECASE, must not here
    ("1 h", "spaces are not allowed"),
    ("5 :11", "spaces are not allowed"),
    (":30", "minutes are missing"),
    ("5::11", "minutes are missing"),
    ("5:", "seconds are missing"),
    ("5:x1", "seconds must be digits"),
    ("1000:00:00", "too large"),
    ("3600000", "too large"),
    ("1000h", "too large"),
    ("9" * 5000, "too large"),  # would exceed int()'s digit limit without the guard
]


@pytest.mark.parametrize(("text", "rule"), REJECTED)
def test_rejected_with_the_rule_named(text: str, rule: str) -> None:
    with pytest.raises(TimestampError) as info:
        parse_timestamp(text)
    message = str(info.value)
    assert rule in message
    assert message.startswith(repr(text)[:20])
    assert "\n" not in message
    assert len(message) < 250


def test_unrecognised_text_lists_the_accepted_forms() -> None:
    with pytest.raises(TimestampError) as info:
        parse_timestamp("abc")
    message = str(info.value)
    for form in ("311", "M:SS", "H:MM:SS", "1h2m3s", "PT1H2M3S"):
        assert form in message


def test_timestamp_error_is_a_value_error() -> None:
    assert issubclass(TimestampError, ValueError)


@pytest.mark.parametrize("value", [None, 311, 3.5, b"5:11"])
def test_non_text_is_a_timestamp_error(value: object) -> None:
    with pytest.raises(TimestampError, match="must be text"):
        parse_timestamp(value)  # type: ignore[arg-type]
    with pytest.raises(TimestampError, match="must be text"):
        parse_range(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seconds", "display", "iso"),
    [
        (0, "0:00", "PT0S"),
        (5, "0:05", "PT5S"),
        (60, "1:00", "PT1M"),
        (311, "5:11", "PT5M11S"),
        (3159, "52:39", "PT52M39S"),
        (3599, "59:59", "PT59M59S"),
        (3600, "1:00:00", "PT1H"),
        (3723, "1:02:03", "PT1H2M3S"),
        (4512, "1:15:12", "PT1H15M12S"),
        (7200, "2:00:00", "PT2H"),
        (36005, "10:00:05", "PT10H5S"),
    ],
)
def test_formatting(seconds: int, display: str, iso: str) -> None:
    assert format_display(seconds) == display
    assert format_iso(seconds) == iso
    assert Timestamp(seconds).display == display
    assert Timestamp(seconds, approximate=True).iso == iso


@pytest.mark.parametrize("formatter", [format_display, format_iso, Timestamp])
def test_negative_seconds_are_refused(formatter: object) -> None:
    with pytest.raises(ValueError, match="negative"):
        formatter(-1)  # type: ignore[operator]


def test_timestamp_is_frozen() -> None:
    stamp = Timestamp(5)
    with pytest.raises(AttributeError):
        stamp.seconds = 6  # type: ignore[misc]


# --------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("52:39-55:10", Timestamp(3159), Timestamp(3310)),
        ("~52:39-55:10", Timestamp(3159, True), Timestamp(3310)),
        ("5m-6m", Timestamp(300), Timestamp(360)),
        ("52:39 - 55:10", Timestamp(3159), Timestamp(3310)),
        ("52:39–55:10", Timestamp(3159), Timestamp(3310)),  # en dash
        ("PT1H-PT2H", Timestamp(3600), Timestamp(7200)),
        ("52:39", Timestamp(3159), None),
        ("~52:39", Timestamp(3159, True), None),
        ("10-5", Timestamp(10), Timestamp(5)),  # order is the caller's check
    ],
)
def test_parse_range(text: str, start: Timestamp, end: Timestamp | None) -> None:
    assert parse_range(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("5-", "end is missing"),
        ("-5", "cannot be negative"),
        ("1-2-3", "one start and one end"),
        ("1-~2", "only the start of a range may be approximate"),
        ("5:60-6:00", "seconds must be 00-59"),
        ("5:00-6:60", "seconds must be 00-59"),
        ("", "a time is missing"),
        ("-", "cannot be negative"),
    ],
)
def test_parse_range_rejects(text: str, rule: str) -> None:
    with pytest.raises(TimestampError, match=re.escape(rule)):
        parse_range(text)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

seconds_values = st.integers(min_value=0, max_value=MAX_SECONDS)


def _written_forms(seconds: int) -> list[str]:
    """*seconds* written in every form of the grammar, built independently."""
    hours, minutes, secs = seconds // 3600, seconds // 60 % 60, seconds % 60
    units = "".join(
        f"{value}{letter}" for value, letter in ((hours, "h"), (minutes, "m"), (secs, "s")) if value
    )
    return [
        str(seconds),
        f"{seconds // 60}:{secs:02d}",  # first field unbounded
        f"{hours}:{minutes:02d}:{secs:02d}",
        f"{hours:02d}:{minutes:02d}:{secs:02d}",
        units or "0s",
        "PT" + (units.upper() or "0S"),
        f"{seconds}s",  # a lone unit is unbounded
        f"{hours}h{minutes}m{secs}s",  # zero-valued units are fine
    ]


@given(seconds_values, st.booleans())
@example(0, False)
@example(MAX_SECONDS, True)
@example(3600, False)
def test_every_form_parses_back(seconds: int, approximate: bool) -> None:
    prefix = "~" if approximate else ""
    for text in _written_forms(seconds):
        assert parse_timestamp(prefix + text) == Timestamp(seconds, approximate), text
    stamp = Timestamp(seconds, approximate)
    assert parse_timestamp(stamp.display).seconds == seconds
    assert parse_timestamp(stamp.iso).seconds == seconds


@given(st.integers(min_value=MAX_SECONDS + 1, max_value=10**12))
def test_beyond_the_maximum_is_refused_in_every_form(seconds: int) -> None:
    for text in _written_forms(seconds):
        with pytest.raises(TimestampError, match="too large"):
            parse_timestamp(text)


@given(seconds_values, seconds_values, st.booleans())
def test_ranges_parse_back(start: int, end: int, approximate: bool) -> None:
    text = f"{'~' if approximate else ''}{format_display(start)}-{format_iso(end)}"
    assert parse_range(text) == (Timestamp(start, approximate), Timestamp(end))


GRAMMAR_CHARACTERS = "0123456789:hmsHMSPTpt~ -.,"
grammar_text = st.text(alphabet=GRAMMAR_CHARACTERS, max_size=14)
any_text = st.one_of(st.text(), grammar_text)


@given(any_text)
@example("9" * 5000)
@example("\x00")
@example("5ſ")
@example("~\u3000")
def test_parse_raises_only_timestamp_error(text: str) -> None:
    for parse in (parse_timestamp, parse_range):
        try:
            result = parse(text)
        except TimestampError as err:
            assert str(err)
        else:
            assert result is not None


# An oracle written differently from the parser: one regular expression per
# form and arithmetic on its groups, without the parser's error reporting.
_ORACLE = re.compile(
    r"""
    \s* (?P<approx> ~ \s* )?
    (?:
        (?P<plain> [0-9]+ )
      | (?P<h3> [0-9]+ ) : (?P<m3> [0-5][0-9] ) : (?P<s3> [0-5][0-9] )
      | (?P<m2> [0-9]+ ) : (?P<s2> [0-5][0-9] )
      | (?: [pP][tT] (?= [0-9] ) | (?= [0-9] ) )
        (?: (?P<uh> [0-9]+ ) [hH] )?
        (?: (?P<um> [0-9]+ ) [mM] )?
        (?: (?P<us> [0-9]+ ) [sS] )?
    )
    \s*
    """,
    re.VERBOSE,
)


def _oracle(text: str) -> Timestamp | None:
    match = _ORACLE.fullmatch(text)
    if match is None:
        return None
    groups = {
        name: int(value) for name, value in match.groupdict().items() if value and name != "approx"
    }
    if not groups:  # "PT" alone or "~" alone
        return None
    if "plain" in groups:
        total = groups["plain"]
    elif "s3" in groups:
        total = groups["h3"] * 3600 + groups["m3"] * 60 + groups["s3"]
    elif "s2" in groups:
        total = groups["m2"] * 60 + groups["s2"]
    else:
        if "uh" in groups and groups.get("um", 0) >= 60:
            return None
        if ("uh" in groups or "um" in groups) and groups.get("us", 0) >= 60:
            return None
        total = groups.get("uh", 0) * 3600 + groups.get("um", 0) * 60 + groups.get("us", 0)
    if total > MAX_SECONDS:
        return None
    return Timestamp(total, match.group("approx") is not None)


def _parsed(text: str) -> Timestamp | None:
    try:
        return parse_timestamp(text)
    except TimestampError:
        return None


@given(st.one_of(grammar_text, st.text(alphabet="0123456789:hms~ ", max_size=10)))
@example("1h")
@example("PT5M")
@example("pt")
@example("1:00:60")
@example("00:60")
@example("1:5")
@example("5ſ")
@example("~ ~5")
@example("0h0m0s")
def test_parser_agrees_with_the_oracle(text: str) -> None:
    assert _parsed(text) == _oracle(text)


@given(seconds_values)
def test_oracle_is_not_vacuous(seconds: int) -> None:
    # Guards the oracle itself: it must accept what the grammar accepts.
    for text in _written_forms(seconds):
        assert _oracle(text) == Timestamp(seconds), text


@given(st.text(alphabet="0123456789:", min_size=1, max_size=12))
def test_colon_forms_agree_with_the_oracle(text: str) -> None:
    assume(":" in text)
    assert _parsed(text) == _oracle(text)
