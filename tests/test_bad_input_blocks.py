"""Bad input inside the extension's blocks (issue 11, rules 4 and 6).

Raw HTML inside a block is shown as text with an ``opsboundary.syntax``
warning, from rST and MyST pages alike, while raw HTML outside the blocks is
left alone; ``//host`` URLs are refused everywhere by the one URL rule;
``:class:`` values are normalised; no user text starts a roff request.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.cmd.build import build_main as sphinx_main

from sphinx_opsboundary.safety import url_problem
from test_bad_input_data import build
from util import Warning_

RAW_PAGES = {
    "md": (
        '# Page\n\n<b id="outside">outside</b>\n\n'
        "```{episode-citation} ep\n:at: 1:00\n\n"
        'Body <a href="javascript:alert(1)">x</a>.\n\n<script>alert(2)</script>\n```\n'
    ),
    "rst": (
        'Page\n====\n\n.. raw:: html\n\n   <b id="outside">outside</b>\n\n'
        ".. episode-citation:: ep\n   :at: 1:00\n\n"
        '   Body :raw-html:`<a href="javascript:alert(1)">`\\ x\\ :raw-html:`</a>`.\n\n'
        "   .. raw:: html\n\n      <script>alert(2)</script>\n"
    ),
}
RAW_LINES = {"md": (8, 8, 10), "rst": (11, 11, 13)}
SYNTAX = (
    "is not allowed inside the extension's blocks; it is shown as text - use the page's "
    "markup instead"
)


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_raw_html_inside_blocks_is_text_outside_untouched(suffix: str, tmp_path: Path) -> None:
    warnings, out = build(tmp_path, {f"index.{suffix}": RAW_PAGES[suffix]})
    first, second, third = RAW_LINES[suffix]
    script = "'<script>alert(2)</script>\\n'" if suffix == "md" else "'<script>alert(2)</script>'"
    assert warnings == [
        Warning_(
            f"index.{suffix}",
            first,
            f"raw html '<a href=\"javascript:alert(1)\">' {SYNTAX}",
            "opsboundary.syntax",
        ),
        Warning_(f"index.{suffix}", second, f"raw html '</a>' {SYNTAX}", "opsboundary.syntax"),
        Warning_(f"index.{suffix}", third, f"raw html {script} {SYNTAX}", "opsboundary.syntax"),
    ]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<b id="outside">outside</b>' in html  # the page's own raw HTML is the author's
    assert "<script>alert(2)" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # shown, as text


@pytest.mark.parametrize(
    "url",
    ["//evil.example/x", "//evil.example", "//[::1]/x", "//user@evil.example:8080/x"],
)
def test_protocol_relative_urls_are_refused_by_the_one_rule(url: str) -> None:
    assert url_problem("/" + url) is not None  # "///host": no host name, refused too
    assert url_problem(url) == (
        f"URL {url!r} is protocol-relative (starts with '//'); write it with its scheme: "
        "https://host/path"
    )
    assert url_problem("https://evil.example/x") is None


PROTOCOL_PAGES = {
    "rst": (
        "Page\n====\n\n.. episode-citation:: Talk\n   :url: //cdn.example/a.mp3\n"
        "   :speaker: S\n   :at: 1:00\n\n.. related-paths::\n\n   - //evil.example/x -- d\n"
    ),
    "md": (
        "# Page\n\n```{episode-citation} Talk\n:url: //cdn.example/a.mp3\n:speaker: S\n"
        ":at: 1:00\n```\n\n```{related-paths}\n- //evil.example/x -- d\n```\n"
    ),
}
PROTOCOL_LINES = {"rst": (5, 11), "md": (4, 10)}
REFUSED = "is protocol-relative (starts with '//'); write it with its scheme: https://host/path"


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_protocol_relative_urls_refused_in_citations_and_related_paths(
    suffix: str, tmp_path: Path
) -> None:
    warnings, out = build(tmp_path, {f"index.{suffix}": PROTOCOL_PAGES[suffix]})
    ours = sorted(w for w in warnings if w.type == "opsboundary.url")
    url_line, related_line = PROTOCOL_LINES[suffix]
    assert [(w.file, w.line) for w in ours] == [
        (f"index.{suffix}", url_line),
        (f"index.{suffix}", related_line),
    ]
    assert all(REFUSED in w.message for w in ours), ours
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="//' not in html


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_episode_index_class_is_normalised(suffix: str, tmp_path: Path) -> None:
    body = {
        "rst": "Page\n====\n\n.. episode-index::\n   :class: \\input{x} Big\n\n"
        ".. episode-index::\n   :class: !!!\n",
        "md": "# Page\n\n```{episode-index}\n:class: \\input{x} Big\n```\n\n"
        "```{episode-index}\n:class: '!!!'\n```\n",
    }[suffix]
    warnings, out = build(tmp_path, {f"index.{suffix}": body}, builder="latex")
    assert warnings == [
        Warning_(
            f"index.{suffix}",
            8,
            "episode-index :class: '!!!' is not a list of class names; use letters, digits "
            "and hyphens",
            "opsboundary.syntax",
        )
    ]
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\begin{sphinxuseclass}{input-x}" in tex
    assert "\\input{x}" not in tex


def test_no_roff_request_from_a_caption_or_entry(tmp_path: Path) -> None:
    page = (
        "Page\n====\n\n.. related-paths::\n   :caption: Cap\n      .so /etc/hosts\n\n"
        "   - index -- self\n      .so /etc/motd\n\n"
        ".. boundary-table:: Cap\n      .so /etc/issue\n   :sides: A, B\n\n"
        "   * - x\n     - y\n     - z\n"
    )
    _warnings, out = build(tmp_path, {"index.rst": page}, builder="man")
    man = next(out.rglob("*.1")).read_text(encoding="utf-8")
    assert [line for line in man.splitlines() if line.startswith(".so")] == []
    assert "Cap .so /etc/hosts" in man  # the text is kept, on one line


@pytest.mark.parametrize("content", ["", "# Sphinx build info version 1\n# This file"])
def test_truncated_buildinfo_after_an_interrupt_rebuilds(tmp_path: Path, content: str) -> None:
    """Ctrl-C while Sphinx writes ``.buildinfo`` must not break the next build."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_opsboundary"]\n')
    (src / "index.rst").write_text("Page\n====\n\nText.\n")
    out = tmp_path / "out"
    args = ["-q", "-b", "html", str(src), str(out)]
    assert sphinx_main(args) == 0
    (out / ".buildinfo").write_text(content)
    (out / "index.html").unlink()  # a page the interrupted build did not write
    assert sphinx_main(args) == 0
    assert (out / "index.html").is_file()
    assert (out / ".buildinfo").read_text().startswith("# Sphinx build info version 1\n")
