"""Linear time on every input (issue 11, rule 2).

Each grammar the extension parses with a regular expression or a scanner is fed
its worst case: a run of spaces, dashes or brackets that a backtracking pattern
would re-scan from every position.  The input grows from 2 KB to 1 MB, four
times per step; the test measures the *growth* of the CPU time (a linear parser
takes about 4 times longer per step, a quadratic one 16 times) so it holds on a
loaded machine, and it stops at the first quadratic step, so the old code fails
in a second instead of hanging for hours.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinx_opsboundary.boundary.directive import parse_widths, split_sides
from sphinx_opsboundary.datafiles.parsers import _json_key_lines, _toml_key_lines
from sphinx_opsboundary.diagnostics import excerpt
from sphinx_opsboundary.episodes.role import split_explicit_title
from sphinx_opsboundary.episodes.timestamps import TimestampError, parse_range
from sphinx_opsboundary.links.related import parse_entries, split_entry
from sphinx_opsboundary.links.targets import split_title
from sphinx_opsboundary.safety import url_problem

SIZES = [2_000, 8_000, 32_000, 128_000, 512_000, 1_048_576]
#: A step may cost at most this many times the one before (linear: ~4, quadratic: ~16).
MAX_GROWTH = 9.0
#: Below this many CPU seconds a step is noise, not growth.
FLOOR = 0.02


def _quiet(call: Callable[[], Any]) -> None:
    with contextlib.suppress(TimestampError):
        call()


def _cpu(call: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
    return best


#: name -> a function of the size n giving the worst input for that grammar.
WORST: dict[str, Callable[[int], Callable[[], Any]]] = {
    "related separator, spaces": lambda n: lambda: split_entry("a" + " " * n + "x"),
    "related separator, dashes": lambda n: lambda: split_entry("a " + "- " * (n // 2)),
    "related entries": lambda n: lambda: parse_entries(["- a" + " " * n, " " * n + "b"]),
    "episode range, spaces": lambda n: lambda: _quiet(lambda: parse_range("1" + " " * n + "x")),
    "episode range, dashes": lambda n: lambda: _quiet(lambda: parse_range("1" + " -" * (n // 2))),
    "role title <target>": lambda n: lambda: split_explicit_title("a" + " " * n + "x"),
    "role title <target>, brackets": lambda n: lambda: split_explicit_title("a <" * (n // 3)),
    "target title": lambda n: lambda: split_title("a" + " " * n + "<b"),
    "boundary sides": lambda n: lambda: split_sides("a" + " " * n + "b, c"),
    "boundary widths": lambda n: lambda: parse_widths(" " * n + "x"),
    "url": lambda n: lambda: url_problem("https://" + "a." * (n // 2)),
    "toml key lines": lambda n: lambda: _toml_key_lines("[" + " " * n + "a\nb" + " " * n),
    "json key lines": lambda n: lambda: _json_key_lines('{"a": "' + "\\" * n + '"}'),
}


@pytest.mark.parametrize("name", sorted(WORST))
def test_grammar_time_grows_linearly(name: str) -> None:
    make = WORST[name]
    previous: float | None = None
    for size in SIZES:
        spent = _cpu(make(size))
        if previous is not None and spent > FLOOR:
            growth = spent / max(previous, FLOOR / MAX_GROWTH)
            assert growth <= MAX_GROWTH, (
                f"{name}: {size} characters took {spent:.3f} s, {growth:.1f} times the "
                f"{size // 4} characters before it; the parser is not linear"
            )
        previous = spent


def test_excerpt_is_short_and_escaped() -> None:
    assert excerpt("x" * 1_000_000) == repr("x" * 59 + "…")
    assert excerpt("a\ud800b") == "'a\\ud800b'"
    assert excerpt("short") == "'short'"
    assert excerpt(12) == "'12'"


ROLE_PAGE = {
    "rst": "Page\n====\n\nSee :episode:`ep@1{spaces}- x`.\n\n"
    ".. related-paths::\n\n   - a{spaces}b\n   - {long}\n",
    "md": "# Page\n\nSee {{episode}}`ep@1{spaces}- x`.\n\n"
    "```{{related-paths}}\n- a{spaces}b\n- {long}\n```\n",
}


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_long_input_builds_and_messages_stay_short(
    suffix: str, tmp_path: Path, make_app: Callable[..., Any]
) -> None:
    """A 200,000-space role and related entry: a build in seconds, short messages."""
    (tmp_path / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx_opsboundary']\n"
        "opsboundary_episodes = {'ep': {'title': 'E', 'speakers': ['S']}}\n",
        encoding="utf-8",
    )
    spaces = " " * 200_000
    (tmp_path / f"index.{suffix}").write_text(
        ROLE_PAGE[suffix].format(spaces=spaces, long="a" * 200_000), encoding="utf-8"
    )
    app = make_app("html", srcdir=tmp_path)
    start = time.process_time()
    app.build()
    assert time.process_time() - start < 60
    warnings = app.warning.getvalue().splitlines()
    ours = [w for w in warnings if "opsboundary" in w]
    assert any("[opsboundary.timestamp]" in w for w in ours), warnings
    assert any("is 200000 characters long" in w for w in ours), warnings
    assert all(len(w) < 600 for w in warnings), max(len(w) for w in warnings)
