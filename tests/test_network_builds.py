"""The network under real builds: incremental truth, ``-j``, the checker's graph export."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reliability.build import compare_pages, html_pages, sphinx_build, without_sphinx_relations
from sphinx_opsboundary.__main__ import main as cli_main

ROOT = Path(__file__).parent / "roots" / "test-network"


def _copy(tmp_path: Path, name: str = "src") -> Path:
    src = tmp_path / name
    shutil.copytree(ROOT, src)
    return src


def _fresh_pages(src: Path, work: Path) -> dict[str, bytes]:
    copy = work / "fresh-src"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    out = work / "fresh-out"
    if out.exists():
        shutil.rmtree(out)
    result = sphinx_build(copy, out, fresh=True, doctreedir=work / "fresh-doctrees")
    assert result.returncode == 0, result.stderr
    return without_sphinx_relations(html_pages(out))


def _retitle(src: Path) -> None:
    for path, mark in ((src / "rst/beta.rst", "===="), (src / "md/beta.md", "#")):
        text = path.read_text(encoding="utf-8")
        if mark == "#":
            text = text.replace("# Beta", "# Aardvark", 1)
        else:
            text = text.replace("Beta\n====", "Aardvark\n========", 1)
        path.write_text(text, encoding="utf-8")


def _add(src: Path) -> None:
    (src / "rst/gamma.rst").write_text(
        "Gamma\n=====\n\n.. related-paths::\n\n   - hub\n   - lonely\n", encoding="utf-8"
    )
    (src / "md/gamma.md").write_text(
        "# Gamma\n\n```{related-paths}\n- hub\n- lonely\n```\n", encoding="utf-8"
    )


def _remove(src: Path) -> None:
    (src / "rst/alpha.rst").unlink()
    (src / "md/alpha.md").unlink()
    index = src / "index.rst"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("   rst/alpha\n", "").replace("   md/alpha\n", ""), "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("edit", [_add, _retitle, _remove], ids=["add", "retitle", "remove"])
def test_incremental_equals_fresh(tmp_path: Path, edit: object) -> None:
    src = _copy(tmp_path)
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    first = sphinx_build(src, out, doctreedir=doctrees)
    assert first.returncode == 0, first.stderr
    before = html_pages(out)
    edit(src)  # type: ignore[operator]
    again = sphinx_build(src, out, doctreedir=doctrees)
    assert again.returncode == 0, again.stderr
    pages = without_sphinx_relations(html_pages(out))
    for gone in set(pages) - set(_fresh_pages(src, tmp_path)):
        pages.pop(gone)  # Sphinx leaves a removed page's old HTML file behind
    fresh = _fresh_pages(src, tmp_path)
    assert compare_pages(pages, fresh) == []
    # the backlinks really changed where they had to
    for fmt in ("rst", "md"):
        assert pages[f"{fmt}/hub.html"] != before[f"{fmt}/hub.html"]
    assert pages["index.html"] != without_sphinx_relations(before)["index.html"]


@pytest.mark.slow
def test_parallel_builds_are_byte_identical(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    one = sphinx_build(src, tmp_path / "j1", fresh=True, doctreedir=tmp_path / "d1")
    four = sphinx_build(src, tmp_path / "j4", jobs=4, fresh=True, doctreedir=tmp_path / "d4")
    assert one.returncode == four.returncode == 0, four.stderr
    assert compare_pages(html_pages(tmp_path / "j1"), html_pages(tmp_path / "j4")) == []
    assert sorted(one.warnings) == sorted(four.warnings)
    assert b"<svg" in html_pages(tmp_path / "j4")["index.html"]


# --------------------------------------------------------------------------
# The checker: JSON report and --graph
# --------------------------------------------------------------------------


def _edge(graph: dict, source: str, target: str, kind: str) -> dict:
    found = [
        e for e in graph["edges"] if (e["source"], e["target"], e["kind"]) == (source, target, kind)
    ]
    assert len(found) == 1, found
    return found[0]


def test_checker_json_carries_the_graph(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    result = sphinx_build(src, tmp_path / "out", builder="opsboundary-check")
    assert result.returncode == 1
    data = json.loads((tmp_path / "out" / "opsboundary.json").read_text(encoding="utf-8"))
    graph = data["graph"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["rst/lonely"] == {
        "id": "rst/lonely",
        "title": "Lonely",
        "kind": "page",
        "orphan": True,
    }
    assert nodes["rst/hub"]["orphan"] is False
    assert nodes["broken:nowhere"] == {
        "id": "broken:nowhere",
        "title": "nowhere",
        "kind": "broken",
        "orphan": False,
    }
    assert nodes["other:guide/setup"]["kind"] == "remote"
    assert nodes["gone:thing"]["kind"] == "remote"
    assert _edge(graph, "rst/alpha", "rst/beta", "related")["two_way"] is True
    assert _edge(graph, "rst/beta", "rst/alpha", "side") == {
        "source": "rst/beta",
        "target": "rst/alpha",
        "kind": "side",
        "status": "ok",
        "two_way": False,
    }
    assert _edge(graph, "rst/lonely", "broken:nowhere", "related")["status"] == "broken"
    assert _edge(graph, "rst/beta", "other:guide/setup", "side")["status"] == "ok"
    assert graph["edges"] == sorted(
        graph["edges"], key=lambda e: (e["source"], e["target"], e["kind"], e["status"])
    )
    links = {(lk["docname"], lk["target"]): lk for lk in data["links"]}
    unchecked = links[("rst/alpha", "gone:thing")]
    assert unchecked["status"] == "ok"
    assert unchecked["message"] == (
        "related link 'gone:thing' not checked: the inventory of 'gone' did not load"
    )


def test_cli_graph_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _copy(tmp_path)
    assert cli_main(["check", str(src), "--graph", str(tmp_path / "net.json")]) == 1
    data = json.loads((tmp_path / "net.json").read_text(encoding="utf-8"))
    assert set(data) == {"nodes", "edges"}
    assert cli_main(["check", str(src), "--graph", str(tmp_path / "net.graphml")]) == 1
    tree = ET.parse(tmp_path / "net.graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    graph_nodes = tree.getroot().findall("g:graph/g:node", ns)
    graph_edges = tree.getroot().findall("g:graph/g:edge", ns)
    assert [n.get("id") for n in graph_nodes] == [n["id"] for n in data["nodes"]]
    assert len(graph_edges) == len(data["edges"])
    lonely = next(n for n in graph_nodes if n.get("id") == "rst/lonely")
    assert {d.get("key"): d.text for d in lonely} == {
        "n_title": "Lonely",
        "n_kind": "page",
        "n_orphan": "true",
    }
    capsys.readouterr()
    assert cli_main(["check", str(src), "--graph", str(tmp_path / "net.dot")]) == 2
    assert "name a .graphml or .json file" in capsys.readouterr().err
