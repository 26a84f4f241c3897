"""Docs snippets: every example in the docs works, and rST and MyST agree.

SNIPPET TESTS.  Each example on the reference pages is a pair of files,
``docs/snippets/rst/<name>.rst`` and ``docs/snippets/myst/<name>.md``, with the same
content in the two syntaxes.  The docs include them; these tests build each one as
the root document of a small project (``tests/roots/test-snippets``, with the docs'
own episode registry and data file copied in) and check that

* the pair is complete, and every snippet is shown on some docs page;
* each build gives no warning at all;
* the rST and MyST doctrees of the document body are identical once normalised
  (adjacent text nodes merged, since MyST keeps each soft line break as its own
  text node, then ``util.normalise_doctree``: source paths and parser-specific
  document attributes removed).

So the docs cannot show an example that does not work, and the two syntaxes cannot
drift apart.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from util import normalise_doctree

HERE = Path(__file__).parent
ROOT = HERE / "roots" / "test-snippets"
DOCS = HERE.parent / "docs"
SNIPPETS = DOCS / "snippets"

#: Files of the docs that the snippets rely on, copied into each test project.
SHARED_FILES = [
    "episodes.toml",
    "wiki/data/platforms.toml",
    "transcripts/quiet-pager.vtt",
    "transcripts/quiet-pager-chapters.json",
]

SUFFIX = {"rst": ".rst", "myst": ".md"}


def snippet_names() -> list[str]:
    names = {p.stem for p in (SNIPPETS / "rst").glob("*.rst")}
    names |= {p.stem for p in (SNIPPETS / "myst").glob("*.md")}
    return sorted(names)


NAMES = snippet_names()


def snippet_path(name: str, syntax: str) -> Path:
    return SNIPPETS / syntax / f"{name}{SUFFIX[syntax]}"


@dataclass(frozen=True)
class Built:
    """What one build of a snippet left behind."""

    path: str  #: the snippet, relative to docs/
    body: str  #: normalised pformat of the resolved ``index`` doctree
    warnings: list[str]  #: every line of the warning stream, located or not


def merge_text(doctree: nodes.document) -> nodes.document:
    """Merge runs of adjacent ``Text`` children into one (in place)."""
    for element in doctree.findall(nodes.Element):
        merged: list[nodes.Node] = []
        for child in element.children:
            if merged and isinstance(child, nodes.Text) and isinstance(merged[-1], nodes.Text):
                merged[-1] = nodes.Text(merged[-1] + child)
            else:
                merged.append(child)
        if len(merged) != len(element.children):
            element.children = []
            element.extend(merged)
    return doctree


def build(name: str, syntax: str, dest: Path) -> Built:
    """Build snippet *name* in *syntax* as ``index`` of a fresh copy of the root."""
    src = dest / syntax
    shutil.copytree(ROOT, src)
    for rel in SHARED_FILES:
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DOCS / rel, target)
    snippet = snippet_path(name, syntax)
    shutil.copyfile(snippet, src / f"index{SUFFIX[syntax]}")
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        doctree = merge_text(app.env.get_and_resolve_doctree("index", app.builder))
        return Built(
            path=snippet.relative_to(DOCS).as_posix(),
            body=normalise_doctree(doctree.pformat()),
            warnings=strip_colors(app.warning.getvalue()).splitlines(),
        )
    finally:
        app.cleanup()


@pytest.fixture(scope="module", params=NAMES)
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Built, Built]:
    name: str = request.param
    if not (snippet_path(name, "rst").is_file() and snippet_path(name, "myst").is_file()):
        pytest.fail(f"snippet {name!r} needs both rst/{name}.rst and myst/{name}.md")
    dest = tmp_path_factory.mktemp(f"snippet-{name}")
    return build(name, "rst", dest), build(name, "myst", dest)


def test_snippets_exist() -> None:
    assert NAMES, f"no snippets found under {SNIPPETS}"


@pytest.mark.parametrize("name", NAMES)
def test_snippet_pair_is_complete(name: str) -> None:
    missing = [
        str(snippet_path(name, s).relative_to(DOCS))
        for s in SUFFIX
        if not snippet_path(name, s).is_file()
    ]
    assert not missing, f"snippet {name!r} lacks {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_snippet_is_shown_in_the_docs(name: str) -> None:
    pages = [*DOCS.rglob("*.rst"), *DOCS.rglob("*.md")]
    pages = [p for p in pages if SNIPPETS not in p.parents and "_build" not in p.parts]
    for syntax in SUFFIX:
        wanted = f"/snippets/{syntax}/{name}{SUFFIX[syntax]}"
        assert any(wanted in p.read_text(encoding="utf-8") for p in pages), (
            f"{wanted} is not included by any docs page"
        )


def test_stand_in_pages_exist_in_the_docs() -> None:
    """The root's wiki pages stand in for real docs pages the snippets link to."""
    for page in (ROOT / "wiki").glob("*.rst"):
        real = [DOCS / "wiki" / f"{page.stem}{suffix}" for suffix in (".rst", ".md")]
        assert any(p.is_file() for p in real), f"docs/wiki/{page.stem} does not exist"


def test_snippet_builds_without_warnings(
    pair: tuple[Built, Built], request: pytest.FixtureRequest
) -> None:
    if "graph" in pair[0].path:
        request.getfixturevalue("needs_dot")  # drawn by Graphviz, else a warning
    for built in pair:
        assert built.warnings == [], built.path


def test_snippet_rst_and_myst_give_the_same_doctree(pair: tuple[Built, Built]) -> None:
    rst, myst = pair
    assert rst.body == myst.body, f"{rst.path} and {myst.path} differ"
