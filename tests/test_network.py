"""The wiki as a network (SPEC §7): backlinks, orphans, related-graph, cross-site links.

One project (``tests/roots/test-network``) holds the same four pages twice, in
``rst/`` and in ``md/``, with the same line numbers, so every expectation below
is checked from both source formats.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from util import Warning_, opsboundary_warnings

ROOT = Path(__file__).parent / "roots" / "test-network"
FORMATS = {"rst": ".rst", "md": ".md"}


def _app(src: Path, builder: str = "html", **overrides: object) -> SphinxTestApp:
    return SphinxTestApp(
        builder,
        srcdir=src,
        status=StringIO(),
        warning=StringIO(),
        confoverrides=dict(overrides),
        freshenv=True,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    src = tmp_path_factory.mktemp("network") / "src"
    shutil.copytree(ROOT, src)
    app = _app(src)
    app.build()
    yield app
    app.cleanup()


def _page(app: SphinxTestApp, name: str) -> str:
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


def _block(html: str, cls: str) -> str:
    start = html.index(f'<div class="{cls}')
    return html[start : html.index("</div>", start)]


def _links(block: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="[^"]*" href="([^"]*)"><span>([^<]*)</span></a>', block)


# --------------------------------------------------------------------------
# §7.1 backlinks
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_explicit_backlinks_block(built: SphinxTestApp, fmt: str) -> None:
    block = _block(_page(built, f"{fmt}/hub"), "opsboundary-backlinks")
    assert 'id="hub-back"' in block
    assert '<p class="opsboundary-backlinks-caption rubric">Who links here</p>' in block
    # by title, each to the citing block: alpha's related list, beta's boundary table
    assert _links(block) == [
        ("alpha.html#opsboundary-related-0", "Alpha"),
        ("beta.html#id1", "Beta"),
    ]
    # the page has its own block, so no automatic one although nothing asks for it
    assert "opsboundary-backlinks-auto" not in _page(built, f"{fmt}/hub")


@pytest.mark.parametrize("fmt", FORMATS)
def test_automatic_backlinks_block_at_the_page_end(built: SphinxTestApp, fmt: str) -> None:
    html = _page(built, f"{fmt}/alpha")
    block = _block(html, "opsboundary-backlinks opsboundary-backlinks-auto")
    assert ">Linked from</p>" in block
    assert _links(block) == [("beta.html#opsboundary-related-0", "Beta")]
    assert html.index("opsboundary-backlinks-auto") > html.index("opsboundary-related-list")
    # the citing block really carries the id the backlink points to
    assert 'id="opsboundary-related-0"' in _page(built, f"{fmt}/beta")
    assert 'id="id1"' in _page(built, f"{fmt}/beta")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_automatic_block_without_incoming_links(built: SphinxTestApp, fmt: str) -> None:
    assert "opsboundary-backlinks" not in _page(built, f"{fmt}/lonely")


# --------------------------------------------------------------------------
# Warnings: located at file and line, the same from rST and MyST
# --------------------------------------------------------------------------

EXPECTED = [
    (
        1,
        "orphan",
        "page '{fmt}/lonely' is not linked from any other page's related-paths or "
        "boundary-table sides; add it to a related list (required by "
        "opsboundary_require_incoming)",
        "lonely",
    ),
    (
        6,
        "related",
        "related link 'nowhere': there is no document '{fmt}/nowhere'",
        "lonely",
    ),
    (
        9,
        "related",
        "related link 'other:guide/setp': there is no document 'guide/setp' in the "
        "inventory of 'other'; did you mean 'other:guide/setup'?",
        "alpha",
    ),
    (
        12,
        "related",
        "related link 'other:guide/setup#setup-stepz': the inventory of 'other' has no "
        "label at 'guide/setup#setup-stepz'; did you mean 'other:guide/setup#setup-steps'?",
        "alpha",
    ),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_located_warnings(built: SphinxTestApp, fmt: str) -> None:
    found = {
        w
        for w in opsboundary_warnings(built)
        if w.file.startswith(f"{fmt}/") and not w.file.startswith(f"{fmt}/graph")
    }
    expected = {
        Warning_(f"{fmt}/{page}{FORMATS[fmt]}", line, message.format(fmt=fmt), f"opsboundary.{sub}")
        for line, sub, message, page in EXPECTED
    }
    assert found == expected


def test_unloadable_inventory_is_one_config_warning(built: SphinxTestApp) -> None:
    found = [w for w in opsboundary_warnings(built) if w.file == "conf.py"]
    assert found == [
        Warning_(
            "conf.py",
            16,
            "the intersphinx inventory of 'gone' could not be loaded; its related and side "
            "links are reported unchecked (fix its URL or local objects.inv in "
            "intersphinx_mapping)",
            "opsboundary.config",
        )
    ]


# --------------------------------------------------------------------------
# §7.4 cross-site targets
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_remote_links_take_the_remote_title(built: SphinxTestApp, fmt: str) -> None:
    html = _page(built, f"{fmt}/alpha")
    assert (
        'href="https://other.example.org/guide/setup.html" title="(other)"><span>Setting up' in html
    )
    assert 'href="https://other.example.org/guide/install.html#install-label"' in html
    assert "<span>Install steps</span>" in html
    assert '<span class="opsboundary-link opsboundary-unchecked">gone:thing</span>' in html
    # a boundary-table side may name a page of another site too
    beta = _page(built, f"{fmt}/beta")
    assert (
        '<a class="opsboundary-link external opsboundary-remote reference" '
        'href="https://other.example.org/guide/setup.html" title="(other)">'
        "<span>Setting up</span></a></p></th>"
    ) in beta
    assert '<span class="opsboundary-link opsboundary-broken">other:guide/setp</span>' in html
    assert '<span class="opsboundary-link opsboundary-broken">Steps there</span>' in html


# --------------------------------------------------------------------------
# §7.3 related-graph
# --------------------------------------------------------------------------


def test_graph_svg(built: SphinxTestApp, needs_dot: None) -> None:
    html = _page(built, "index")
    start = html.index("<svg")
    svg = html[start : html.index("</svg>") + 6]
    assert '<title id="opsboundary-graph-0-title">The rST pages</title>' in svg
    assert '<desc id="opsboundary-graph-0-desc">4 pages and 7 links.' in svg
    assert 'role="group" aria-labelledby="opsboundary-graph-0-title"' in svg
    for page, title in [("alpha", "Alpha"), ("beta", "Beta"), ("hub", "Hub")]:
        assert f'<a xlink:href="rst/{page}.html" xlink:title="{title}">' in svg
    assert 'class="node page orphan"' in svg  # rst/lonely
    assert 'class="edge related two&#45;way"' in svg  # alpha <-> beta, drawn once
    assert svg.count("rst/alpha&#45;&gt;rst/beta") == 1
    assert "rst/beta&#45;&gt;rst/alpha</title>" in svg  # the side link, dashed
    assert 'class="edge side"' in svg
    assert 'class="edge related broken"' in svg and ">nowhere</text>" in svg
    assert "md/" not in svg  # :pages: rst/*
    assert "<!--" not in svg and "<?xml" not in svg


def test_graph_as_nested_list_in_text(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    app = _app(src, "text")
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    start = text.index("The rST pages")
    assert text[start:].split("\n\n", 1)[1].strip() == (
        "* Alpha\n\n"
        "  * Beta (two-way)\n\n"
        "  * Hub\n\n"
        "  * other:guide/setp (broken)\n\n"
        "  * other:guide/setup#setup-stepz (broken)\n\n"
        "* Beta\n\n"
        "  * Alpha (two-way)\n\n"
        "  * Alpha (side)\n\n"
        "  * Hub (side)\n\n"
        "* Hub\n\n"
        "* Lonely (orphan)\n\n"
        "  * nowhere (broken)"
    )
    app.cleanup()


def test_graph_without_dot_warns_and_lists(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('extensions.append("sphinx.ext.graphviz")\ngraphviz_dot = "no-such-dot"\n')
    app = _app(src)
    app.build()
    found = [w for w in opsboundary_warnings(app) if w.file == "index.rst"]
    assert found == [
        Warning_(
            "index.rst",
            17,
            "related-graph cannot be drawn: Graphviz's dot ('no-such-dot') cannot be run: "
            "No such file or directory; install Graphviz (the 'graphviz' system package) "
            "or set graphviz_dot; showing the network as a list",
            "opsboundary.config",
        )
    ]
    html = _page(app, "index")
    assert "<svg" not in html
    assert 'class="opsboundary-graph-list simple"' in html
    assert '<a class="opsboundary-link reference internal" href="rst/alpha.html">' in html
    app.cleanup()


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


def test_bad_settings_warn_at_conf_py(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    conf = src / "conf.py"
    text = conf.read_text(encoding="utf-8")
    text = re.sub(r"opsboundary_backlinks = .*", 'opsboundary_backlinks = "yes"', text)
    text = re.sub(r"opsboundary_require_incoming = .*", "opsboundary_require_incoming = [1]", text)
    conf.write_text(text, encoding="utf-8")
    app = _app(src, "dummy")
    app.build()
    found = [w for w in opsboundary_warnings(app) if w.file == "conf.py" and w.line != 16]
    assert found == [
        Warning_(
            "conf.py",
            19,
            "opsboundary_backlinks must be True, False or a list of docname globs, not "
            "'yes'; using False",
            "opsboundary.config",
        ),
        Warning_(
            "conf.py",
            20,
            "opsboundary_require_incoming must be a list of globs, not [1]; using []",
            "opsboundary.config",
        ),
    ]
    app.cleanup()


@pytest.mark.parametrize("fmt", FORMATS)
def test_graph_from_rst_and_myst_is_the_same(
    built: SphinxTestApp, fmt: str, needs_dot: None
) -> None:
    html = _page(built, f"{fmt}/graph")
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    other = "md" if fmt == "rst" else "rst"
    theirs = _page(built, f"{other}/graph")
    theirs_svg = theirs[theirs.index("<svg") : theirs.index("</svg>") + 6]
    assert svg == theirs_svg.replace(f"{other}/", f"{fmt}/")
    assert '<a xlink:href="alpha.html" xlink:title="Alpha">' in svg  # relative :pages:
    assert f"{other}/" not in svg
    assert 'id="four-pages"' in html
    assert "4 pages and 7 links." in svg


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_pages_option_is_located(built: SphinxTestApp, fmt: str, needs_dot: None) -> None:
    found = [w for w in opsboundary_warnings(built) if w.file == f"{fmt}/graph{FORMATS[fmt]}"]
    assert found == [
        Warning_(
            f"{fmt}/graph{FORMATS[fmt]}",
            10 if fmt == "rst" else 11,
            "related-graph :pages: is empty; list docname globs such as 'ops/*, index', "
            "or leave the option out for every linked page",
            "opsboundary.syntax",
        )
    ]


def test_singlehtml_gives_each_page_its_own_block(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    app = _app(src, "singlehtml")
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    for fmt in FORMATS:
        start = html.index(f'<span id="document-{fmt}/hub">')
        block = _block(html[start:], "opsboundary-backlinks")
        assert [title for _href, title in _links(block)] == ["Alpha", "Beta"]
    assert html.count("opsboundary-backlinks-auto") == 4  # alpha and beta, twice
    app.cleanup()
