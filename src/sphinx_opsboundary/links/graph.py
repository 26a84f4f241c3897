"""The link network as data (SPEC §7.3): nodes and edges, and their exports.

One shape serves the ``related-graph`` drawing, the checker's JSON report
(``graph``) and ``check --graph FILE`` (GraphML or JSON)::

    {"nodes": [{"id", "title", "kind": page|broken|external|remote, "orphan"}],
     "edges": [{"source", "target", "kind": related|side, "status", "two_way"}]}

Everything is sorted, so the same project gives the same bytes on every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from .network import Network, compute, matches, title_of

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from .checks import LinkResult

__all__ = ["EMPTY_GRAPH", "graph_data", "graph_of", "to_graphml", "write_graph"]

EMPTY_GRAPH: dict[str, list[Any]] = {"nodes": [], "edges": []}


def _target(env: BuildEnvironment, result: LinkResult) -> tuple[str, str | None, str]:
    """``(node id, title, kind)`` of the node a link points to."""
    link = result.link
    if result.status == "broken":
        return f"broken:{link.raw}", link.raw, "broken"
    if link.kind == "url":
        return link.target, link.title or link.target, "external"
    if link.kind == "remote":
        return link.target + (f"#{link.anchor}" if link.anchor else ""), link.title, "remote"
    docname = result.resolved or link.target
    return docname, title_of(env, docname), "page"


def graph_data(
    env: BuildEnvironment, network: Network, pages: Sequence[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The network, whole or restricted to the pages matching *pages* (globs).

    Without globs the nodes are every page that has or receives a link, and
    every orphan (§7.2); with globs, the matching pages, the edges between them
    and the broken or external targets of their links.
    """
    orphans = set(network.orphans)
    nodes: dict[str, dict[str, Any]] = {}
    chosen: set[str] | None = None
    if pages:
        chosen = {doc for doc in env.all_docs if matches(list(pages), doc)}
        for doc in chosen:
            nodes[doc] = _page(env, doc, orphans)
    else:
        for doc in orphans:
            nodes[doc] = _page(env, doc, orphans)
    related = {
        (r.link.docname, r.resolved)
        for r in network.results
        if r.link.origin == "related" and r.status != "broken" and r.link.kind in {"doc", "ref"}
    }
    edges: list[dict[str, Any]] = []
    for result in network.results:
        link = result.link
        source = link.docname
        target, title, kind = _target(env, result)
        if chosen is not None and (
            source not in chosen or (kind == "page" and target not in chosen)
        ):
            continue
        if source not in nodes:
            nodes[source] = _page(env, source, orphans)
        if target not in nodes:
            if kind == "page":
                nodes[target] = _page(env, target, orphans)
            else:
                nodes[target] = {"id": target, "title": title, "kind": kind, "orphan": False}
        two_way = (
            link.origin == "related"
            and kind == "page"
            and target != source
            and (target, source) in related
        )
        edges.append(
            {
                "source": source,
                "target": target,
                "kind": link.origin,
                "status": result.status,
                "two_way": two_way,
            }
        )
    edges.sort(key=lambda e: (e["source"], e["target"], e["kind"], e["status"]))
    return {"nodes": [nodes[key] for key in sorted(nodes)], "edges": edges}


def graph_fingerprint(env: BuildEnvironment, network: Network, graphs: list[Any]) -> str:
    """What a page's graphs show; a change makes the page re-written."""
    shown = [graph_data(env, network, pages or None) for pages in graphs]
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def graph_of(env: BuildEnvironment, results: list[LinkResult]) -> dict[str, list[Any]]:
    """The whole network of already judged *results* (the checker's ``graph``)."""
    return graph_data(env, compute(env, results))


def _page(env: BuildEnvironment, docname: str, orphans: set[str]) -> dict[str, Any]:
    title = env.titles.get(docname)
    text = title.astext().strip() if title is not None else ""
    return {"id": docname, "title": text or None, "kind": "page", "orphan": docname in orphans}


def to_graphml(graph: dict[str, list[dict[str, Any]]]) -> str:
    """GraphML (yEd, Gephi, networkx) with every node and edge field as data."""
    keys = [
        ("n_title", "node", "title", "string"),
        ("n_kind", "node", "kind", "string"),
        ("n_orphan", "node", "orphan", "boolean"),
        ("e_kind", "edge", "kind", "string"),
        ("e_status", "edge", "status", "string"),
        ("e_two_way", "edge", "two_way", "boolean"),
    ]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    for key, domain, name, typ in keys:
        out.append(f'  <key id="{key}" for="{domain}" attr.name="{name}" attr.type="{typ}"/>')
    out.append('  <graph id="opsboundary" edgedefault="directed">')

    def data(key: str, value: Any) -> str:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return f'<data key="{key}">{escape(text)}</data>'

    for node in graph["nodes"]:
        fields = [data("n_kind", node["kind"]), data("n_orphan", node["orphan"])]
        if node["title"] is not None:
            fields.insert(0, data("n_title", node["title"]))
        out.append(f"    <node id={quoteattr(node['id'])}>{''.join(fields)}</node>")
    for index, edge in enumerate(graph["edges"]):
        fields = [
            data("e_kind", edge["kind"]),
            data("e_status", edge["status"]),
            data("e_two_way", edge["two_way"]),
        ]
        out.append(
            f'    <edge id="e{index}" source={quoteattr(edge["source"])} '
            f"target={quoteattr(edge['target'])}>{''.join(fields)}</edge>"
        )
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


def write_graph(graph: dict[str, list[dict[str, Any]]], path: str) -> None:
    """Write *graph* as GraphML (``.graphml``) or JSON (anything else)."""
    if path.lower().endswith(".graphml"):
        text = to_graphml(graph)
    else:
        text = json.dumps(graph, indent=2, ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
