"""Backlinks and orphans (SPEC §7.1, §7.2): "what links here", kept true incrementally.

* ``related-backlinks`` leaves a placeholder; ``opsboundary_backlinks`` adds one
  at the end of every matching page that has none.  Placeholders are filled at
  ``doctree-resolved`` from the judged network (:mod:`.network`), so the block
  lists every page whose related links or boundary sides reach this one, by
  title, each linking to the citing block.
* Each citing block gets a stable id at ``doctree-read`` (its ``:name:``, else
  ``opsboundary-<group>``), recorded on its :class:`~.domain.Link` records.
* At ``env-updated`` (every build) the network is re-judged, orphans are
  reported, and every page whose backlinks or graph changed is returned, so
  Sphinx re-writes it without ``-E``.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from .. import diagnostics
from ..domain import get_domain
from .graph import graph_fingerprint
from .inventories import warn_unloaded
from .network import Backlink, matches, network_of, page_flags, refresh

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_opsboundary")

__all__ = ["RelatedBacklinks", "setup_backlinks"]

PLACEHOLDER = "opsboundary_backlinks"  #: attribute marking a block to fill
_PRINTS = "backlink_fingerprints"  #: global bucket: docname -> digest of what it shows


def record_flag(env: BuildEnvironment, key: str, value: Any) -> None:
    """Note in the domain that the current page holds a backlinks block or a graph."""
    bucket = get_domain(env).data.setdefault("network", {})
    flags = bucket.setdefault(env.docname, {})
    if key == "graphs":
        flags.setdefault("graphs", []).append(value)
    else:
        flags[key] = value


def name_and_classes(directive: SphinxDirective, container: nodes.Element) -> None:
    """``:name:`` (a target id) and ``:class:`` on *container*."""
    raw = directive.options.get("class") or ""
    container["classes"].extend(p for p in (nodes.make_id(c) for c in raw.split()) if p)
    if directive.options.get("name", "").strip():
        directive.options["name"] = directive.options["name"].strip()
        directive.add_name(container)


class RelatedBacklinks(SphinxDirective):
    """``related-backlinks``: the "Linked from" block, placed here."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["opsboundary-backlinks"])
        container[PLACEHOLDER] = True
        self.set_source_info(container)
        name_and_classes(self, container)
        caption = self.options.get("caption")
        caption = _("Linked from") if caption is None else caption.strip()
        if caption:
            text_nodes, messages = self.parse_inline(caption, lineno=self.lineno)
            container += nodes.rubric(
                caption, "", *text_nodes, classes=["opsboundary-backlinks-caption"]
            )
            container += messages
        record_flag(self.env, "backlinks", True)
        return [container]


# --------------------------------------------------------------------------
# Read time: ids for the citing blocks
# --------------------------------------------------------------------------


def _block_of(node: nodes.Element) -> nodes.Element | None:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.table) or (
            isinstance(parent, nodes.container) and "opsboundary-related" in parent["classes"]
        ):
            return parent
        parent = parent.parent
    return None


def mark_blocks(app: Sphinx, doctree: nodes.document) -> None:
    """Give every citing block an id and record it on its links."""
    env = app.env
    ids: dict[str, str] = {}
    for node in doctree.findall(nodes.Element):
        group = node.get("opsboundary_group") if isinstance(node, nodes.Element) else None
        if not group or group in ids:
            continue
        block = _block_of(node)
        if block is None:
            continue
        if not block["ids"]:
            base = candidate = f"opsboundary-{group}"
            serial = 1
            while candidate in doctree.ids:
                serial += 1
                candidate = f"{base}-{serial}"
            block["ids"].append(candidate)
            doctree.ids[candidate] = block
        ids[group] = block["ids"][0]
    for link in get_domain(env).links.get(env.docname, []):
        link.block = ids.get(link.group, "")


# --------------------------------------------------------------------------
# Write time: fill the blocks
# --------------------------------------------------------------------------


def _assembled(app: Sphinx) -> bool:
    """Builders that resolve one doctree assembled from many pages."""
    return getattr(app.builder, "name", "") in {"singlehtml", "latex", "texinfo", "man", "rinoh"}


def _items(app: Sphinx, docname: str, backlinks: list[Backlink]) -> nodes.Element:
    if not backlinks:
        text = _("No page links here yet.")
        return nodes.paragraph(text, text, classes=["opsboundary-backlinks-empty"])
    items = nodes.bullet_list(classes=["opsboundary-backlinks-list"])
    for backlink in backlinks:
        label = nodes.inline(backlink.title, backlink.title)
        ref = make_refnode(app.builder, docname, backlink.docname, backlink.block or None, label)
        ref["classes"].extend(["opsboundary-link", "internal"])
        items += nodes.list_item("", nodes.paragraph("", "", ref))
    return items


def _owner(node: nodes.Node, default: str) -> str:
    """The page a node came from, in a doctree assembled from many pages."""
    parent = node.parent
    while parent is not None:
        # inline_all_toctrees marks each included page's sections with "docname"
        # (and moves children into start_of_file without re-parenting them).
        if isinstance(parent, addnodes.start_of_file | nodes.section) and parent.get("docname"):
            return str(parent["docname"])
        parent = parent.parent
    return default


def fill_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill explicit blocks; add the automatic one where the setting asks for it.

    For builders that assemble one doctree from many pages (singlehtml, LaTeX...)
    each included page is handled where it starts (``start_of_file``).
    """
    env = app.env
    rule = app.config.opsboundary_backlinks
    assembled = _assembled(app)
    placeholders: list[nodes.container] = []
    if page_flags(env, docname).get("backlinks") or assembled:
        placeholders = [
            node for node in doctree.findall(nodes.container) if node.get(PLACEHOLDER) is True
        ]
    if not placeholders and not rule:
        return
    incoming = network_of(env).incoming
    explicit: set[str] = set()
    for node in placeholders:
        owner = _owner(node, docname) if assembled else docname
        explicit.add(owner)
        node += _items(app, docname, incoming.get(owner, []))
        del node[PLACEHOLDER]
    pages: list[tuple[nodes.Element, str]] = [(doctree, docname)]
    if assembled:
        pages += [(n, str(n["docname"])) for n in doctree.findall(addnodes.start_of_file)]
    for root, owner in pages:
        backlinks = incoming.get(owner, [])
        if owner in explicit or not backlinks or not matches(rule, owner):
            continue
        caption = _("Linked from")
        block = nodes.container(classes=["opsboundary-backlinks", "opsboundary-backlinks-auto"])
        block += nodes.rubric(caption, caption, classes=["opsboundary-backlinks-caption"])
        block += _items(app, docname, backlinks)
        sections = [child for child in root.children if isinstance(child, nodes.section)]
        (sections[-1] if sections else root).append(block)


# --------------------------------------------------------------------------
# After reading: orphans, and pages to re-write
# --------------------------------------------------------------------------


def _title_line(env: BuildEnvironment, docname: str) -> tuple[str, int]:
    source = env.doc2path(docname).as_posix()
    try:
        doctree = env.get_doctree(docname)
    except Exception:  # pragma: no cover - a missing pickle: the file's first line
        return source, 1
    for title in doctree.findall(nodes.title):
        where, line = title.source or source, title.line or 1
        # rST gives the underline's line: step back to the line holding the text.
        text = title.astext().strip()
        lines = diagnostics._file_lines(where)
        for candidate in (line, line - 1):
            if 0 < candidate <= len(lines) and lines[candidate - 1].strip().endswith(text):
                return where, candidate
        return where, line
    return source, 1


def _digest(value: Any) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def after_read(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Re-judge the network; warn about orphans; return pages whose blocks changed."""
    rule = app.config.opsboundary_backlinks
    domain = get_domain(env)
    links = list(domain.all_links())
    warn_unloaded(env, links)
    if not (rule or app.config.opsboundary_require_incoming or domain.data.get("network")):
        domain.data[_PRINTS] = {}  # nothing shows the network: judge nothing twice
        return []
    network = refresh(env)
    for docname in network.orphans:
        diagnostics.warn(
            f"page {docname!r} is not linked from any other page's related-paths or "
            "boundary-table sides; add it to a related list (required by "
            "opsboundary_require_incoming)",
            "orphan",
            _title_line(env, docname),
        )
    old: dict[str, str] = domain.data.get(_PRINTS, {})
    new: dict[str, str] = {}
    for docname in env.all_docs:
        flags = page_flags(env, docname)
        shown: list[Any] = []
        if flags.get("backlinks") or matches(rule, docname):
            shown.append(network.incoming.get(docname, []))
        if flags.get("graphs"):
            shown.append(graph_fingerprint(env, network, flags["graphs"]))
        if shown:
            new[docname] = _digest(shown)
    domain.data[_PRINTS] = new
    return sorted(
        doc for doc in set(old) | set(new) if old.get(doc) != new.get(doc) and doc in env.all_docs
    )


def validate_config(app: Sphinx, config: Config) -> None:
    """``opsboundary_backlinks`` and ``opsboundary_require_incoming``; bad values warn."""
    for name, allow_bool in (
        ("opsboundary_backlinks", True),
        ("opsboundary_require_incoming", False),
    ):
        value = getattr(config, name)
        good = (allow_bool and isinstance(value, bool)) or (
            isinstance(value, list | tuple) and all(isinstance(g, str) for g in value)
        )
        if good:
            continue
        shape = "True, False or a list of docname globs" if allow_bool else "a list of globs"
        fallback: Any = False if allow_bool else []
        diagnostics.warn(
            f"{name} must be {shape}, not {value!r}; using {fallback!r}",
            "config",
            diagnostics.conf_location(app.confdir, name),
        )
        setattr(config, name, fallback)


def setup_backlinks(app: Sphinx) -> None:
    """Register the settings, the directive and the three events."""
    app.add_config_value("opsboundary_backlinks", False, "env", types=(bool, list, tuple))
    app.add_config_value("opsboundary_require_incoming", [], "env", types=(list, tuple))
    app.add_directive("related-backlinks", RelatedBacklinks)
    app.connect("config-inited", validate_config)
    app.connect("doctree-read", mark_blocks)
    app.connect("doctree-resolved", fill_backlinks)
    app.connect("env-updated", after_read)
