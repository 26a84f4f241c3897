"""Helpers shared by the test modules: warnings as records, doctree normalising."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.util.console import strip_colors

_WARNING = re.compile(
    r"^(?P<path>.*?):(?P<line>\d*): (?P<level>WARNING|ERROR|CRITICAL): "
    r"(?P<message>.*?)(?: \[(?P<type>[\w.-]+)\])?$"
)


@dataclass(frozen=True, order=True)
class Warning_:
    file: str  #: file name relative to the project source dir
    line: int | None
    message: str
    type: str | None  #: e.g. ``opsboundary.related``


def warnings_of(app: Any) -> list[Warning_]:
    """Every warning the build printed, parsed (continuation lines are dropped)."""
    srcdir = Path(app.srcdir)
    found: list[Warning_] = []
    for raw in strip_colors(app.warning.getvalue()).splitlines():
        match = _WARNING.match(raw)
        if not match:
            continue
        path = match["path"]
        with contextlib.suppress(ValueError):
            path = Path(path).resolve().relative_to(srcdir.resolve()).as_posix()
        found.append(
            Warning_(
                file=path,
                line=int(match["line"]) if match["line"] else None,
                message=match["message"],
                type=match["type"],
            )
        )
    return found


def opsboundary_warnings(app: Any) -> list[Warning_]:
    return [w for w in warnings_of(app) if (w.type or "").startswith("opsboundary")]


_NOISE = [
    (re.compile(r' source="[^"]*"'), ""),
    (re.compile(r"<document [^>]*>"), "<document>"),
    (re.compile(r' translation_progress="[^"]*"'), ""),
]


def normalise_doctree(text: str) -> str:
    """Remove what differs between docutils versions and source formats."""
    for pattern, repl in _NOISE:
        text = pattern.sub(repl, text)
    return text
