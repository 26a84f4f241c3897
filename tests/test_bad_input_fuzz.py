"""Random data files through every builder (issue 11, acceptance): no traceback.

Hypothesis writes a boundary-table ``:source:`` file and an episodes file in
TOML, JSON or YAML whose values are drawn from what broke 0.1 and what could
break it next: real and impossible dates, integers of any size, infinities,
lone surrogates, control characters, markup of every kind (directives,
includes, raw roles, unsafe links, roff and LaTeX commands) and deep nesting.
Each project is then built with every builder; the build must finish, and
every warning the extension raises must be typed.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from test_bad_input_data import CONF

ALL_BUILDERS = [
    "html", "dirhtml", "singlehtml", "latex", "text", "man", "texinfo", "epub",
    "gettext", "xml", "pseudoxml", "dummy", "linkcheck",
]  # fmt: skip
FAST_BUILDERS = ["html", "text", "man", "latex"]

MARKUP = [
    ".. include:: ../secret.txt",
    ".. raw:: html\n   :file: ../secret.txt",
    "```{include} ../secret.txt\n```",
    ":raw-html:`<script>alert(1)</script>`",
    "`x <javascript:alert(1)>`_",
    "[x](javascript:alert(1))",
    "<a href='//evil.example'>x</a>",
    "*em* **strong** ``lit`` `code`",
    ":download:`../secret.txt`",
    "\n.so /etc/group",
    "\\input{/etc/passwd} @include x",
    "|sub| [#]_ `unclosed",
    "a -- b <c> -- d",
]
#: Raw text spliced into the file unquoted (placeholders survive json.dumps).
RAW_TOKENS = ["2024-02-30", "2024-02-29", "0x" + "f" * 80, "1" * 5000, "1e999", "-.inf", ".nan"]

text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
scalar = st.one_of(
    text,
    st.sampled_from(MARKUP),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(RAW_TOKENS).map(lambda raw: f"@@RAW:{raw}@@"),
    st.integers(min_value=1, max_value=3000).map(lambda depth: f"@@DEEP:{depth}@@"),
)
values = st.recursive(
    scalar,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)
table = st.fixed_dictionaries(
    {
        "sides": st.one_of(st.lists(scalar, min_size=2, max_size=4), values),
        "rows": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {"aspect": scalar, "cells": st.lists(scalar, min_size=1, max_size=4)}
                ),
                max_size=3,
            ),
            values,
        ),
    },
    optional={"caption": scalar, "shared": scalar, "extra": values},
)
episode = st.fixed_dictionaries(
    {"title": scalar, "speakers": st.lists(scalar, max_size=2)},
    optional={"date": scalar, "duration": scalar, "url": scalar, "kind": scalar},
)


def _splice(serialised: str) -> str:
    """Replace the quoted placeholders by raw tokens and deep nesting."""
    out = serialised
    for raw in RAW_TOKENS:
        out = out.replace(json.dumps(f"@@RAW:{raw}@@"), raw)
    while '"@@DEEP:' in out:
        start = out.index('"@@DEEP:')
        end = out.index('@@"', start) + 3
        depth = int(out[start + 8 : end - 3])
        out = out[:start] + "[" * depth + "]" * depth + out[end:]
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace("inf", "inf").replace("nan", "nan")
    return json.dumps(value)


def serialise(data: dict[str, Any], fmt: str) -> str:
    if fmt == "toml":
        body = "\n".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in data.items())
        return _splice(body + "\n")
    # JSON, and YAML as its flow-style superset (json.dumps escapes surrogates).
    return _splice(json.dumps(data, indent=1, default=str))


def _build_all(root: Path, builders: list[str]) -> None:
    for builder in builders:
        app = SphinxTestApp(
            builder,
            srcdir=root,
            builddir=root / "_build" / builder,
            warning=io.StringIO(),
            status=io.StringIO(),
        )
        try:
            app.build()
        finally:
            app.cleanup()
        output = app.warning.getvalue()
        assert "Traceback" not in output and "Exception occurred" not in output, output
        ours = [line for line in output.splitlines() if "opsboundary" in line]
        assert all("[opsboundary." in line for line in ours), ours


def _project(
    root: Path, source: dict[str, Any], episodes: dict[str, Any], fmts: tuple[str, str]
) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "data").mkdir(parents=True)
    table_fmt, episodes_fmt = fmts
    (root / "conf.py").write_text(
        CONF
        + f"opsboundary_episodes_file = 'episodes.{episodes_fmt}'\n"
        + "linkcheck_ignore = ['.*']\nlinkcheck_timeout = 1\n",
        encoding="utf-8",
    )
    (root / f"data/t.{table_fmt}").write_text(serialise(source, table_fmt), encoding="utf-8")
    (root / f"episodes.{episodes_fmt}").write_text(
        serialise({"ep2": episodes}, episodes_fmt), encoding="utf-8"
    )
    (root / "secret.txt").write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    (root / "index.rst").write_text(
        "Page\n====\n\n.. boundary-table::\n   :source: data/t."
        + table_fmt
        + "\n\nSee :episode:`ep2@1:00`.\n\n.. episode-index::\n\n.. toctree::\n\n   page\n",
        encoding="utf-8",
    )
    (root / "page.md").write_text(
        f"# Page\n\n```{{boundary-table}}\n:source: data/t.{table_fmt}\n```\n\n"
        "```{episode-citation} ep2\n:at: 0:30\n```\n",
        encoding="utf-8",
    )


formats = st.tuples(
    st.sampled_from(["toml", "json", "yaml"]), st.sampled_from(["toml", "json", "yaml"])
)
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@settings(max_examples=3, derandomize=True, **SETTINGS)  # type: ignore[arg-type]
@given(source=table, episodes=episode, fmts=formats)
def test_random_data_files_fast(
    tmp_path: Path, source: dict[str, Any], episodes: dict[str, Any], fmts: tuple[str, str]
) -> None:
    root = tmp_path / "project"
    _project(root, source, episodes, fmts)
    _build_all(root, FAST_BUILDERS)
    published = [
        p for p in (root / "_build").rglob("*") if p.is_file() and b"TOP-SECRET" in p.read_bytes()
    ]
    assert published == []


@pytest.mark.slow
@settings(max_examples=6, **SETTINGS)  # type: ignore[arg-type]
@given(source=table, episodes=episode, fmts=formats)
def test_random_data_files_every_builder(
    tmp_path: Path, source: dict[str, Any], episodes: dict[str, Any], fmts: tuple[str, str]
) -> None:
    root = tmp_path / "project"
    _project(root, source, episodes, fmts)
    _build_all(root, ALL_BUILDERS)
    published = [
        p for p in (root / "_build").rglob("*") if p.is_file() and b"TOP-SECRET" in p.read_bytes()
    ]
    assert published == []
