"""The ``related-paths`` directive: a short, checked list of where to read next.

The body is read line by line (not as an rST list) so that rST and MyST share
one grammar and every entry keeps its own source line for diagnostics::

    - [Title <]target[>] [-- description]

or, as Markdown authors write it, ``- [Title](target) [-- description]``
(:mod:`.mdlink`).

Each target goes through :func:`.targets.make_link`, which records it for the
after-read checks.  Output is a plain container + bullet list that every builder
understands; the ``cards`` layout is a presentation applied late, for HTML only
(see :class:`RelatedCardsTransform`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .. import diagnostics
from ..assets import has_sphinx_design
from .mdlink import MarkdownLinkError, parse_markdown_entry
from .targets import make_link, split_title

_ = get_translation("sphinx_opsboundary")

__all__ = ["RelatedCardsTransform", "RelatedPaths", "parse_entries", "setup_related"]

#: An item marker: ``-`` or ``*`` followed by a space (or nothing: an empty item).
_ITEM = re.compile(r"^(?P<indent>\s*)[-*](?:\s+|$)")
#: The separator between target and description: `` -- `` or `` — ``.
#: Lookarounds instead of consumed spaces: a run of spaces is never re-scanned
#: from each of its positions (linear time); callers strip the sides anyway.
_SEPARATOR = re.compile(r"(?<!\S)(?:--|—)(?!\S)")
LAYOUTS = ("list", "cards")


class Entry:
    """One parsed item: its first content line (0-based) and its joined text."""

    __slots__ = ("index", "text")

    def __init__(self, index: int, text: str) -> None:
        self.index = index
        self.text = text


def parse_entries(lines: list[str]) -> tuple[list[Entry], list[int]]:
    """Split body lines into entries; also return the indexes of stray lines.

    An item starts with ``- `` or ``* ``; a line indented deeper than its marker
    continues it; blank lines are allowed anywhere.  Any other line is stray.
    """
    entries: list[Entry] = []
    stray: list[int] = []
    indent: int | None = None
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        this_indent = len(line) - len(line.lstrip())
        match = _ITEM.match(line)
        if indent is not None and this_indent > indent and entries:
            entries[-1].text += " " + line.strip()
            continue
        if match is None:
            stray.append(index)
            indent = None
            continue
        indent = this_indent
        entries.append(Entry(index, line[match.end() :].strip()))
    return entries, stray


def split_entry(text: str) -> tuple[str, str]:
    """``(target part, description)``; the separator is the first one after the target.

    A title may contain ``--`` itself (``A -- B <page> -- why``), so when the text
    has a ``<target>`` the separator after its closing ``>`` wins.
    """
    close = text.find("> ")
    candidates = list(_SEPARATOR.finditer(text))
    if not candidates:
        return text.strip(), ""
    chosen = candidates[0]
    if close != -1:
        for match in candidates:
            if match.start() > close:
                chosen = match
                break
    return text[: chosen.start()].strip(), text[chosen.end() :].strip()


class RelatedPaths(SphinxDirective):
    """``related-paths``: entries of ``[Title <]target[>] [-- description]``."""

    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[dict[str, Any]] = {
        "caption": directives.unchanged,
        "layout": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        layout = self._layout()
        container = nodes.container(classes=["opsboundary-related", *self._classes()])
        container["opsboundary_layout"] = layout
        self.set_source_info(container)
        if self.options.get("name", "").strip():
            self.options["name"] = self.options["name"].strip()
            self.add_name(container)

        caption = self.options.get("caption")
        caption = _("Related paths") if caption is None else caption.strip()
        if caption:
            text_nodes, messages = self.parse_inline(caption, lineno=self.lineno)
            rubric = nodes.rubric(caption, "", *text_nodes, classes=["opsboundary-related-caption"])
            if self.options.get("caption") is not None:  # the author's words: translatable
                self.set_source_info(rubric)
            container += rubric
            container += messages

        group = f"related-{self.env.new_serialno('opsboundary-related')}"
        entries, stray = parse_entries(list(self.content))
        for index in stray:
            diagnostics.warn(
                "related-paths line is not a list item; start each entry with '- ' "
                "(continuation lines must be indented further than the '-')",
                "syntax",
                diagnostics.content_line(self, index),
            )
        items = nodes.bullet_list(classes=["opsboundary-related-list"])
        for entry in entries:
            item = self._item(entry, group)
            if item is not None:
                items += item
        if len(items):
            container += items
        return [container]

    # -- options ------------------------------------------------------------

    def _classes(self) -> list[str]:
        raw = self.options.get("class") or ""
        return [nodes.make_id(part) for part in raw.split() if nodes.make_id(part)]

    def _layout(self) -> str:
        raw = (self.options.get("layout") or "list").strip().lower()
        if raw not in LAYOUTS:
            diagnostics.warn(
                diagnostics.unknown_layout("related-paths", raw, LAYOUTS),
                "syntax",
                diagnostics.option_line(self, "layout"),
            )
            return "list"
        if raw == "cards" and not has_sphinx_design(self.config):
            diagnostics.warn(
                diagnostics.layout_needs_design("related-paths", raw, LAYOUTS[0]),
                "config",
                diagnostics.option_line(self, "layout"),
            )
            return "list"
        return raw

    # -- entries --------------------------------------------------------------

    def _item(self, entry: Entry, group: str) -> nodes.list_item | None:
        location = diagnostics.content_line(self, entry.index)
        try:
            markdown = parse_markdown_entry(entry.text)
        except MarkdownLinkError as err:
            diagnostics.warn(
                f"related-paths entry {entry.text!r}: {err}; "
                "write '[Title](target) -- description'",
                "syntax",
                location,
            )
            return None
        if markdown is not None:
            title, target, description = markdown.title, markdown.target, markdown.description
        else:
            head, description = split_entry(entry.text)
            title, target = split_title(head)
        if not target:
            diagnostics.warn(
                f"related-paths entry {diagnostics.excerpt(entry.text)} has no target; write "
                "'target -- description' or 'Title <target> -- description'",
                "syntax",
                location,
            )
            return None
        link = make_link(self, target, title, group=group, origin="related", location=location)
        para = nodes.paragraph(classes=["opsboundary-related-entry"])
        para += link
        if description:
            desc_nodes, messages = self.parse_inline(description, lineno=location[1])
            para += nodes.Text(" — ")
            para += nodes.inline(
                "",
                "",
                _translatable(nodes.inline(description, "", *desc_nodes), location),
                classes=["opsboundary-related-description"],
            )
            para += messages
        return nodes.list_item("", para)


def _translatable(node: nodes.inline, location: tuple[str | None, int]) -> nodes.inline:
    """Mark a description for gettext: its own message, located at its entry's line.

    The entry's paragraph also holds the link, so the description is offered to
    translators on its own (an inline is only extracted when marked); the
    translation is parsed as the page's own markup, as the original was.  Sphinx
    unwraps marked inlines after translating them (``RemoveTranslatableInline``),
    so the caller wraps this one in the classed inline that must stay.
    """
    node["translatable"] = True
    node.source, node.line = location
    return node


class RelatedCardsTransform(SphinxPostTransform):
    """Present ``:layout: cards`` lists as sphinx-design cards, for HTML only.

    The doctree keeps the list (so every other builder, and the pickled
    doctree, stays plain); at HTML write time each item becomes a grid column
    holding a card whose title is the (resolved, stretched) link.  The markup is
    plain containers carrying sphinx-design's classes, so its CSS styles them.
    """

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if not has_sphinx_design(self.config):
            return
        for container in list(self.document.findall(nodes.container)):
            if container.get("opsboundary_layout") != "cards":
                continue
            for bullet in list(container.findall(nodes.bullet_list)):
                if "opsboundary-related-list" in bullet["classes"]:
                    bullet.replace_self(self._grid(bullet))

    @staticmethod
    def _grid(bullet: nodes.bullet_list) -> nodes.container:
        grid = nodes.container(
            classes=[
                "sd-container-fluid",
                "sd-sphinx-override",
                "sd-mb-4",
                "opsboundary-related-cards",
            ]
        )
        row = nodes.container(
            classes=["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]
        )
        grid += row
        for item in bullet.children:
            para = item.children[0] if item.children else None
            if not isinstance(para, nodes.paragraph):
                continue
            children = list(para.children)
            link, rest = children[0], children[1:]
            if isinstance(link, nodes.reference):
                link["classes"].append("sd-stretched-link")
            title = nodes.container(
                classes=["sd-card-title", "sd-font-weight-bold", "opsboundary-related-card-title"]
            )
            title += nodes.paragraph("", "", link.deepcopy())
            body = nodes.container(classes=["sd-card-body"])
            body += title
            description = [c.deepcopy() for c in rest if not isinstance(c, nodes.Text)]
            if description:
                body += nodes.paragraph("", "", *description, classes=["sd-card-text"])
            card = nodes.container(
                classes=[
                    "sd-card",
                    "sd-sphinx-override",
                    "sd-mb-3",
                    "sd-shadow-sm",
                    "sd-card-hover",
                    "opsboundary-related-card",
                ]
            )
            card += body
            column = nodes.container(classes=["sd-col", "sd-d-flex-row"])
            column += card
            row += column
        return grid


def setup_related(app: Sphinx) -> None:
    """Register the ``related-paths`` directive and its HTML card presentation."""
    app.add_directive("related-paths", RelatedPaths)
    app.add_post_transform(RelatedCardsTransform)
