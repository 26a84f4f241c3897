"""HTML-only presentation of boundary tables: cell scopes, cards and tabs.

Every builder gets the real table the directive made; these post-transforms run
for HTML builders only and add ``scope``/``data-label`` attributes, or rebuild
the table as sphinx-design cards or tabs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .directive import LAYOUTS, TABLE_CLASS

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

# --------------------------------------------------------------------------
# HTML: scope/data-label on cells, and the sphinx-design layouts
# --------------------------------------------------------------------------


class boundary_cell(nodes.entry):  # docutils names nodes in lower case
    """An ``entry`` that also writes ``scope`` and ``data-label`` (HTML only)."""


def visit_boundary_cell(self: HTML5Translator, node: boundary_cell) -> None:
    self.visit_entry(node)
    extra = ""
    if node.get("scope"):
        extra += f' scope="{node["scope"]}"'
    if node.get("data_label"):
        extra += f' data-label="{html.escape(node["data_label"], quote=True)}"'
    if extra:
        # Performance: visit_entry's tag starts "<th" or "<td"; splice after it
        # with slicing rather than a regular expression per cell.
        tag = self.body[-1]
        after = tag[3:4]  # as r"^<(th|td)\b": no word character may follow
        if tag.startswith(("<th", "<td")) and not (after.isalnum() or after == "_"):
            self.body[-1] = tag[:3] + extra + tag[3:]


def depart_boundary_cell(self: HTML5Translator, node: boundary_cell) -> None:
    self.depart_entry(node)


def _as_cell(entry: nodes.entry, **attributes: str) -> boundary_cell:
    cell = boundary_cell(entry.rawsource, *entry.children, **entry.attributes)
    cell.source, cell.line = entry.source, entry.line
    for key, value in attributes.items():
        cell[key] = value
    entry.replace_self(cell)
    return cell


@dataclass
class _Parts:
    """A built boundary table taken apart again, for the HTML presentations."""

    caption: nodes.title | None
    heads: list[nodes.entry]
    rows: list[nodes.row]
    shared: nodes.row | None


def _parts(table: nodes.table) -> _Parts | None:
    caption = next((c for c in table.children if isinstance(c, nodes.title)), None)
    tgroup = next((c for c in table.children if isinstance(c, nodes.tgroup)), None)
    if tgroup is None:
        return None
    thead = next((c for c in tgroup.children if isinstance(c, nodes.thead)), None)
    tbody = next((c for c in tgroup.children if isinstance(c, nodes.tbody)), None)
    if thead is None or tbody is None or not thead.children:
        return None
    heads = [e for e in thead[0].children if isinstance(e, nodes.entry)]
    rows = [r for r in tbody.children if isinstance(r, nodes.row)]
    shared = next((r for r in rows if "opsboundary-shared" in r["classes"]), None)
    return _Parts(caption, heads, [r for r in rows if r is not shared], shared)


class BoundaryHtmlTransform(SphinxPostTransform):
    """HTML only: accessible cell attributes, or the cards/tabs presentation.

    Runs before sphinx-design's own tab transform (priority 200), which turns the
    tab-set components made here into its radio-button markup.
    """

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if TABLE_CLASS not in table["classes"]:
                continue
            parts = _parts(table)
            if parts is None:
                continue
            layout = next(
                (lay for lay in LAYOUTS if f"opsboundary-layout-{lay}" in table["classes"]), None
            )
            if layout is not None:
                # replace_self() copies the old node's ids and classes onto the new one.
                table["classes"] = [
                    c for c in table["classes"] if not c.startswith(("colwidths-", "opsboundary-l"))
                ]
                table.replace_self(self._presentation(table, parts, layout))
            else:
                self._mark(parts)

    @staticmethod
    def _mark(parts: _Parts) -> None:
        labels = [head.astext().strip() for head in parts.heads]
        for head in parts.heads:
            _as_cell(head, scope="col")
        for row in [*parts.rows, *([parts.shared] if parts.shared else [])]:
            entries = [e for e in row.children if isinstance(e, nodes.entry)]
            for index, entry in enumerate(entries):
                if index == 0:
                    _as_cell(entry, scope="row")
                elif row is parts.shared:
                    _as_cell(entry)
                else:
                    _as_cell(entry, data_label=labels[index] if index < len(labels) else "")

    def _presentation(self, table: nodes.table, parts: _Parts, layout: str) -> nodes.Node:
        wrapper = nodes.container("", classes=[f"opsboundary-boundary-{layout}"])
        wrapper.source, wrapper.line = table.source, table.line
        if parts.caption is not None:
            wrapper += nodes.rubric(
                "", "", *parts.caption.children, classes=["opsboundary-boundary-caption"]
            )
        sides = parts.heads[1:]
        panels = [self._panel(parts, number) for number in range(1, len(sides) + 1)]
        if layout == "cards":
            wrapper += self._cards(sides, panels)
        else:
            wrapper += self._tabs(sides, panels)
        if parts.shared is not None and len(parts.shared.children) > 1:
            shared = nodes.container("", classes=["opsboundary-shared"])
            shared += nodes.paragraph("", "", nodes.strong("", parts.shared[0].astext().strip()))
            shared.extend(parts.shared[1].children)
            wrapper += shared
        return wrapper

    @staticmethod
    def _panel(parts: _Parts, number: int) -> nodes.definition_list:
        """One side's aspects and values; row ids go on the first side's terms."""
        dl = nodes.definition_list(classes=["opsboundary-boundary-aspects"])
        for row in parts.rows:
            entries = [e for e in row.children if isinstance(e, nodes.entry)]
            if len(entries) <= number:
                continue
            term = nodes.term("", "", *_inline_of(entries[0]))
            if number == 1:
                term["ids"] = list(row["ids"])
            value = nodes.definition("", *entries[number].deepcopy().children)
            dl += nodes.definition_list_item("", term, value)
        return dl

    @staticmethod
    def _cards(sides: list[nodes.entry], panels: list[nodes.definition_list]) -> nodes.Node:
        from sphinx_design.shared import create_component

        count = len(sides)
        row = create_component(
            "grid-row",
            ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", f"sd-row-cols-md-{count}", "sd-g-3"],
        )
        for number, (head, panel) in enumerate(zip(sides, panels, strict=True), 1):
            header = create_component(
                "card-header",
                ["sd-card-header", "opsboundary-card-side"],
                children=[nodes.paragraph("", "", *_inline_of(head), classes=["sd-card-text"])],
            )
            body = create_component("card-body", ["sd-card-body"], children=[panel])
            card = create_component(
                "card",
                [
                    "sd-card",
                    "sd-sphinx-override",
                    "sd-w-100",
                    "sd-shadow-sm",
                    f"opsboundary-side-{number}",
                ],
                children=[header, body],
            )
            row += create_component("grid-item", ["sd-col", "sd-d-flex-row"], children=[card])
        return create_component(
            "grid", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"], children=[row]
        )

    @staticmethod
    def _tabs(sides: list[nodes.entry], panels: list[nodes.definition_list]) -> nodes.Node:
        from sphinx_design.shared import create_component

        tab_set = create_component("tab-set", ["sd-tab-set", "opsboundary-boundary-tabset"])
        for number, (head, panel) in enumerate(zip(sides, panels, strict=True), 1):
            text = head.astext().strip()
            label = nodes.rubric(text, text, classes=["sd-tab-label", f"opsboundary-side-{number}"])
            content: list[nodes.Node] = []
            if any(True for _ in head.findall(nodes.reference)):
                content.append(
                    nodes.paragraph("", "", *_inline_of(head), classes=["opsboundary-side-link"])
                )
            content.append(panel)
            tab_content = create_component(
                "tab-content",
                ["sd-tab-content", f"opsboundary-side-{number}"],
                children=content,
            )
            tab_set += create_component(
                "tab-item", ["sd-tab-item"], children=[label, tab_content], selected=number == 1
            )
        return tab_set


class BoundarySpanTransform(SphinxPostTransform):
    """man pages cannot span cells: unspan the shared row, padding with empty cells."""

    default_priority = 150
    builders = ("man",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            if TABLE_CLASS not in table["classes"]:
                continue
            for entry in list(table.findall(nodes.entry)):
                span = entry.attributes.pop("morecols", 0)
                parent = entry.parent
                for _ in range(span):
                    parent.insert(parent.index(entry) + 1, nodes.entry())


class BoundaryWrapperTransform(SphinxPostTransform):
    """Keep ids unique when a theme wraps a table in a container.

    furo wraps every table in a ``div.table-wrapper`` and copies all of the
    table's attributes onto it, so a named table's id appears twice (an
    accessibility error, and ``#anchor`` links become ambiguous).  The id stays
    on the table only; for our own tables the wrapper also drops our classes so
    that our styles apply once.  Runs after furo's transform (priority 500).
    """

    default_priority = 520
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            wrapper = table.parent
            if not isinstance(wrapper, nodes.container) or len(wrapper.children) != 1:
                continue
            if "table-wrapper" not in wrapper["classes"]:
                continue
            shared = [i for i in wrapper["ids"] if i in table["ids"]]
            if shared:
                wrapper["ids"] = [i for i in wrapper["ids"] if i not in shared]
                wrapper["names"] = [n for n in wrapper["names"] if n not in table["names"]]
                for name in shared:
                    self.document.ids[name] = table
            if TABLE_CLASS in table["classes"]:
                wrapper["classes"] = [
                    c for c in wrapper["classes"] if not c.startswith("opsboundary-")
                ] + ["opsboundary-table-wrapper"]


def _inline_of(entry: nodes.Element) -> list[nodes.Node]:
    """An entry's inline content: its single paragraph's children, else its text."""
    blocks = [c for c in entry.children if not isinstance(c, nodes.system_message)]
    if len(blocks) == 1 and isinstance(blocks[0], nodes.paragraph):
        return [c.deepcopy() for c in blocks[0].children]
    text = " ".join(entry.astext().split())
    return [nodes.Text(text)] if text else []
