"""The ``related-graph`` directive (SPEC §7.3): the link network, drawn by Graphviz.

At read time the directive leaves a placeholder and notes its page (so the page
is re-written when the network changes).  At ``doctree-resolved`` the
placeholder becomes, for HTML builders, an inline SVG laid out by ``dot`` (run
as a subprocess, as :mod:`sphinx.ext.graphviz` does, honouring
``graphviz_dot``), and for every other builder, or when ``dot`` is missing or
fails, the same network as a nested list of links.

The SVG is made accessible and theme-aware after layout: a ``<title>`` and a
``<desc>``, nodes that are keyboard-focusable links named by the page titles,
and colours left to CSS classes that use the ``--ob-*`` theme bridge.  Comments
(which name the Graphviz version) are dropped, so the output depends only on
the network: byte-identical across runs and ``-j``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import subprocess
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from .. import diagnostics
from .backlinks import name_and_classes, record_flag
from .graph import graph_data
from .network import network_of, page_flags

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("sphinx_opsboundary")

__all__ = ["RelatedGraph", "setup_graph"]

MARK = "opsboundary_graph"
_SVG_CACHE: dict[str, str | None] = {}


class RelatedGraph(SphinxDirective):
    """``related-graph``: the network of the project (or of ``:pages:``)."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "pages": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["opsboundary-graph"])
        self.set_source_info(container)
        name_and_classes(self, container)
        pages: list[str] = []
        if "pages" in self.options:
            # Like link targets: relative to this page's folder, or absolute with "/".
            folder = posixpath.dirname(self.env.docname)
            pages = [
                g.lstrip("/")
                if g.startswith("/")
                else posixpath.normpath(posixpath.join(folder, g))
                for g in re.split(r"[\s,]+", self.options["pages"])
                if g
            ]
            if not pages:
                diagnostics.warn(
                    "related-graph :pages: is empty; list docname globs such as "
                    "'ops/*, index', or leave the option out for every linked page",
                    "syntax",
                    diagnostics.option_line(self, "pages"),
                )
        caption = (self.options.get("caption") or "").strip()
        if caption:
            text_nodes, messages = self.parse_inline(caption, lineno=self.lineno)
            container += nodes.rubric(
                caption, "", *text_nodes, classes=["opsboundary-graph-caption"]
            )
            container += messages
        source, line = diagnostics.directive_location(self)
        container[MARK] = {
            "pages": pages,
            "caption": caption,
            "id": f"opsboundary-graph-{self.env.new_serialno('opsboundary-graph')}",
            "source": source or "",
            "line": line,
        }
        record_flag(self.env, "graphs", pages)
        return [container]


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


def _q(text: str) -> str:
    """A DOT double-quoted string (labels: backslashes kept literal)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _drawn(graph: dict[str, Any]) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Pages and broken targets, and one edge per (pair, kind): two-way ones once."""
    shown = [n for n in graph["nodes"] if n["kind"] in {"page", "broken"}]
    ids = {n["id"] for n in shown}
    edges: dict[tuple[str, str, str], tuple[str, str, str, bool, bool]] = {}
    for edge in graph["edges"]:
        source, target, kind = edge["source"], edge["target"], edge["kind"]
        if target not in ids or source not in ids or source == target:
            continue
        if edge["status"] in {"self", "duplicate"}:
            continue
        broken = edge["status"] == "broken"
        if edge["two_way"]:
            source, target = sorted((source, target))
        key = (source, target, kind)
        if key not in edges:
            edges[key] = (source, target, kind, bool(edge["two_way"]), broken)
    return shown, [edges[key] for key in sorted(edges)]


def dot_source(graph: dict[str, Any], gid: str, name: str, uris: dict[str, str]) -> str:
    """The DOT text for *graph*; *uris* maps page ids to their (relative) URIs."""
    shown, edges = _drawn(graph)
    number = {node["id"]: index for index, node in enumerate(shown, 1)}
    out = [
        f"digraph {_q(name)} {{",
        f'  graph [id={_q(gid)}, rankdir=LR, bgcolor="transparent", fontname="sans-serif",'
        " nodesep=0.3, ranksep=0.6];",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#57606a",'
        ' fontcolor="#1f2328", fontname="sans-serif", fontsize=11];',
        '  edge [color="#57606a", arrowsize=0.7];',
    ]
    for node in shown:
        nid = f"{gid}-n{number[node['id']]}"
        if node["kind"] == "broken":
            label = node["title"] or node["id"]
            out.append(
                f"  {_q(node['id'])} [id={_q(nid)}, label={_q(label)}, "
                f'class="broken", style="rounded,dashed", color="#cf222e", fontcolor="#cf222e"];'
            )
            continue
        title = node["title"] or node["id"]
        label = f"{title}\\n({_('orphan')})" if node["orphan"] else title
        classes = "page orphan" if node["orphan"] else "page"
        attrs = [f"id={_q(nid)}", f"class={_q(classes)}", f"tooltip={_q(title)}"]
        attrs.append("label=" + _q(label).replace("\\\\n", "\\n"))
        if node["orphan"]:
            attrs.append("peripheries=2")
        if node["id"] in uris:
            attrs.append(f"URL={_q(uris[node['id']])}")
        out.append(f"  {_q(node['id'])} [{', '.join(attrs)}];")
    for index, (source, target, kind, two_way, broken) in enumerate(edges, 1):
        attrs = [f'id="{gid}-e{index}"']
        kinds = [kind]
        if kind == "side":
            attrs.append('style="dashed"')
        if two_way:
            attrs.append('dir="both"')
            kinds.append("two-way")
        if broken:
            attrs.append('color="#cf222e"')
            kinds.append("broken")
        attrs.append(f"class={_q(' '.join(kinds))}")
        out.append(f"  {_q(source)} -> {_q(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_command(app: Sphinx) -> str:
    config = app.config
    if "graphviz_dot" in config:
        return str(config.graphviz_dot or "dot")
    return str(getattr(config, "_raw_config", {}).get("graphviz_dot") or "dot")


#: Above this many drawn nodes or edges dot's layered layout (superlinear: more
#: than five minutes for a 2,000-page wiki) gives way to Graphviz's force-directed
#: sfdp engine, run by the same ``dot`` command with ``-Ksfdp`` and a fixed seed,
#: so the drawing stays deterministic.
LARGE_GRAPH = (150, 600)
_LARGE_FLAGS = ["-Ksfdp", "-Goverlap=prism", "-Gsplines=false", "-Gstart=7"]


def run_dot(command: str, source: str, large: bool = False) -> tuple[str | None, str]:
    """``(svg, "")`` or ``(None, reason)``; cached by the DOT text and the command."""
    flags = ["-Tsvg", *(_LARGE_FLAGS if large else [])]
    key = hashlib.sha256(f"{command}\0{flags}\0{source}".encode()).hexdigest()
    if key in _SVG_CACHE and _SVG_CACHE[key] is not None:
        return _SVG_CACHE[key], ""
    try:
        done = subprocess.run(
            [command, *flags], input=source.encode(), capture_output=True, timeout=300
        )
    except OSError as err:
        return None, f"Graphviz's dot ({command!r}) cannot be run: {err.strerror or err}"
    except subprocess.TimeoutExpired:
        return None, f"Graphviz's dot ({command!r}) took longer than 300 s"
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {done.returncode}"
        return None, f"Graphviz's dot ({command!r}) failed: {reason}"
    svg = done.stdout.decode("utf-8", errors="replace")
    _SVG_CACHE[key] = svg
    return svg, ""


def finish_svg(svg: str, gid: str, title: str, desc: str) -> str:
    """Strip the prolog and comments; add ``<title>``/``<desc>`` and ARIA wiring."""
    svg = svg[svg.find("<svg") :]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    head_end = svg.find(">") + 1
    head = svg[:head_end]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head = head.replace(
        "<svg",
        f'<svg class="opsboundary-graph-svg" role="group" aria-labelledby="{gid}-title" '
        f'aria-describedby="{gid}-desc"',
        1,
    )
    extra = (
        f'\n<title id="{gid}-title">{_esc(title)}</title>'
        f'\n<desc id="{gid}-desc">{_esc(desc)}</desc>'
    )
    return head + extra + svg[head_end:]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _summary(graph: dict[str, Any]) -> str:
    shown, edges = _drawn(graph)
    pages = sum(1 for n in shown if n["kind"] == "page")
    return _(
        "%(pages)d pages and %(links)d links. Solid arrows are related links, dashed "
        "arrows boundary-table sides, double-headed arrows two-way links, red edges "
        "broken links to the target as written; a double border marks an orphan page. "
        "Each page is a link to it."
    ) % {"pages": pages, "links": len(edges)}


def as_list(app: Sphinx, docname: str, graph: dict[str, Any]) -> nodes.bullet_list:
    """The network as a nested list: each page, then where it links."""
    shown, edges = _drawn(graph)
    by_id = {n["id"]: n for n in shown}
    out: dict[str, list[tuple[str, str, str, bool, bool]]] = {}
    for edge in edges:
        out.setdefault(edge[0], []).append(edge)
        if edge[3]:
            out.setdefault(edge[1], []).append((edge[1], edge[0], edge[2], True, edge[4]))

    def link(node: dict[str, Any]) -> nodes.Node:
        title = node["title"] or node["id"]
        if node["kind"] != "page":
            return nodes.inline(title, title, classes=["opsboundary-broken"])
        ref = make_refnode(app.builder, docname, node["id"], None, nodes.inline(title, title))
        ref["classes"].append("opsboundary-link")
        return ref

    pages = sorted(
        (n for n in shown if n["kind"] == "page"), key=lambda n: ((n["title"] or n["id"]), n["id"])
    )
    top = nodes.bullet_list(classes=["opsboundary-graph-list"])
    for node in pages:
        para = nodes.paragraph("", "", link(node))
        if node["orphan"]:
            para += nodes.Text(f" ({_('orphan')})")
        item = nodes.list_item("", para)
        targets = sorted(out.get(node["id"], []), key=lambda e: by_id[e[1]]["title"] or e[1])
        if targets:
            sub = nodes.bullet_list()
            for _source, target, kind, two_way, broken in targets:
                para = nodes.paragraph("", "", link(by_id[target]))
                notes = [_("two-way")] if two_way else []
                if kind == "side":
                    notes.append(_("side"))
                if broken:
                    notes.append(_("broken"))
                if notes:
                    para += nodes.Text(f" ({', '.join(notes)})")
                sub += nodes.list_item("", para)
            item += sub
        top += item
    return top


def fill_graphs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each placeholder with the SVG (HTML) or the nested list."""
    env = app.env
    if not page_flags(env, docname).get("graphs") and not _assembled(app):
        return  # most pages hold no graph: do not walk their doctree
    holders = [n for n in doctree.findall(nodes.container) if MARK in n.attributes]
    if not holders:
        return
    network = network_of(env)
    html = getattr(app.builder, "format", "") == "html"
    for holder in holders:
        spec = holder.attributes.pop(MARK)
        graph = graph_data(env, network, spec["pages"] or None)
        if html:
            uris = {
                n["id"]: app.builder.get_relative_uri(docname, n["id"]) or "#"
                for n in graph["nodes"]
                if n["kind"] == "page"
            }  # the page itself: "#", so that every page node stays a link
            title = spec["caption"] or _("Link network of %s") % app.config.project
            source = dot_source(graph, spec["id"], title, uris)
            drawn_nodes, drawn_edges = _drawn(graph)
            large = len(drawn_nodes) > LARGE_GRAPH[0] or len(drawn_edges) > LARGE_GRAPH[1]
            svg, reason = run_dot(_dot_command(app), source, large)
            if svg is not None:
                svg = finish_svg(svg, spec["id"], title, _summary(graph))
                holder += nodes.raw("", svg, format="html")
                continue
            diagnostics.warn(
                f"related-graph cannot be drawn: {reason}; install Graphviz (the "
                "'graphviz' system package) or set graphviz_dot; showing the network "
                "as a list",
                "config",
                (spec["source"] or None, spec["line"]),
            )
        holder += as_list(app, docname, graph)


def _assembled(app: Sphinx) -> bool:
    """singlehtml, latex, texinfo...: one doctree assembled from many pages."""
    return getattr(app.builder, "name", "") in {"singlehtml", "latex", "texinfo", "man", "rinoh"}


def setup_graph(app: Sphinx) -> None:
    """Register ``related-graph`` and its late drawing."""
    app.add_directive("related-graph", RelatedGraph)
    app.connect("doctree-resolved", fill_graphs)
