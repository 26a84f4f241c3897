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


def parse_warnings(text: str, srcdir: Path) -> list[Warning_]:
    """Every warning in Sphinx's output *text*, parsed (continuation lines dropped)."""
    root = Path(srcdir).resolve()
    found: list[Warning_] = []
    for raw in strip_colors(text).splitlines():
        match = _WARNING.match(raw)
        if not match:
            continue
        path = match["path"]
        with contextlib.suppress(ValueError, OSError):
            path = Path(path).resolve().relative_to(root).as_posix()
        found.append(
            Warning_(
                file=path,
                line=int(match["line"]) if match["line"] else None,
                message=match["message"],
                type=match["type"],
            )
        )
    return found


def warnings_of(app: Any) -> list[Warning_]:
    """Every warning the build printed, parsed."""
    return parse_warnings(app.warning.getvalue(), Path(app.srcdir))


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
