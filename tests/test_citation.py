"""episode-citation and episode role (SPEC §1.4, §1.5), from rST and MyST alike."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from util import Warning_, normalise_doctree, opsboundary_warnings, warnings_of

ROOTS = Path(__file__).parent / "roots"


def _build(tmp: Path, root: str, builder: str = "html", **kwargs: Any) -> SphinxTestApp:
    src = tmp / "src"
    shutil.copytree(ROOTS / f"test-{root}", src)
    app = SphinxTestApp(builder, srcdir=src, status=StringIO(), warning=StringIO(), **kwargs)
    app.build()
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    built = _build(tmp_path_factory.mktemp("episode"), "episode")
    yield built
    built.cleanup()


def _html(app: SphinxTestApp, page: str) -> str:
    return (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")


# One expectation for both syntaxes: (message, type) in source order, and the
# line of each offending line in the .rst and in the .md page.
ERRORS = [
    (
        "episode-citation :at: '5:60': seconds must be 00-59 in M:SS, MM:SS, H:MM:SS forms",
        "opsboundary.timestamp",
    ),
    (
        "episode-citation :end: 9:00 is not after :at: 10:00; give an end later than the start",
        "opsboundary.timestamp",
    ),
    (
        "episode-citation :at: 2:00:00 lies past the end of 'Serving Models at Scale' (1:04:10)",
        "opsboundary.timestamp",
    ),
    ("unknown episode 'mlops-at-scal'; did you mean 'mlops-at-scale'?", "opsboundary.episode"),
    (
        "episode-citation of the inline episode 'A Title Nobody Registered' has no speaker; "
        "add :speaker:, or register the episode in opsboundary_episodes or episodes.toml "
        "(opsboundary_episodes_file)",
        "opsboundary.episode",
    ),
    (
        "episode-citation :url: URL 'javascript:alert(1)' uses the scheme 'javascript:', "
        "which is not allowed; use an http:, https: or relative URL; the episode is shown "
        "without a link",
        "opsboundary.url",
    ),
    (
        "episode-citation needs :at: with the moment cited, for example :at: 52:39",
        "opsboundary.syntax",
    ),
    (
        "episode role 'mlops-at-scale@5:1': '5:1': seconds must have exactly two digits "
        "(00-59) in M:SS, MM:SS, H:MM:SS forms",
        "opsboundary.timestamp",
    ),
    (
        "'Raphaelle Hogstra' is not a speaker of episode 'mlops-at-scale'; "
        "did you mean 'Raphaëlle Hoogstra'?",
        "opsboundary.episode",
    ),
    (
        "unknown episode 'mlops-at-scal' in the episode role; did you mean 'mlops-at-scale'?",
        "opsboundary.episode",
    ),
    (
        "episode role 'mlops-at-scale' needs key@time, for example `mlops-at-scale@52:39` "
        "or `text <mlops-at-scale@~52:39>`",
        "opsboundary.syntax",
    ),
]
LINES = {
    "errors-rst.rst": [5, 9, 13, 15, 18, 23, 26, 30, 34, 36, 36],
    "errors-md.md": [4, 9, 14, 17, 21, 27, 31, 36, 40, 43, 43],
}


@pytest.mark.parametrize("page", sorted(LINES))
def test_error_warnings_exact(app: SphinxTestApp, page: str) -> None:
    found = [w for w in opsboundary_warnings(app) if w.file == page]
    expected = [
        Warning_(page, line, message, kind)
        for line, (message, kind) in zip(LINES[page], ERRORS, strict=True)
    ]
    assert sorted(found) == sorted(expected)


def test_only_error_pages_warn(app: SphinxTestApp) -> None:
    files = {w.file for w in warnings_of(app)}
    assert files <= {"errors-rst.rst", "errors-md.md", "groups.rst"}
    assert all((w.type or "").startswith("opsboundary.") for w in warnings_of(app))


def _merge_text(node: nodes.Element) -> nodes.Element:
    """A copy with adjacent Text nodes joined: MyST keeps soft line breaks apart."""
    node = node.deepcopy()
    for element in list(node.findall(nodes.Element)):
        index = 0
        while index < len(element.children) - 1:
            first, second = element.children[index], element.children[index + 1]
            if isinstance(first, nodes.Text) and isinstance(second, nodes.Text):
                element.children[index] = nodes.Text(first.astext() + second.astext())
                del element.children[index + 1]
            else:
                index += 1
    return node


def _episode_nodes(app: SphinxTestApp, docname: str) -> list[str]:
    doctree = app.env.get_doctree(docname)
    found = [
        node
        for node in doctree.findall(nodes.Element)
        if {"opsboundary-episode", "opsboundary-episode-mention"} & set(node["classes"])
    ]
    return [normalise_doctree(_merge_text(node).pformat()) for node in found]


def test_rst_and_myst_give_the_same_doctree(app: SphinxTestApp) -> None:
    rst = _episode_nodes(app, "cite-rst")
    md = _episode_nodes(app, "cite-md")
    assert len(rst) == 5  # three directives, two roles
    assert rst == md


@pytest.mark.parametrize("page", ["cite-rst", "cite-md"])
def test_html_citation(app: SphinxTestApp, page: str) -> None:
    html = _html(app, page)
    assert 'class="opsboundary-episode my-class docutils container"' in html
    assert '<span class="opsboundary-episode-speaker">Raphaëlle Hoogstra</span>' in html
    assert "<cite>Serving Models at Scale</cite>" in html
    assert "<strong>toolbelt</strong>" in html
    assert re.search(
        r'<a class="[^"]*" href="https://www\.youtube\.com/watch\?v=abc123&amp;t=3159">'
        r'around <time datetime="PT52M39S">52:39</time>–<time datetime="PT55M10S">55:10</time></a>',
        html,
    )
    # Unknown host: the title links to the plain URL, the time stays text.
    assert (
        '<a class="opsboundary-episode-link reference external" '
        'href="https://example.org/episodes/data-contracts"><cite>Contracts for Data Teams'
        '</cite></a>, <span class="opsboundary-episode-time"><time datetime="PT12M">12:00'
        "</time></span>"
    ) in html
    # Inline episode with a Vimeo URL.
    assert 'href="https://vimeo.com/12345#t=311s"><time datetime="PT5M11S">5:11</time>' in html
    # Roles: the words and the time are one link; explicit text is the author's
    # words, not a title (no <cite>); node ids for back-links.
    assert (
        '<span class="opsboundary-episode-mention" id="episode-0"><a class="opsboundary-episode-'
        'link reference external" href="https://www.youtube.com/watch?v=abc123&amp;t=3723">'
        '<cite>Serving Models at Scale</cite> <span class="opsboundary-episode-time">'
        '<time datetime="PT1H2M3S">1:02:03</time></span></a></span>'
    ) in html
    assert "<cite>the toolbelt</cite>" not in html
    assert (
        'href="https://www.youtube.com/watch?v=abc123&amp;t=3159" title="Serving Models at '
        'Scale"><span class="opsboundary-episode-text">the toolbelt</span> <span class='
        '"opsboundary-episode-time">around <time datetime="PT52M39S">52:39</time>–<time '
        'datetime="PT55M10S">55:10</time></span></a></span>'
    ) in html
    assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=3723"' in html


@pytest.mark.parametrize("page", ["errors-rst", "errors-md"])
def test_errors_render_as_text(app: SphinxTestApp, page: str) -> None:
    html = _html(app, page)
    assert 'href="javascript' not in html
    # A failed role keeps its source text, unlinked (HTML writes "@" as &#64;).
    assert "episode}`mlops-at-scale&#64;5:1` here." in html.replace(":episode:", "{episode}")
    assert "<cite>Unsafe Link Episode</cite>, <span" in html


ALL_BUILDERS = [
    "html",
    "dirhtml",
    "singlehtml",
    "latex",
    "text",
    "man",
    "texinfo",
    "epub",
    "gettext",
    "xml",
    "pseudoxml",
    "dummy",
    "linkcheck",
]


@pytest.mark.parametrize("builder", ALL_BUILDERS)
def test_every_builder_builds_cleanly(tmp_path: Path, builder: str) -> None:
    app = _build(tmp_path, "episode", builder, confoverrides={"linkcheck_ignore": [r".*"]})
    try:
        others = [w for w in warnings_of(app) if not (w.type or "").startswith("opsboundary.")]
        assert others == []
        assert len(opsboundary_warnings(app)) == 2 * len(ERRORS) + 1
        out = Path(app.outdir)
        if builder == "text":
            # The text writer wraps at 70 columns, even inside a URL: unwrap first.
            text = (out / "cite-rst.txt").read_text(encoding="utf-8").replace("\n/", "/")
            assert "*Serving Models at Scale*, around 52:39–55:10" in text
            assert "<https://www.youtube.com/watch?v=abc123&t=3159>" in text
            assert "<https://example.org/episodes/data-contracts>" in text
        elif builder == "man":
            man = next(out.glob("*.1")).read_text(encoding="utf-8")
            # docutils 0.21 wraps links in OSC 8 escapes, 0.22 prints the URL after
            # the text: both must carry the title, the time and the deep link.
            assert r"\fIServing Models at Scale\fP, " in man
            assert "around 52:39–55:10" in man
            assert re.search(r"abc123&(\\:)?t=3159", man)
        elif builder == "latex":
            tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
            assert r"\sphinxtitleref{Serving Models at Scale}" in tex
            assert r"\sphinxhref{https://www.youtube.com/watch?v=abc123\&t=3159}" in tex
            assert "around 52:39" in tex
        elif builder == "texinfo":
            texi = next(out.glob("*.texi")).read_text(encoding="utf-8")
            assert "https://www.youtube.com/watch?v=abc123&t=3159" in texi
        elif builder == "gettext":
            pot = (out / "cite-md.pot").read_text(encoding="utf-8")
            assert "Hoogstra lists the practical MLOps **toolbelt**" in pot
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    built = _build(tmp_path_factory.mktemp("hostile"), "episode-hostile")
    yield built
    built.cleanup()


def test_hostile_data_is_escaped_or_refused(hostile: SphinxTestApp) -> None:
    html = _html(hostile, "index")
    for raw in ("<script>alert", "<img src", "<b>bold</b>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert sorted(opsboundary_warnings(hostile)) == sorted(
        [
            Warning_(
                "conf.py",
                4,
                "episode 'evil' in conf.py: URL 'javascript:alert(1)' uses the scheme "
                "'javascript:', which is not allowed; use an http:, https: or relative URL; "
                "the episode is shown without a link",
                "opsboundary.url",
            ),
            Warning_(
                "conf.py",
                9,
                "episode 'data-url' in conf.py: URL 'data:text/html,<script>alert(2)</script>' "
                "uses the scheme 'data:', which is not allowed; use an http:, https: or "
                "relative URL; the episode is shown without a link",
                "opsboundary.url",
            ),
            Warning_(
                "index.rst",
                12,
                "unknown episode 'Inline <script>alert(4)</script>'; did you mean 'evil'?",
                "opsboundary.episode",
            ),
            Warning_(
                "index.rst",
                14,
                "episode-citation :url: URL 'data:text/html;base64,PHNjcmlwdD4=' uses the "
                "scheme 'data:', which is not allowed; use an http:, https: or relative URL; "
                "the episode is shown without a link",
                "opsboundary.url",
            ),
        ]
    )
