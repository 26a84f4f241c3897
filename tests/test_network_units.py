"""Pure parts of the network: the cross-site target grammar and the GraphML export."""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sphinx_opsboundary.links.graph import to_graphml
from sphinx_opsboundary.links.inventories import RemoteTarget, parse_key, split_remote


class _Config(dict):  # type: ignore[type-arg]
    """Just enough of sphinx.config.Config: ``in`` and attribute access."""

    def __getattr__(self, name: str) -> Any:
        return self[name]


CONFIG = _Config(intersphinx_mapping={"handbook": ("handbook", ("https://h.example.org/", None))})
NAME = st.text(string.ascii_lowercase + string.digits + "-_/", min_size=1, max_size=20).filter(
    lambda s: s.strip("/")
)


def test_split_remote_examples() -> None:
    assert split_remote(CONFIG, "handbook:oncall/escalation") == RemoteTarget(
        "handbook", "doc", "oncall/escalation", None
    )
    assert split_remote(CONFIG, "handbook:oncall/escalation#paging") == RemoteTarget(
        "handbook", "doc", "oncall/escalation", "paging"
    )
    assert split_remote(CONFIG, "ref:handbook:Paging-Policy") == RemoteTarget(
        "handbook", "ref", "paging-policy", None
    )
    # not cross-site: unknown project, URLs, local labels and documents
    for raw in ["other:page", "https://h.example.org/", "ref:label", "page", "handbook://x"]:
        assert split_remote(CONFIG, raw) is None, raw
    assert split_remote(_Config(), "handbook:page") is None  # no intersphinx at all


@given(NAME, st.one_of(st.none(), st.from_regex(r"\A[a-z][a-z0-9-]{0,10}\Z")))
def test_doc_targets_round_trip(name: str, anchor: str | None) -> None:
    raw = f"handbook:{name}" + (f"#{anchor}" if anchor else "")
    target = split_remote(CONFIG, raw)
    assert target is not None
    assert target.name == name.strip("/")
    assert parse_key(target.key, target.anchor) == target


@given(st.text(max_size=30))
def test_unknown_prefixes_are_never_cross_site(text: str) -> None:
    raw = "elsewhere:" + text
    assert split_remote(CONFIG, raw) is None


@given(st.lists(st.text(max_size=15), min_size=1, max_size=5))
def test_graphml_escapes_every_title(titles: list[str]) -> None:
    clean = ["".join(c for c in t if c.isprintable()) for t in titles]
    graph = {
        "nodes": [
            {"id": f"p{i}<&\"'", "title": t, "kind": "page", "orphan": bool(i % 2)}
            for i, t in enumerate(clean)
        ],
        "edges": [
            {
                "source": "p0<&\"'",
                "target": "p0<&\"'",
                "kind": "related",
                "status": "self",
                "two_way": False,
            }
        ],
    }
    root = ET.fromstring(to_graphml(graph).encode())
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = root.findall("g:graph/g:node", ns)
    assert [n.get("id") for n in nodes] == [n["id"] for n in graph["nodes"]]
    for node, title in zip(nodes, clean, strict=True):
        found = {d.get("key"): d.text or "" for d in node}
        assert found["n_title"] == title
