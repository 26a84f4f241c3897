"""boundary-table: one table from rST, MyST and data files; warnings; HTML; other builders."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from docutils import nodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from util import Warning_, normalise_doctree, opsboundary_warnings, warnings_of

ROOTS = Path(__file__).parent / "roots"


def _make(tmp: Path, root: str, builder: str = "html") -> SphinxTestApp:
    srcdir = tmp / root
    if not srcdir.exists():
        shutil.copytree(ROOTS / f"test-{root}", srcdir)
    return SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=srcdir / "_build",
        status=StringIO(),
        warning=StringIO(),
    )


@pytest.fixture(scope="module")
def main_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    app = _make(tmp_path_factory.mktemp("main"), "boundary")
    app.build()
    yield app
    app.cleanup()


@pytest.fixture(scope="module")
def warn_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    app = _make(tmp_path_factory.mktemp("warn"), "boundary-warnings")
    app.build()
    yield app
    app.cleanup()


def _table(app: SphinxTestApp, docname: str) -> nodes.table:
    doctree = app.env.get_doctree(docname)
    return next(t for t in doctree.findall(nodes.table) if "opsboundary-boundary" in t["classes"])


def _html(app: SphinxTestApp, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# One shared expectation from every input
# --------------------------------------------------------------------------

SOURCES = ["body_rst", "body_md", "data_toml", "data_json", "data_yaml"]


def _snapshot(app: SphinxTestApp, docname: str) -> str:
    name = docname.replace("body_", "").replace("data_", "")
    text = normalise_doctree(_table(app, docname).pformat())
    text = text.replace(f'refdoc="{docname}"', 'refdoc="X"')
    return text.replace(f"boundary-{name}", "boundary-X")


def test_same_doctree_from_every_source(main_app: SphinxTestApp) -> None:
    expected = _snapshot(main_app, "body_rst")
    assert "Alerts about" in expected and "pending_xref" in expected
    for docname in SOURCES[1:]:
        assert _snapshot(main_app, docname) == expected, docname


def test_table_structure(main_app: SphinxTestApp) -> None:
    table = _table(main_app, "body_rst")
    assert table["classes"] == [
        "opsboundary-boundary",
        "opsboundary-sides-2",
        "colwidths-given",
        "extra-class",
    ]
    assert table["ids"] == ["boundary-rst"]
    assert table[0].astext() == "MLOps vs DataOps"
    colspecs = list(table.findall(nodes.colspec))
    assert [c["colwidth"] for c in colspecs] == [20, 40, 40]
    assert colspecs[0].get("stub") == 1
    rows = list(table.findall(nodes.row))
    assert [r["ids"] for r in rows] == [
        [],
        ["boundary-rst-operates"],
        ["boundary-rst-alerts-about"],
        [],
    ]
    assert [e.astext() for e in rows[0]] == ["Aspect", "MLOps", "DataOps"]
    assert rows[3][1]["morecols"] == 1


def test_no_warnings_for_good_tables(main_app: SphinxTestApp) -> None:
    assert warnings_of(main_app) == []


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def test_html_accessible_table(main_app: SphinxTestApp) -> None:
    for docname in SOURCES:
        html = _html(main_app, docname)
        table = html[html.index('<table class="opsboundary-boundary') : html.index("</table>")]
        assert "<caption>" in table
        assert table.count('<th scope="col"') == 3  # "Aspect" + one per side
        assert '<th scope="col" class="head opsboundary-side-1"><p><a ' in table
        assert table.count('<th scope="row"') == 3  # two aspects + "Shared"
        assert '<td data-label="MLOps" class="opsboundary-side-1">' in table
        assert re.search(r'<td class="opsboundary-shared" colspan="2">', table)
        assert '<tr class="row-odd" id="boundary-' in table
        assert 'href="dataops.html"><span class="doc">DataOps</span>' in table


def test_ref_to_row_resolves_with_aspect_title(main_app: SphinxTestApp) -> None:
    html = _html(main_app, "refs")
    assert (
        '<a class="reference internal" href="body_rst.html#boundary-rst-alerts-about">'
        '<span class="std std-ref">Alerts about</span></a>'
    ) in html


def test_css_shipped(main_app: SphinxTestApp) -> None:
    css = Path(main_app.outdir) / "_static" / "opsboundary.css"
    assert "max-width: 600px" in css.read_text(encoding="utf-8")
    assert "_static/opsboundary.css" in _html(main_app, "body_rst")


def test_cards_and_tabs_layouts(main_app: SphinxTestApp) -> None:
    html = _html(main_app, "layouts")
    assert '<table class="opsboundary-boundary' not in html
    cards = html[html.index('id="cards"') : html.index('id="tabs"')]
    assert cards.count('class="sd-card ') == 3
    assert "opsboundary-side-3" in cards and "Clusters." in cards
    assert '<dt id="cards-owns">Owns</dt>' in cards
    assert "All three run in production." in cards
    tabs = html[html.index('id="tabs"') :]
    assert tabs.count('type="radio"') == 2
    assert 'class="sd-tab-label opsboundary-side-2"' in tabs
    assert "Pipelines in tabs." in tabs


# --------------------------------------------------------------------------
# Other builders get the full table
# --------------------------------------------------------------------------

CELLS = [
    "Machine learning systems after",
    "Data delivery through pipelines",
    "Freshness, volume, schema.",
    "Both borrow reliability practice",
    "Alerts about",
    "Operates",
]


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo"])
def test_other_builders(tmp_path: Path, builder: str) -> None:
    app = _make(tmp_path, "boundary", builder)
    app.build()
    out = "\n".join(
        p.read_text(encoding="utf-8")
        for p in Path(app.outdir).rglob("*")
        if p.suffix in {".tex", ".txt", ".1", ".texi"}
    )
    flat = " ".join(out.replace("\\", " ").split())
    for text in [*CELLS, "Models in tabs.", "Clusters."]:
        # Text tables wrap cells over lines, interleaving columns: words in order.
        pattern = r".*?".join(re.escape(word) for word in text.split())
        assert re.search(pattern, flat, re.DOTALL), (builder, text)
    assert warnings_of(app) == []
    app.cleanup()


# --------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------


def _row_warnings(file: str, base: int) -> list[Warning_]:
    tail = "(the aspect, then one per side)"
    return [
        Warning_(
            file,
            base,
            f"boundary-table row 'Short' has 2 cells, expected 3 {tail}; "
            "missing cells are left empty",
            "opsboundary.syntax",
        ),
        Warning_(
            file,
            base + 2,
            f"boundary-table row 'Long' has 4 cells, expected 3 {tail}; extra cells are dropped",
            "opsboundary.syntax",
        ),
    ]


def _of(app: SphinxTestApp, file: str) -> list[Warning_]:
    return [w for w in opsboundary_warnings(app) if w.file == file]


def test_row_cell_count_rst_and_myst(warn_app: SphinxTestApp) -> None:
    assert _of(warn_app, "rows_rst.rst") == _row_warnings("rows_rst.rst", 10)
    assert _of(warn_app, "rows_md.md") == _row_warnings("rows_md.md", 9)
    # Short rows are padded, long rows trimmed: the table stays rectangular.
    for docname in ("rows_rst", "rows_md"):
        rows = list(_table(warn_app, docname).findall(nodes.row))
        assert [len(r) for r in rows] == [3, 3, 3, 3]
        assert [e.astext() for e in rows[3]] == ["Long", "a", "b"]


def test_sides_widths_and_empty(warn_app: SphinxTestApp) -> None:
    syntax = "opsboundary.syntax"
    assert _of(warn_app, "sides.rst") == [
        Warning_(
            "sides.rst",
            5,
            "boundary-table needs 2 to 4 sides, found 1; list them comma-separated in ':sides:'",
            syntax,
        ),
        Warning_(
            "sides.rst",
            10,
            "boundary-table needs ':sides:' listing 2 to 4 sides, e.g. "
            "':sides: MLOps <mlops>, DataOps <dataops>'",
            syntax,
        ),
        Warning_(
            "sides.rst",
            17,
            "boundary-table ':widths:' needs 3 positive integers (the aspect column, then one "
            "per side), found 2; using automatic widths",
            syntax,
        ),
        Warning_(
            "sides.rst",
            23,
            "boundary-table has no rows; write them as a list table ('* - aspect' then "
            "'  - cell' per side) or give ':source:'",
            syntax,
        ),
    ]
    assert _of(warn_app, "sides_md.md") == [
        Warning_(
            "sides_md.md",
            4,
            "boundary-table needs 2 to 4 sides, found 5; list them comma-separated in ':sides:'",
            syntax,
        )
    ]
    # The table with bad widths is still built, with automatic widths.
    doctree = warn_app.env.get_doctree("sides")
    tables = [t for t in doctree.findall(nodes.table)]
    assert len(tables) == 1 and "colwidths-given" not in tables[0]["classes"]


def test_source_warnings(warn_app: SphinxTestApp) -> None:
    src = "opsboundary.source"
    found = sorted(w for w in opsboundary_warnings(warn_app) if w.type == src)
    abspath = Path(warn_app.srcdir) / "data" / "missing.toml"
    assert found == sorted(
        [
            Warning_(
                "sources.rst",
                5,
                f"boundary-table data file 'data/missing.toml' not found (looked for {abspath}); "
                "paths are relative to the page, or to the source root with a leading '/'",
                src,
            ),
            Warning_(
                "data/bad.toml",
                5,
                "boundary-table data file 'bad.toml' is not valid TOML: Unclosed array",
                src,
            ),
            Warning_(
                "data/bad.json",
                5,
                "boundary-table data file 'bad.json' is not valid JSON: Expecting value",
                src,
            ),
            Warning_(
                "data/bad.yaml",
                5,
                "boundary-table data file 'bad.yaml' is not valid YAML: while parsing a flow "
                "sequence expected ',' or ']', but got '<stream end>'",
                src,
            ),
            Warning_(
                "data/types.json",
                4,
                "boundary-table data file 'types.json': unknown key 'colour', ignored",
                src,
            ),
            Warning_(
                "data/types.json",
                3,
                "boundary-table data file 'types.json': 'caption' must be a string, found int",
                src,
            ),
            Warning_(
                "data/types.json",
                7,
                "boundary-table data file 'types.json': row 2 must have 'aspect' (a string) and "
                "'cells' (a list of strings); row skipped",
                src,
            ),
            Warning_(
                "data/rowcount.toml",
                8,
                "boundary-table row 'Too many' has 4 cells, expected 3 (the aspect, then one per "
                "side); extra cells are dropped",
                src,
            ),
            Warning_(
                "data/bomb.yaml",
                3,
                "boundary-table data file 'bomb.yaml' is not valid YAML: aliases (*name) are not "
                "allowed",
                src,
            ),
        ]
    )


def test_hostile_text_escaped_and_refused(warn_app: SphinxTestApp) -> None:
    assert _of(warn_app, "hostile.rst") == [
        Warning_(
            "hostile.rst",
            5,
            "side link refused: URL 'javascript:alert(1)' uses the scheme 'javascript:', which "
            "is not allowed; use an http:, https: or relative URL",
            "opsboundary.url",
        ),
        Warning_(
            "hostile.rst",
            6,
            "boundary-table :layout: 'carousel' is not one of 'table', 'cards', 'tabs', so the "
            "table layout is used; did you mean 'cards'?",
            "opsboundary.syntax",
        ),
    ]
    html = _html(warn_app, "hostile")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(“caption”)&lt;/script&gt;" in html
    assert 'data-label="A &lt;b&gt;bold&lt;/b&gt; label"' in html


def test_cards_without_sphinx_design(tmp_path: Path) -> None:
    app = _make(tmp_path, "boundary-nodesign")
    app.build()
    assert opsboundary_warnings(app) == [
        Warning_(
            "index.rst",
            6,
            "boundary-table :layout: cards needs the sphinx_design extension, so the table "
            "layout is used; add 'sphinx_design' to extensions (pip install "
            "'sphinx-opsboundary[design]')",
            "opsboundary.config",
        )
    ]
    html = _html(app, "index")
    assert '<table class="opsboundary-boundary' in html and "sd-card" not in html
    app.cleanup()


# --------------------------------------------------------------------------
# Incremental: editing the data file rebuilds the page
# --------------------------------------------------------------------------


def test_data_file_edit_rebuilds_page(tmp_path: Path) -> None:
    app = _make(tmp_path, "boundary")
    app.build()
    assert "Freshness, volume, schema." in _html(app, "data_toml")
    data = Path(app.srcdir) / "data" / "table.toml"
    data.write_text(
        data.read_text(encoding="utf-8").replace("Freshness, volume", "Lineage, volume"),
        encoding="utf-8",
    )
    app.cleanup()
    again = _make(tmp_path, "boundary")
    again.build()
    assert "Lineage, volume, schema." in _html(again, "data_toml")
    assert "Freshness, volume, schema." in _html(again, "data_json")
    again.cleanup()


# --------------------------------------------------------------------------
# Property: random bodies never crash and only warn in known ways
# --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["* ", "- ", "  - ", "    - ", "-", "*", ":", "`", "<", ">", "<mlops>", "\n", "\n\n",
     "  ", "aspect", "cell", "é", "→", "**", ":doc:", "{doc}", "---", "\\", ","]
)  # fmt: skip
_BODY = st.lists(_PIECES, max_size=30).map("".join)
_KNOWN = re.compile(r"^(opsboundary\.\w+|docutils|myst\.\w+|ref\.\w+|misc\.\w+)$")


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    srcdir = tmp_path_factory.mktemp("fuzz") / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_opsboundary", "myst_parser"]\n'
        'source_suffix = {".rst": "restructuredtext", ".md": "markdown"}\n'
        'exclude_patterns = ["_build"]\n'
        "suppress_warnings = ['toc.not_included']\n",
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text("Fuzz\n====\n", encoding="utf-8")
    (srcdir / "mlops.rst").write_text("MLOps\n=====\n", encoding="utf-8")
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO()
    )
    yield app
    app.cleanup()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=_BODY, sides=st.sampled_from(["A, B", "A <mlops>, B, C", "A", ""]))
def test_random_bodies_never_crash(fuzz_app: SphinxTestApp, body: str, sides: str) -> None:
    srcdir = Path(fuzz_app.srcdir)
    rst = "".join(f"   {line}\n" for line in body.splitlines())
    (srcdir / "page_rst.rst").write_text(
        f"Page\n====\n\n.. boundary-table:: Cap\n   :sides: {sides}\n\n{rst}", encoding="utf-8"
    )
    fence = body.replace("```", "'''")
    (srcdir / "page_md.md").write_text(
        f"# Page\n\n```{{boundary-table}} Cap\n:sides: {sides}\n\n{fence}\n```\n",
        encoding="utf-8",
    )
    fuzz_app.warning.truncate(0)
    fuzz_app.warning.seek(0)
    fuzz_app.build()
    for warning in warnings_of(fuzz_app):
        assert warning.type is None or _KNOWN.match(warning.type), warning
