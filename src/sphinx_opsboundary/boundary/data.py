"""The ``:source:`` data file of a boundary table: read, then validated key by key.

A data file is data, not markup: anything of the wrong type is warned about at
the file's own line and left out, so the directive only sees well-typed values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from .. import diagnostics
from ..datafiles import DataFileError, LoadedData, load_data_file
from ..diagnostics import Location, excerpt, warn
from ..paths import data_roots, outside_problem

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

SOURCE_KEYS = ("caption", "sides", "shared", "rows")


@dataclass
class SourceData:
    """A data file's validated content; anything invalid was warned and left out."""

    path: str = ""
    caption: str | None = None
    sides: list[tuple[str, Location]] = field(default_factory=list)
    shared: str | None = None
    rows: list[tuple[str, list[str], Location]] = field(default_factory=list)
    has_rows: bool = False
    #: Where each value sits in the file: {"caption": loc, "shared": loc, (row, cell): loc}.
    places: dict[Any, Location] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Data files: read with datafiles.load_data_file, then validate (module level,
# so they are easy to test)
# --------------------------------------------------------------------------


def warn_load_error(error: DataFileError, raw: str, path: str, where: Location) -> None:
    """One ``opsboundary.source`` warning: at the file's line, else at ``:source:``."""
    if error.reason == "format":
        message = f"boundary-table ':source:' {raw!r} must be a .toml, .json, .yaml or .yml file"
    elif error.reason == "missing":
        message = (
            f"boundary-table data file {raw!r} not found (looked for {path}); "
            "paths are relative to the page, or to the source root with a leading '/'"
        )
    elif error.reason in ("unreadable", "too-large"):
        message = f"boundary-table data file {raw!r} {error.message}"
    else:
        message = f"boundary-table data file {os.path.basename(path)!r} {error.message}"
    warn(message, "source", (path, error.line) if error.line else where)


def refused_outside(raw: str, path: str, roots: list[Any], where: Location) -> bool:
    """Warn and answer True when *path* lies (or links) outside the allowed folders."""
    problem = outside_problem(path, roots)
    if problem is not None:
        warn(f"boundary-table data file {excerpt(raw)} {problem}", "source", where)
    return problem is not None


def load_source(raw: str, path: str, env: BuildEnvironment, where: Location) -> SourceData | None:
    """Read and validate a ``:source:`` file; every problem is a ``source`` warning."""
    # Sphinx resolves symbolic links in *path*; judge the path as written, so
    # a warning can say that a link leads elsewhere.
    folder = env.srcdir if raw.startswith("/") else env.doc2path(env.docname).parent
    written = os.path.normpath(os.path.join(folder, raw.lstrip("/")))
    if refused_outside(raw, written, data_roots(env), where):
        return None
    try:
        loaded = load_data_file(path)
    except DataFileError as error:
        warn_load_error(error, raw, path, where)
        return None
    return validate(loaded, where)


def validate(loaded: LoadedData, where: Location) -> SourceData | None:
    """Keep what is well-typed; warn about the rest at the data file's line."""
    data, path = loaded.data, loaded.path
    name = os.path.basename(path)

    def at(*keys: str | int) -> Location:
        line = loaded.line_of(*keys)
        return (path, line) if line else where

    def bad(message: str, location: Location) -> None:
        warn(f"boundary-table data file {name!r}: {message}", "source", location)

    if not isinstance(data, dict):
        bad(
            "must be a mapping with keys 'sides', 'rows' and optionally 'caption', "
            f"'shared'; found {type_name(data)}",
            where,
        )
        return None
    result = SourceData(path=path)
    for key in data:
        if key not in SOURCE_KEYS:
            bad(
                f"unknown key {key!r}, ignored"
                + diagnostics.suggestion_suffix(str(key), SOURCE_KEYS),
                at(key),
            )
    for key in ("caption", "shared"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            setattr(result, key, value)
            result.places[key] = at(key)
        else:
            bad(f"{key!r} must be a string, found {type_name(value)}", at(key))
    sides = data.get("sides")
    if sides is not None:
        if isinstance(sides, list) and all(isinstance(s, str) for s in sides):
            result.sides = [(side, at("sides", index)) for index, side in enumerate(sides)]
        else:
            bad("'sides' must be a list of strings like 'MLOps <mlops>'", at("sides"))
    rows = data.get("rows")
    if rows is None:
        bad("has no 'rows'; add a list of {aspect, cells} entries", where)
        return result
    if not isinstance(rows, list):
        bad(
            f"'rows' must be a list of {{aspect, cells}} entries, found {type_name(rows)}",
            at("rows"),
        )
        return result
    result.has_rows = True
    for number, row in enumerate(rows, 1):
        aspect = row.get("aspect") if isinstance(row, dict) else None
        location = at("rows", number - 1, "aspect")
        cells = row.get("cells") if isinstance(row, dict) else None
        if (
            not isinstance(aspect, str)
            or not isinstance(cells, list)
            or not all(isinstance(c, str) for c in cells)
        ):
            bad(
                f"row {number} must have 'aspect' (a string) and 'cells' (a list of "
                "strings); row skipped",
                location,
            )
            continue
        result.rows.append((aspect, list(cells), location))
        for index in range(len(cells)):
            result.places[len(result.rows) - 1, index] = at("rows", number - 1, "cells", index)
    return result


def type_name(value: Any) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "a string"}
    return names.get(type(value), type(value).__name__)


def without_raw(parsed: list[nodes.Node], *, inline: bool = False) -> list[nodes.Node]:
    """Show raw markup from a data file as text.

    Data-file values are parsed as the page's markup so that roles work, but a
    data file is data: MyST would pass its HTML through as live ``raw`` nodes.
    """
    result: list[nodes.Node] = []
    for node in parsed:
        if isinstance(node, nodes.raw):
            text = nodes.Text(node.astext())
            result.append(text if inline else nodes.paragraph("", "", text))
            continue
        if isinstance(node, nodes.Element):
            for raw in list(node.findall(nodes.raw)):
                # parent.replace: replace_self asserts a Text keeps no classes
                raw.parent.replace(raw, nodes.Text(raw.astext()))
        result.append(node)
    return result


#: What a data-file value may not make: raw output, images and downloads (each
#: would publish or run something); shown as their text instead.
_NOT_FROM_DATA: tuple[type[nodes.Node], ...] = (
    nodes.raw,
    nodes.image,
    addnodes.download_reference,
)


def data_inline(directive: SphinxDirective, text: str, location: Location) -> list[nodes.Node]:
    """One data-file value as *inline* markup only: a data file is data.

    Emphasis, literals, links and roles work; a directive, an include or a
    ``raw`` block is never run (inline parsing has no directives), and what an
    inline role or raw HTML would make live is shown as text.  The nodes carry
    no position of their own, so a warning about them (a refused link) lands on
    the data file's line given by the caller's wrapper.
    """
    parsed, _messages = directive.parse_inline(text, lineno=directive.lineno)
    holder = nodes.inline()
    holder.extend(node for node in parsed if not isinstance(node, nodes.system_message))
    for node in list(holder.findall(include_self=False)):
        if node.parent is None:
            continue  # inside a node already replaced
        if isinstance(node, _NOT_FROM_DATA):
            uri = node.get("uri", "") if isinstance(node, nodes.Element) else ""
            shown = node.astext() or str(uri)
            node.parent.replace(node, nodes.Text(shown))
        elif isinstance(node, nodes.Element):
            node.source, node.line = None, None
    children = list(holder.children)
    holder.clear()
    return children


def data_paragraph(directive: SphinxDirective, text: str, location: Location) -> list[nodes.Node]:
    """:func:`data_inline` in a paragraph placed at the value's line in the data file."""
    paragraph = nodes.paragraph(text, "", *data_inline(directive, text, location))
    if isinstance(location, tuple) and location[0]:
        paragraph.source, paragraph.line = str(location[0]), location[1]
    return [paragraph]


def markup_rows(
    directive: SphinxDirective, data: SourceData
) -> list[tuple[list[nodes.Node], list[list[nodes.Node]], Location]]:
    """Each row's aspect and cells as data markup, each at its own line."""
    rows = []
    for number, (aspect, cells, location) in enumerate(data.rows):
        places = [data.places.get((number, index), location) for index in range(len(cells))]
        rows.append(
            (
                data_paragraph(directive, aspect, location),
                [data_paragraph(directive, c, at) for c, at in zip(cells, places, strict=True)],
                location,
            )
        )
    return rows
