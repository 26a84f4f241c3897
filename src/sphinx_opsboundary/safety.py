"""Links inside the extension's own blocks may only be http(s) or relative.

Bodies, cells and descriptions are parsed as the page's own markup, and docutils
turns a bare ``javascript:…`` or a ``\\`x <data:…>\\`_`` into a live link.  After
reading, every reference inside an ``opsboundary-*`` block is checked once here,
so each directive does not need its own copy of the rule.  Links elsewhere on the
page are the author's business and left alone.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .deeplinks import url_problem
from .diagnostics import warn

_PREFIX = "opsboundary-"


def _ours(node: nodes.Element) -> bool:
    parent = node.parent
    while parent is not None:
        classes: list[str] = parent.get("classes", []) if isinstance(parent, nodes.Element) else []
        if any(cls.startswith(_PREFIX) for cls in classes):
            return True
        parent = parent.parent
    return False


def _location(node: nodes.Node) -> tuple[str | None, int | None]:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.source, current.line
        current = current.parent
    return None, None


def refuse_unsafe_links(app: Sphinx, doctree: nodes.document) -> None:
    """Replace unsafe references in our blocks by their text, with a warning."""
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri")
        if not uri:
            continue
        # Judge the URL first: it is cheap, and nearly always fine, so the walk
        # up the tree to see whether the link is inside our block rarely runs.
        problem = url_problem(uri)
        if problem is None or not _ours(ref):
            continue
        source, line = _location(ref)
        warn(f"link refused: {problem}", "url", (source or doctree.get("source"), line))
        ref.replace_self(nodes.inline(ref.astext(), ref.astext(), classes=["opsboundary-refused"]))


def setup_safety(app: Sphinx) -> None:
    app.connect("doctree-read", refuse_unsafe_links)
