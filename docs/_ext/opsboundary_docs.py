"""Local helpers for the sphinx-opsboundary documentation.

``opsboundary-subtypes`` renders the table of warning subtypes straight from
:data:`sphinx_opsboundary.diagnostics.SUBTYPES`, so the diagnostics page lists
exactly the subtypes the code can raise, with the code's own descriptions.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from sphinx_opsboundary import __version__
from sphinx_opsboundary.diagnostics import SUBTYPES


class OpsBoundarySubtypes(SphinxDirective):
    """A three-column table: warning type, what raises it, how to silence it."""

    has_content = False
    option_spec = {"name": directives.unchanged, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["opsboundary-subtypes", *self.options.get("class", [])])
        table += nodes.title("", "Warning subtypes")
        group = nodes.tgroup(cols=3)
        table += group
        for width in (22, 50, 28):
            group += nodes.colspec(colwidth=width)

        head = nodes.thead()
        group += head
        head += self._row(
            [nodes.Text("Warning type")],
            [nodes.Text("Raised for")],
            [nodes.Text("Silence it with")],
        )

        body = nodes.tbody()
        group += body
        for subtype, description in SUBTYPES.items():
            name = f"opsboundary.{subtype}"
            text_nodes, messages = self.parse_inline(description, lineno=self.lineno)
            entry_id = nodes.make_id(f"subtype-{subtype}")
            body += self._row(
                [nodes.literal(name, name)],
                [*text_nodes, *messages],
                [nodes.literal("", f'suppress_warnings = ["{name}"]')],
                ids=[entry_id],
            )
        self.add_name(table)
        return [table]

    @staticmethod
    def _row(*cells: list[nodes.Node], ids: list[str] | None = None) -> nodes.row:
        row = nodes.row(ids=ids or [])
        for content in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", *content)
            row += entry
        return row


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("opsboundary-subtypes", OpsBoundarySubtypes)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
