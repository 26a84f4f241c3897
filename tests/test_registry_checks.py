"""Registry validation a user sees: dates, unknown fields, a missing file, the right setting.

Every warning is located at the offending key's own line, in conf.py and in
TOML, JSON and YAML episode files alike; the inline ``:date:`` option is checked
from rST and MyST.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from sphinx_opsboundary.episodes.registry import get_registry, valid_date
from test_related import build_app
from util import Warning_, warnings_of

KNOWN = "title, speakers, speaker, url, series, date, duration, kind, transcript, chapters"

#: (line offsets of the four fields, per source) -> one expectation for all sources.
LINES = {
    "conf.py": (7, 8, 13, 14),
    "fields.toml": (4, 5, 10, 11),
    "fields.json": (5, 6, 11, 12),
    "fields.yaml": (4, 5, 9, 10),
}


def _field_warnings(source: str) -> list[Warning_]:
    date_a, urll, date_b, colour = LINES[source]
    prefix = "conf" if source == "conf.py" else "file"
    label = source
    return [
        Warning_(
            source,
            date_a,
            f"episode '{prefix}-episode' in {label}: date '2024-02-30' is not a day of the "
            "calendar; write a real date as YYYY-MM-DD",
            "opsboundary.episode",
        ),
        Warning_(
            source,
            urll,
            f"episode '{prefix}-episode' in {label} has an unknown field 'urll', which is "
            "ignored; did you mean 'url'?",
            "opsboundary.episode",
        ),
        Warning_(
            source,
            date_b,
            f"episode '{prefix}-other' in {label}: date 'May 2024' is not a date in the form "
            "YYYY-MM-DD (for example 2024-05-02)",
            "opsboundary.episode",
        ),
        Warning_(
            source,
            colour,
            f"episode '{prefix}-other' in {label} has an unknown field 'colour', which is "
            f"ignored; the known fields are {KNOWN}",
            "opsboundary.episode",
        ),
    ]


def _inline_dates() -> list[Warning_]:
    found = []
    for page, lines in (("dates_rst.rst", (6, 12)), ("dates_md.md", (5, 12))):
        found += [
            Warning_(
                page,
                lines[0],
                "episode-citation :date: '2024-13-01' is not a day of the calendar; write a "
                "real date as YYYY-MM-DD",
                "opsboundary.syntax",
            ),
            Warning_(
                page,
                lines[1],
                "episode-citation :date: 'last spring' is not a date in the form YYYY-MM-DD "
                "(for example 2024-05-02)",
                "opsboundary.syntax",
            ),
        ]
    return found


def _unknown(place: str) -> Warning_:
    return Warning_(
        "index.rst",
        9,
        f"unknown episode 'nope' in the episode role; register it in {place}",
        "opsboundary.episode",
    )


def _build(tmp: Path, **overrides: Any) -> list[Warning_]:
    app = build_app("registry-checks", tmp, confoverrides=overrides)
    try:
        app.build()
        return sorted(warnings_of(app))
    finally:
        app.cleanup()


def test_conf_dict_fields_at_their_own_lines(tmp_path: Path) -> None:
    assert _build(tmp_path) == sorted(
        [*_field_warnings("conf.py"), *_inline_dates(), _unknown("opsboundary_episodes")]
    )


@pytest.mark.parametrize("name", ["fields.toml", "fields.json", "fields.yaml"])
def test_file_fields_at_their_own_lines(tmp_path: Path, name: str) -> None:
    found = _build(tmp_path, opsboundary_episodes={}, opsboundary_episodes_file=name)
    assert found == sorted(
        [
            *_field_warnings(name),
            *_inline_dates(),
            _unknown(f"{name} (opsboundary_episodes_file)"),
        ]
    )


def test_unknown_key_names_both_settings_when_both_are_used(tmp_path: Path) -> None:
    found = _build(tmp_path, opsboundary_episodes_file="good.toml")
    assert _unknown("opsboundary_episodes or good.toml (opsboundary_episodes_file)") in found


def test_a_real_date_is_kept(tmp_path: Path) -> None:
    app = build_app(
        "registry-checks",
        tmp_path,
        confoverrides={"opsboundary_episodes": {}, "opsboundary_episodes_file": "good.toml"},
    )
    try:
        app.build()
        assert [w for w in warnings_of(app) if w.file == "good.toml"] == []
        episode = get_registry(app).get("good")
        assert episode is not None and episode.date == "2024-05-02"
        assert get_registry(app).where_to_register() == "good.toml (opsboundary_episodes_file)"
    finally:
        app.cleanup()


def test_missing_file_at_its_conf_line(tmp_path: Path) -> None:
    app = build_app("registry-checks", tmp_path)
    conf = Path(app.srcdir) / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(text + 'opsboundary_episodes_file = "nowhere.toml"\n', encoding="utf-8")
    line = len(text.splitlines()) + 1
    app.cleanup()
    found = _build(tmp_path)
    assert (
        Warning_(
            "conf.py",
            line,
            "episodes file 'nowhere.toml' cannot be read (No such file or directory); check "
            "opsboundary_episodes_file, which is relative to the configuration directory",
            "opsboundary.source",
        )
        in found
    )
    assert not [w for w in found if w.file.endswith("nowhere.toml")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-02", "2024-05-02"),
        (" 2024-05-02 ", "2024-05-02"),
        (datetime.date(2024, 5, 2), "2024-05-02"),
        (datetime.datetime(2024, 5, 2, 10, 0), None),
        ("2024-02-30", None),
        ("2024-5-2", None),
        ("20240502", None),
        ("2024-W01-1", None),
        ("May 2024", None),
        (20240502, None),
        ("２０２４-05-02", None),
    ],
)
def test_valid_date(value: Any, expected: str | None) -> None:
    assert valid_date(value) == expected
