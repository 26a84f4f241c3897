"""What the transcript check shows on the page (SPEC §6).

A post-transform, so it runs for every builder on the resolved doctree, after
:mod:`.quotes` judged every citation.  A citing node is matched to its citation by
the page it comes from and its id (the citation's ``node_id``).

* every builder: the card names the chapter of the cited moment;
* HTML only: a verified card gets the class ``opsboundary-verified`` and a short
  visible note, and the role's mention carries the chapter as its tooltip
  (``title``), through :class:`opsboundary_titled`, an ``inline`` that the HTML
  writer gives a ``title`` attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform

from .quotes import outcome_by_key

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

_ = get_translation("sphinx_opsboundary")

__all__ = ["ShowQuoteOutcomes", "opsboundary_titled", "setup_verified"]


class opsboundary_titled(nodes.inline):
    """An inline with a tooltip: ``<span title="…">`` in HTML (HTML builders only)."""


def _visit_titled_html(self: HTML5Translator, node: opsboundary_titled) -> None:
    self.body.append(self.starttag(node, "span", "", title=node.get("title", "")))


def _depart_titled_html(self: HTML5Translator, node: opsboundary_titled) -> None:
    self.body.append("</span>")


def _citing(node: nodes.Node) -> bool:
    classes = node.get("classes", ()) if isinstance(node, nodes.Element) else ()
    return "opsboundary-episode" in classes or "opsboundary-episode-mention" in classes


def _citing_nodes(document: nodes.document, docname: str) -> list[tuple[nodes.Element, str]]:
    """Every card and mention with the page it comes from.

    LaTeX, Texinfo and singlehtml assemble many pages into one tree, each inside
    a ``start_of_file`` node; Sphinx moves the pages' children there without
    updating their ``parent``, so the page is tracked on the way down instead.
    """
    found: list[tuple[nodes.Element, str]] = []
    stack: list[tuple[nodes.Element, str]] = [(document, docname)]
    while stack:
        node, page = stack.pop()
        for child in reversed(node.children):
            if not isinstance(child, nodes.Element):
                continue
            if isinstance(child, addnodes.start_of_file):
                stack.append((child, str(child["docname"])))
                continue
            if _citing(child):
                found.append((child, page))
            stack.append((child, page))
    return found


class ShowQuoteOutcomes(SphinxPostTransform):
    """Chapter names, the verified mark and the role's tooltip, from the judged outcomes."""

    default_priority = 420

    def run(self, **kwargs: Any) -> None:
        html = self.app.builder.format == "html"
        for node, docname in _citing_nodes(self.document, self.env.docname):
            ids: list[str] = node.get("ids", [])
            found = [outcome_by_key(self.env, f"{docname}#{node_id}") for node_id in ids]
            outcome = next((f for f in found if f is not None), None)
            if outcome is None:
                continue
            classes: list[str] = node.get("classes", [])
            if "opsboundary-episode" in classes:
                self._card(node, outcome.chapter, html and outcome.status == "verified")
            elif html and outcome.chapter:
                self._tooltip(node, str(_("Chapter: %s")) % outcome.chapter)

    def _card(self, card: nodes.Element, chapter: str | None, verified: bool) -> None:
        attribution = next(
            (
                child
                for child in card.children
                if isinstance(child, nodes.paragraph)
                and "opsboundary-episode-attribution" in child.get("classes", [])
            ),
            None,
        )
        if chapter and attribution is not None:
            attribution += nodes.Text(", ")
            label = str(_("chapter “%s”")) % chapter
            attribution += nodes.inline("", label, classes=["opsboundary-episode-chapter"])
        if verified:
            card["classes"].append("opsboundary-verified")
            note = str(_("checked against the transcript"))
            card += nodes.paragraph("", note, classes=["opsboundary-verified-note"])

    def _tooltip(self, mention: nodes.Element, title: str) -> None:
        children = list(mention.children)
        mention.clear()
        titled = opsboundary_titled("", "", *children)
        titled.attributes.update(mention.attributes)
        titled["title"] = title
        mention.replace_self(titled)


def setup_verified(app: Sphinx) -> None:
    app.add_node(opsboundary_titled, html=(_visit_titled_html, _depart_titled_html))
    app.add_post_transform(ShowQuoteOutcomes)
