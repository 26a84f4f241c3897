"""``boundary-table``: the directive, its data files and its HTML presentations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .directive import BoundaryTableDirective, label_rows
from .html import (
    BoundaryHtmlTransform,
    BoundarySpanTransform,
    BoundaryWrapperTransform,
    boundary_cell,
    depart_boundary_cell,
    visit_boundary_cell,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_boundary(app: Sphinx) -> None:
    """Register the directive, the HTML transforms and their cell node, and row labels."""
    app.add_directive("boundary-table", BoundaryTableDirective)
    app.add_node(boundary_cell, html=(visit_boundary_cell, depart_boundary_cell))
    app.add_post_transform(BoundaryHtmlTransform)
    app.add_post_transform(BoundarySpanTransform)
    app.add_post_transform(BoundaryWrapperTransform)
    app.connect("doctree-read", label_rows)
