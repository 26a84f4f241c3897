"""What the transcript check shows on the page (SPEC §6).

A post-transform, so it runs for every builder on the resolved doctree, after
:mod:`.quotes` judged every citation.  Each citing node was stamped at read time
with its citation's key; the stamp is removed here, so no writer sees it.

* every builder: the card names the chapter of the cited moment;
* HTML only: a verified card gets the class ``opsboundary-verified`` and a short
  visible note, and the role's mention carries the chapter as its tooltip
  (``title``), through :class:`opsboundary_titled`, an ``inline`` that the HTML
  writer gives a ``title`` attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform

from .quotes import STAMP, outcome_by_key

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


def _stamped(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and STAMP in node.attributes


class ShowQuoteOutcomes(SphinxPostTransform):
    """Chapter names, the verified mark and the role's tooltip, from the judged outcomes."""

    default_priority = 420

    def run(self, **kwargs: Any) -> None:
        html = self.app.builder.format == "html"
        for node in list(self.document.findall(_stamped)):
            assert isinstance(node, nodes.Element)
            key = str(node.attributes.pop(STAMP))
            outcome = outcome_by_key(self.env, key)
            if outcome is None:
                continue
            classes: list[str] = node.get("classes", [])
            if "opsboundary-episode" in classes:
                self._card(node, outcome.chapter, html and outcome.status == "verified")
            elif "opsboundary-episode-mention" in classes and html and outcome.chapter:
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
