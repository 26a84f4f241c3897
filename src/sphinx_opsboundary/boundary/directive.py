"""The ``boundary-table`` directive: where two to four disciplines meet, aspect by aspect.

The directive always builds one real docutils ``table`` (caption, a header row of
sides, a stub column of aspects), so LaTeX, text, man and texinfo get every cell.
HTML-only extras are added late by :mod:`.html`, which only runs
for HTML builders: ``scope`` and ``data-label`` attributes on the cells, and the
sphinx-design ``cards``/``tabs`` presentations.

Rows come from a list-table body or from a ``:source:`` data file (TOML, JSON,
YAML).  Problems are warned about at the offending line and the build goes on:

* a row with too few cells is padded with empty cells, a row with too many has
  its extra cells dropped (both warned), so the table stays rectangular;
* a missing or out-of-range ``:sides:`` or an empty body emits no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from .. import diagnostics
from ..assets import has_sphinx_design
from ..diagnostics import Location, content_line, directive_location, option_line, warn
from ..links.targets import make_link, split_title
from .data import SourceData, data_inline, data_paragraph, load_source, markup_rows

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("sphinx_opsboundary")

#: The class every boundary table carries; the HTML transform and CSS key on it.
TABLE_CLASS = "opsboundary-boundary"
LAYOUTS = ("table", "cards", "tabs")
MIN_SIDES, MAX_SIDES = 2, 4
_ROW_MARKER = re.compile(r"^(?P<indent>\s*)[*+-](\s|$)")


# --------------------------------------------------------------------------
# Small grammar helpers (pure)
# --------------------------------------------------------------------------


def split_sides(text: str) -> list[str]:
    """Split ``:sides:`` at commas outside ``<...>``; ``\\,`` stays a literal comma.

    Escapes are kept so that :func:`targets.split_title` can unescape them.
    """
    parts: list[str] = []
    buf: list[str] = []
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            buf.append(text[index : index + 2])
            index += 2
            continue
        if char == "<":
            depth += 1
        elif char == ">" and depth:
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(buf).strip())
            buf = []
            index += 1
            continue
        buf.append(char)
        index += 1
    parts.append("".join(buf).strip())
    return parts


def parse_widths(text: str) -> list[int] | None:
    """``"20 40 40"`` or ``"20, 40, 40"`` -> ``[20, 40, 40]``; ``None`` if malformed."""
    items = [item for item in re.split(r"[\s,]+", text.strip()) if item]
    if not items or not all(item.isdigit() and int(item) > 0 for item in items):
        return None
    return [int(item) for item in items]


# --------------------------------------------------------------------------
# Intermediate records: what the table is made of, whatever the input
# --------------------------------------------------------------------------


@dataclass
class _Side:
    node: nodes.Node  #: label text, or the link made by targets.make_link
    text: str  #: plain label, for data-label and tab titles


@dataclass
class _Row:
    aspect: list[nodes.Node]
    cells: list[list[nodes.Node]]
    location: Location


# --------------------------------------------------------------------------
# The directive
# --------------------------------------------------------------------------


class BoundaryTableDirective(SphinxDirective):
    """Compare 2–4 sides aspect by aspect, as an accessible table."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {
        "sides": directives.unchanged,
        "shared": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.unchanged,
        "widths": directives.unchanged,
        "layout": directives.unchanged,
        "source": directives.unchanged,
    }

    # -- entry point ---------------------------------------------------------

    def run(self) -> list[nodes.Node]:
        data = None
        if "source" in self.options:
            data = self._load_source()
            if data is None:
                return []  # already warned
        sides = self._sides(data)
        if sides is None:
            return []
        rows = self._rows(data, len(sides))
        if rows is None:
            return []
        table = self._table(data, sides, rows)
        return [table]

    # -- options -------------------------------------------------------------

    def _sides(self, data: SourceData | None) -> list[_Side] | None:
        """The header sides, from ``:sides:`` or the data file; ``None`` if unusable."""
        raw_sides: list[tuple[str, Location]]
        if self.options.get("sides", "").strip():
            where = option_line(self, "sides")
            raw_sides = [(text, where) for text in split_sides(self.options["sides"])]
        elif data is not None and data.sides:
            where = option_line(self, "source")
            raw_sides = data.sides
        else:
            where = directive_location(self)
            hint = " or give 'sides' in the :source: file" if data is not None else ""
            warn(
                "boundary-table needs ':sides:' listing 2 to 4 sides, e.g. "
                f"':sides: MLOps <mlops>, DataOps <dataops>'{hint}",
                "syntax",
                where,
            )
            return None
        if any(not text for text, _where in raw_sides):
            warn(
                "boundary-table ':sides:' has an empty side; remove the extra comma "
                "(write '\\,' for a comma inside a label)",
                "syntax",
                raw_sides[0][1],
            )
            raw_sides = [(text, loc) for text, loc in raw_sides if text]
        if not MIN_SIDES <= len(raw_sides) <= MAX_SIDES:
            warn(
                f"boundary-table needs {MIN_SIDES} to {MAX_SIDES} sides, found "
                f"{len(raw_sides)}; list them comma-separated in ':sides:'",
                "syntax",
                raw_sides[0][1] if raw_sides else where,
            )
            return None
        group = f"sides-{self.env.new_serialno('opsboundary-boundary')}"
        return [self._side(text, loc, group) for text, loc in raw_sides]

    def _side(self, text: str, location: Location, group: str) -> _Side:

        title, target = split_title(text)
        stripped = text.strip()
        has_target = stripped.endswith(">") and not stripped.endswith("\\>") and "<" in stripped
        if not has_target:
            return _Side(nodes.Text(target), target)
        label = title if title is not None else target
        node = make_link(self, target, title, group=group, origin="side", location=location)
        return _Side(node, label)

    def _classes(self) -> list[str]:
        raw = self.options.get("class", "")
        if not raw.strip():
            return []
        try:
            return directives.class_option(raw)
        except ValueError:
            warn(
                f"boundary-table ':class:' value {raw!r} is not a list of class names",
                "syntax",
                option_line(self, "class"),
            )
            return []

    def _layout(self) -> str:
        raw = self.options.get("layout", "table").strip().lower() or "table"
        if raw not in LAYOUTS:
            warn(
                diagnostics.unknown_layout("boundary-table", raw, LAYOUTS),
                "syntax",
                option_line(self, "layout"),
            )
            return "table"
        if raw != "table" and not has_sphinx_design(self.config):
            warn(
                diagnostics.layout_needs_design("boundary-table", raw, LAYOUTS[0]),
                "config",
                option_line(self, "layout"),
            )
            return "table"
        return raw

    def _widths(self, columns: int) -> list[int] | None:
        raw = self.options.get("widths", "").strip()
        if not raw or raw.lower() == "auto":
            return None
        widths = parse_widths(raw)
        if widths is None or len(widths) != columns:
            found = "not a list of positive integers" if widths is None else f"{len(widths)}"
            warn(
                f"boundary-table ':widths:' needs {columns} positive integers (the aspect "
                f"column, then one per side), found {found}; using automatic widths",
                "syntax",
                option_line(self, "widths"),
            )
            return None
        return widths

    # -- rows ----------------------------------------------------------------

    def _rows(self, data: SourceData | None, nsides: int) -> list[_Row] | None:
        has_body = any(line.strip() for line in self.content)
        if data is not None:
            if has_body:
                warn(
                    "boundary-table has both ':source:' and a body; the body is ignored",
                    "syntax",
                    content_line(self, 0),
                )
            if not data.has_rows:
                return None
            rows = [_Row(*row) for row in markup_rows(self, data)]
            return self._fit(rows, nsides, "source")
        if not has_body:
            warn(
                "boundary-table has no rows; write them as a list table "
                "('* - aspect' then '  - cell' per side) or give ':source:'",
                "syntax",
                directive_location(self),
            )
            return None
        return self._fit(self._body_rows(), nsides, "syntax")

    def _text_nodes(self, text: str) -> list[nodes.Node]:
        return [n for n in self.parse_text_to_nodes(text) if not _is_message(n)]

    def _row_lines(self) -> list[Location]:
        """The location of every top-level list item (a row) in the body."""
        lines = list(self.content)
        indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
        base = min(indents) if indents else 0
        found = []
        for index, line in enumerate(lines):
            match = _ROW_MARKER.match(line)
            if match and len(match["indent"]) == base:
                found.append(content_line(self, index))
        return found

    def _body_rows(self) -> list[_Row]:
        parsed = self.parse_content_to_nodes()
        lines = self._row_lines()
        fallback = content_line(self, 0)
        rows: list[_Row] = []
        items: list[nodes.list_item] = []
        for node in parsed:
            if isinstance(node, nodes.bullet_list):
                items.extend(c for c in node.children if isinstance(c, nodes.list_item))
            elif not _is_message(node) and not isinstance(node, nodes.comment):
                warn(
                    "boundary-table body must be a list table ('* - aspect' then "
                    f"'  - cell' per side); found {getattr(node, 'tagname', 'text')!r}",
                    "syntax",
                    _node_location(self, node, fallback),
                )
        for index, item in enumerate(items):
            location = lines[index] if index < len(lines) else fallback
            blocks = [c for c in item.children if not _is_message(c)]
            if len(blocks) != 1 or not isinstance(blocks[0], nodes.bullet_list):
                warn(
                    "boundary-table row must be a list of cells: '* - aspect' then "
                    "'  - cell' for each side; row skipped",
                    "syntax",
                    location,
                )
                continue
            cells = [list(cell.children) for cell in blocks[0].children]
            rows.append(_Row(cells[0], cells[1:], location))
        return rows

    def _fit(self, rows: list[_Row], nsides: int, subtype: diagnostics.Subtype) -> list[_Row]:
        """Pad short rows and trim long ones, warning at the row's line."""
        for row in rows:
            found = len(row.cells) + 1
            if found == nsides + 1:
                continue
            fix = (
                "missing cells are left empty" if found < nsides + 1 else "extra cells are dropped"
            )
            warn(
                f"boundary-table row {_plain_text(row.aspect)!r} has {found} cells, expected "
                f"{nsides + 1} (the aspect, then one per side); {fix}",
                subtype,
                row.location,
            )
            row.cells = (row.cells + [[] for _ in range(nsides)])[:nsides]
        return rows

    # -- the table -----------------------------------------------------------

    def _table(self, data: SourceData | None, sides: list[_Side], rows: list[_Row]) -> nodes.table:
        nsides = len(sides)
        layout = self._layout()
        widths = self._widths(nsides + 1)
        classes = [TABLE_CLASS, f"opsboundary-sides-{nsides}"]
        if widths:
            classes.append("colwidths-given")
        if layout != "table":
            classes.append(f"opsboundary-layout-{layout}")
        table = nodes.table("", classes=classes + self._classes())
        self.set_source_info(table)

        caption = self.arguments[0] if self.arguments else (data.caption if data else None)
        if caption and caption.strip():
            if self.arguments:
                inline, _messages = self.parse_inline(caption.strip(), lineno=self.lineno)
            else:  # the caption from the data file is data
                inline = data_inline(
                    self, caption.strip(), data.places.get("caption") if data else None
                )
            title = nodes.title(caption, "", *inline)
            self.set_source_info(title)
            table += title

        tgroup = nodes.tgroup(cols=nsides + 1)
        table += tgroup
        # Like list-table: equal widths by default (the text writer reads them as
        # characters), which HTML and LaTeX ignore unless 'colwidths-given'.
        for index, width in enumerate(widths or [100 // (nsides + 1)] * (nsides + 1)):
            colspec = nodes.colspec(colwidth=width)
            if index == 0:
                colspec["stub"] = 1
            tgroup += colspec

        head = nodes.row()
        head += nodes.entry(
            "", nodes.paragraph("", str(_("Aspect"))), classes=["opsboundary-aspect"]
        )
        for number, side in enumerate(sides, 1):
            head += nodes.entry(
                "", nodes.paragraph("", "", side.node), classes=[f"opsboundary-side-{number}"]
            )
        tgroup += nodes.thead("", head)

        body = nodes.tbody()
        tgroup += body
        name = self.options.get("name", "").strip()
        if name:
            self.options["name"] = name
            self.add_name(table)
            name = nodes.fully_normalize_name(name)
        for row in rows:
            body += self._row(row, name)
        shared_option = self.options.get("shared", "").strip()
        shared = shared_option or (data.shared if data else None)
        if shared:
            line = nodes.row("", classes=["opsboundary-shared"])
            line += nodes.entry(
                "", nodes.paragraph("", str(_("Shared"))), classes=["opsboundary-aspect"]
            )
            line += nodes.entry(
                "",
                *(
                    self._text_nodes(shared)
                    if shared_option or data is None
                    else data_paragraph(self, shared, data.places.get("shared"))
                ),
                morecols=nsides - 1,
                classes=["opsboundary-shared"],
            )
            body += line
        return table

    def _row(self, row: _Row, name: str) -> nodes.row:
        node = nodes.row()
        node += nodes.entry("", *row.aspect, classes=["opsboundary-aspect"])
        for number, cell in enumerate(row.cells, 1):
            node += nodes.entry("", *cell, classes=[f"opsboundary-side-{number}"])
        slug = nodes.make_id(_plain_text(row.aspect))
        if name and slug:
            label = nodes.fully_normalize_name(f"{name}-{slug}")
            document = self.state.document
            if label in document.nameids or nodes.make_id(label) in document.ids:
                warn(
                    f"boundary-table row id {label!r} is already used on this page; "
                    "give the aspects distinct names",
                    "syntax",
                    row.location,
                )
            else:
                node["names"].append(label)
                document.note_explicit_target(node)
        return node

    # -- data files ----------------------------------------------------------

    def _load_source(self) -> SourceData | None:
        """Read and validate ``:source:``; every problem is an ``opsboundary.source`` warning."""
        where = option_line(self, "source")
        raw = self.options.get("source", "").strip()
        if not raw:
            warn("boundary-table ':source:' needs a file path", "source", where)
            return None
        relpath, abspath = self.env.relfn2path(raw, self.env.docname)
        self.env.note_dependency(relpath)
        return load_source(raw, abspath, self.env, where)


# --------------------------------------------------------------------------
# Node helpers
# --------------------------------------------------------------------------


def _is_message(node: nodes.Node) -> bool:
    return isinstance(node, nodes.system_message)


def _plain_text(children: list[nodes.Node]) -> str:
    return " ".join(" ".join(child.astext() for child in children).split())


def _node_location(directive: SphinxDirective, node: nodes.Node, fallback: Location) -> Location:
    line = getattr(node, "line", None)
    if isinstance(line, int) and line > 0:
        return directive_location(directive)[0], line
    return fallback


# --------------------------------------------------------------------------
# Standard labels for rows: ``:ref:`name-aspect``` shows the aspect as its title
# --------------------------------------------------------------------------


def label_rows(app: Sphinx, doctree: nodes.document) -> None:
    """Give each named row a titled std label (std only records it as anonymous)."""
    env = app.env
    std = env.get_domain("std")
    labels = std.data.setdefault("labels", {})
    anonlabels = std.data.setdefault("anonlabels", {})
    for table in doctree.findall(nodes.table):
        # Rows are named only in a named table (see _row; a clashing table name
        # is moved to dupnames): skip the rows of every other table.
        if TABLE_CLASS not in table["classes"] or not (table["names"] or table["dupnames"]):
            continue
        for row in table.findall(nodes.row):
            if not row["names"] or not row["ids"]:
                continue
            label = row["names"][0]
            if anonlabels.get(label) != (env.docname, row["ids"][0]):
                continue  # another page owns this label; Sphinx has warned
            labels[label] = (env.docname, row["ids"][0], row[0].astext().strip())
