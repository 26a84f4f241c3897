"""Every diagnostic the extension can raise, and the one helper that raises them.

All warnings go through :func:`warn` so that they carry ``type="opsboundary"``, a
subtype from the closed set below, and a ``path:line`` location.  The docs' table
of warning subtypes is generated from :data:`SUBTYPES`, so code and docs cannot
drift apart.
"""

from __future__ import annotations

import ast
import difflib
import functools
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, get_args

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.parsers.rst import Directive

__all__ = [
    "SUBTYPES",
    "Subtype",
    "conf_location",
    "content_line",
    "did_you_mean",
    "directive_location",
    "is_myst",
    "option_line",
    "role_location",
    "warn",
]

logger = logging.getLogger("sphinx_opsboundary")

Subtype = Literal[
    "related",
    "moved",
    "duplicate",
    "self",
    "reciprocal",
    "timestamp",
    "episode",
    "url",
    "syntax",
    "source",
    "config",
    "quote",
    "orphan",
]

#: One description per subtype; the docs render this table.
SUBTYPES: dict[Subtype, str] = {
    "related": "A related link whose target document, anchor or label does not exist.",
    "moved": "A related link to a page that the redirect map says has moved.",
    "duplicate": "The same target twice in one list.",
    "self": "A page listing itself as related.",
    "reciprocal": "A one-way related link, where reciprocity is required by config.",
    "timestamp": (
        "A timestamp that does not parse, lies past the episode's duration, "
        "or an end before its start."
    ),
    "episode": "An unknown episode key, an episode with no speaker, conflicting registry data.",
    "url": "A URL with a scheme other than http/https, or malformed.",
    "syntax": "A malformed directive body or option (a bad row, an entry with no target).",
    "source": "A data file that is missing or does not parse.",
    "config": "An invalid ``opsboundary_*`` configuration value.",
    "quote": ("A quotation not found in the transcript near its time, or said by someone else."),
    "orphan": "A page that must be linked to (``opsboundary_require_incoming``) and is not.",
}

assert set(SUBTYPES) == set(get_args(Subtype))

#: A location: ``(source_path, line)``, a ``"path:line"`` string, a node, or None.
Location = Any


def _format_location(location: Location) -> Any:
    """Turn ``(path, line)`` into the ``path:line`` string Sphinx prints as-is.

    Sphinx treats a tuple as ``(docname, line)``; we mostly know the *source
    path* (which is right for included files too), so we format it ourselves.
    """
    if isinstance(location, tuple) and len(location) == 2:
        source, line = location
        if source is None:
            return None
        path = os.path.abspath(os.fspath(source))
        return f"{path}:{line}" if line else f"{path}:"
    return location


def warn(message: str, subtype: Subtype, location: Location = None) -> None:
    """Emit one ``opsboundary.<subtype>`` warning at *location*."""
    if subtype not in SUBTYPES:  # pragma: no cover - guarded by the Literal
        raise ValueError(f"unknown opsboundary warning subtype {subtype!r}")
    logger.warning(
        message, type="opsboundary", subtype=subtype, location=_format_location(location)
    )


def did_you_mean(word: str, candidates: Iterable[str], *, n: int = 1) -> list[str]:
    """Close matches for *word*, best first (case-insensitive)."""
    pool = {c.lower(): c for c in candidates if c}
    found = difflib.get_close_matches(word.lower(), list(pool), n=n, cutoff=0.6)
    return [pool[f] for f in found]


def suggestion_suffix(word: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'X'?)"`` or the empty string."""
    best = did_you_mean(word, candidates)
    return f"; did you mean {best[0]!r}?" if best else ""


# --------------------------------------------------------------------------
# Source locations.  rST and MyST report positions differently; these helpers
# turn both into (source path, 1-based line) of the offending line itself.
# --------------------------------------------------------------------------


def is_myst(directive: Directive) -> bool:
    """True when *directive* is being run by myst-parser's mock state machine."""
    return type(directive.state).__module__.startswith("myst_parser")


def directive_location(directive: Directive) -> tuple[str | None, int]:
    """``(source, line)`` of the directive's first line."""
    source, line = directive.state_machine.get_source_and_line(directive.lineno)
    if not source:
        source = directive.state.document.get("source")
    return source, line or directive.lineno


def content_line(directive: Directive, index: int) -> tuple[str | None, int]:
    """``(source, line)`` of line *index* (0-based) of the directive's content.

    rST gives ``content_offset`` as an absolute 0-based input line, MyST as the
    number of lines between the directive's own (1-based) line and the body.
    """
    if is_myst(directive):
        source = directive.state.document.get("source")
        return source, directive.lineno + directive.content_offset + 1 + index
    try:
        source, offset = directive.content.info(index)
    except (IndexError, AttributeError):
        return directive_location(directive)
    if isinstance(offset, int):
        line = offset + 1
        # Map absolute input lines (across includes) to the real file line.
        real_source, real_line = directive.state_machine.get_source_and_line(
            directive.content_offset + index + 1
        )
        if real_source and real_line:
            return real_source, real_line
        return source, line
    return directive_location(directive)


def _block_lines(directive: Directive) -> list[str]:
    return (directive.block_text or "").splitlines()


def option_line(directive: Directive, option: str) -> tuple[str | None, int]:
    """``(source, line)`` of option *option*'s own line, found in the block text.

    Falls back to the directive's first line when the option cannot be found
    (for example options given through MyST's ``---`` YAML block use the bare
    ``name:`` form, which is searched too).
    """
    source, first = directive_location(directive)
    patterns = (
        re.compile(rf"^\s*:{re.escape(option)}:(\s|$)"),
        re.compile(rf"^\s*{re.escape(option)}\s*:(\s|$)"),
    )
    for offset, text in enumerate(_block_lines(directive)):
        if offset == 0:
            continue
        if any(p.match(text) for p in patterns):
            return source, first + offset
    return source, first


@functools.lru_cache(maxsize=64)
def _read_lines(path: str, mtime: float) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return tuple(handle.read().splitlines())
    except OSError:
        return ()


def _file_lines(path: str) -> tuple[str, ...]:
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return ()
    return _read_lines(path, mtime)


def role_location(
    inliner: Any, lineno: int, rawtext: str, name: str, text: str
) -> tuple[str | None, int]:
    """``(source, line)`` of a role's own line.

    Both parsers report a role at its paragraph's first line; the role may sit
    several lines below.  We look for its text in the source from there on.
    """
    document: nodes.document | None = getattr(inliner, "document", None)
    reporter = getattr(inliner, "reporter", None)
    source: str | None = None
    line = lineno
    getter = getattr(reporter, "get_source_and_line", None)
    if getter is not None:
        try:
            source, found = getter(lineno)
            line = found or lineno
        except Exception:
            source = None
    if not source and document is not None:
        source = document.get("source")
    if not source or not os.path.isfile(source):
        return source, line
    lines = _file_lines(source)
    first_text = text.splitlines()[0] if text else ""
    needles = [
        rawtext.splitlines()[0] if rawtext else "",
        f"{{{name}}}`{first_text}",
        f"`{first_text}",
    ]
    needles = [n for n in needles if n]
    for needle in needles:
        for index in range(max(line - 1, 0), min(len(lines), line - 1 + 200)):
            if needle in lines[index]:
                return source, index + 1
    return source, line


# --------------------------------------------------------------------------
# conf.py: a bad configuration value is reported at its assignment (and, for a
# dict literal, at the offending key), found in the syntax tree, never by text.
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _conf_assignments(path: str, mtime: float) -> dict[str, tuple[int, dict[str, int]]]:
    """name -> (line of its top-level assignment, {string key of a dict literal: line})."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            tree = ast.parse(handle.read(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return {}
    found: dict[str, tuple[int, dict[str, int]]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        keys: dict[str, int] = {}
        if isinstance(value, ast.Dict):
            for key in value.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    keys.setdefault(key.value, key.lineno)
        for target in targets:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, (statement.lineno, keys))
    return found


def conf_location(
    confdir: str | os.PathLike[str] | None, name: str, key: str | None = None
) -> tuple[str | None, int]:
    """``(conf.py, line)`` of ``name = ...``, or of *key* in its dict literal.

    A key that is not a literal key falls back to the assignment's line; line 0
    (no line) when the value is not assigned in conf.py (given with ``-D``).
    """
    if not confdir:
        return None, 0
    path = os.path.join(os.fspath(confdir), "conf.py")
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return path, 0
    line, keys = _conf_assignments(path, mtime).get(name, (0, {}))
    return path, keys.get(key, line) if key is not None else line
