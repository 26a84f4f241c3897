"""The episode registry (SPEC §1.3): conf dict and TOML / JSON / YAML files."""

from __future__ import annotations

import os
import shutil
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_opsboundary.episodes.registry import Episode, get_registry
from util import Warning_, opsboundary_warnings, warnings_of

ROOTS = Path(__file__).parent / "roots"

DATA_CONTRACTS = Episode(
    key="data-contracts",
    title="Contracts for Data Teams",
    speakers=("Casey Sand",),
    url="https://www.youtube.com/watch?v=dc1",
    duration=45 * 60,
)


def _build(tmp: Path, **overrides: Any) -> SphinxTestApp:
    src = tmp / "src"
    shutil.copytree(ROOTS / "test-episode-files", src)
    app = SphinxTestApp(
        "html", srcdir=src, status=StringIO(), warning=StringIO(), confoverrides=overrides
    )
    app.build()
    return app


@pytest.mark.parametrize("name", ["episodes.toml", "episodes.json", "episodes.yaml"])
def test_every_file_format_gives_the_same_registry(tmp_path: Path, name: str) -> None:
    app = _build(tmp_path, opsboundary_episodes_file=name)
    try:
        assert warnings_of(app) == []
        episode = get_registry(app).get("data-contracts")
        assert episode is not None
        origin = str((Path(app.srcdir) / name).resolve())
        assert episode == Episode(**{**_fields(DATA_CONTRACTS), "origin": origin})
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        assert "<cite>Contracts for Data Teams</cite>" in html
        assert 'href="https://www.youtube.com/watch?v=dc1&amp;t=720"' in html
    finally:
        app.cleanup()


def _fields(episode: Episode) -> dict[str, Any]:
    return {name: getattr(episode, name) for name in Episode.__slots__}


def unknown(name: str) -> list[Warning_]:
    """The citing page's warnings when the file *name* gives no episodes.

    They name the setting this site uses: its file, not opsboundary_episodes.
    """
    place = f"{name} (opsboundary_episodes_file)"
    return [
        Warning_(
            "index.rst",
            4,
            f"unknown episode 'data-contracts'; register it in {place}, or give "
            "the episode's title with :speaker:",
            "opsboundary.episode",
        ),
        Warning_(
            "index.rst",
            7,
            f"unknown episode 'data-contracts' in the episode role; register it in {place}",
            "opsboundary.episode",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        (
            "broken.json",
            4,
            "episodes file 'broken.json' is not valid JSON: Expecting property name enclosed "
            "in double quotes",
        ),
        (
            "broken.toml",
            2,
            "episodes file 'broken.toml' is not valid TOML: Illegal character '\\n' "
            "(at line 2, column 24)",
        ),
        (
            "broken.yaml",
            3,
            "episodes file 'broken.yaml' is not valid YAML: expected ',' or ']', but got "
            "'<stream end>'",
        ),
        (
            "missing.toml",
            None,
            "episodes file 'missing.toml' cannot be read (No such file or directory); check "
            "opsboundary_episodes_file, which is relative to the configuration directory",
        ),
    ],
)
def test_bad_files_are_source_warnings(
    tmp_path: Path, name: str, line: int | None, message: str
) -> None:
    app = _build(tmp_path, opsboundary_episodes_file=name)
    # A file that is not there is reported where it is named: conf.py (given
    # with -D here, so without a line; see test_missing_file_at_its_conf_line).
    where = "conf.py" if name == "missing.toml" else name
    try:
        assert sorted(warnings_of(app)) == sorted(
            [Warning_(where, line, message, "opsboundary.source"), *unknown(name)]
        )
    finally:
        app.cleanup()


def test_invalid_entries(tmp_path: Path) -> None:
    app = _build(tmp_path, opsboundary_episodes_file="invalid.toml")
    try:
        label = "episode 'data-contracts' in invalid.toml"
        assert sorted(opsboundary_warnings(app)) == sorted(
            [
                Warning_(
                    "invalid.toml",
                    1,
                    f'{label} has no title; add title = "..."',
                    "opsboundary.episode",
                ),
                Warning_(
                    "invalid.toml",
                    1,
                    f'{label} has no speaker; add speakers = ["Name"]',
                    "opsboundary.episode",
                ),
                Warning_(
                    "invalid.toml",
                    1,
                    f"{label}: URL 'ftp://example.org/x.mp3' uses the scheme 'ftp:', which is "
                    "not allowed; use an http:, https: or relative URL; the episode is shown "
                    "without a link",
                    "opsboundary.url",
                ),
                Warning_(
                    "invalid.toml",
                    1,
                    f"{label}: bad duration '5:60': seconds must be 00-59 in M:SS, MM:SS, "
                    "H:MM:SS forms",
                    "opsboundary.timestamp",
                ),
            ]
        )
        episode = get_registry(app).get("data-contracts")
        assert episode is not None
        assert (episode.url, episode.duration, episode.speakers) == (None, None, ())
    finally:
        app.cleanup()


def test_conflicting_definitions(tmp_path: Path) -> None:
    conf_entry = {
        "title": "Data Contracts",
        "speakers": ["Casey Sand"],
        "url": "https://www.youtube.com/watch?v=dc1",
        "duration": "45:00",
    }
    app = _build(tmp_path, opsboundary_episodes={"data-contracts": conf_entry})
    try:
        assert opsboundary_warnings(app) == [
            Warning_(
                "episodes.toml",
                1,
                "episode 'data-contracts' is defined in conf.py and in episodes.toml with "
                "different title; the conf.py definition wins - remove one of them",
                "opsboundary.episode",
            )
        ]
        assert get_registry(app).episodes["data-contracts"].title == "Data Contracts"
    finally:
        app.cleanup()


def test_bad_config_values(tmp_path: Path) -> None:
    app = _build(
        tmp_path,
        opsboundary_timestamp_links={"example.org/x": "{url}?t={seconds}"},
    )
    try:
        found = [w for w in opsboundary_warnings(app) if w.type == "opsboundary.config"]
        assert len(found) == 1
        assert found[0].file == "conf.py"
        assert found[0].message.startswith("opsboundary_timestamp_links['example.org/x']: ")
        assert "bare host name" in found[0].message
    finally:
        app.cleanup()


def test_editing_the_file_rereads_citing_pages(tmp_path: Path) -> None:
    app = _build(tmp_path)
    try:
        out = Path(app.outdir) / "index.html"
        assert "<cite>Contracts for Data Teams</cite>" in out.read_text(encoding="utf-8")
        toml = Path(app.srcdir) / "episodes.toml"
        toml.write_text(
            toml.read_text(encoding="utf-8").replace("for Data Teams", "Revisited"),
            encoding="utf-8",
        )
        future = time.time() + 5
        os.utime(toml, (future, future))
        app.build()  # incremental: no -E
        html = out.read_text(encoding="utf-8")
        assert "<cite>Contracts Revisited</cite>" in html
        assert "for Data Teams" not in html
        assert warnings_of(app) == []
    finally:
        app.cleanup()
