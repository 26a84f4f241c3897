"""related-paths and Markdown habits (SPEC §2, "Targets"), from rST and MyST alike.

A ``[Title](target)`` entry reads as ``Title <target>``; a target written with the
page's own source suffix resolves; any other suffix is flagged with did-you-mean;
a half-written link is flagged at its line; unsafe schemes stay refused.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_opsboundary.links.mdlink import (
    MarkdownLink,
    MarkdownLinkError,
    parse_markdown_entry,
)
from test_related import build_app
from util import Warning_, opsboundary_warnings, warnings_of

PAGES = {"rst": ("habits_rst.rst", 0), "md": ("habits_md.md", -1)}

#: (line in the rST page, subtype, message); the MyST page is one line higher.
EXPECTED: list[tuple[int, str, str]] = [
    (
        11,
        "related",
        "related link 'colours.md': the page's source is 'colours.rst', not 'colours.md'; "
        "did you mean 'colours'?",
    ),
    (
        12,
        "url",
        "related link refused: URL 'javascript:alert(1)' uses the scheme 'javascript:', "
        "which is not allowed; use an http:, https: or relative URL",
    ),
    (
        13,
        "syntax",
        "related-paths entry '[Half written](fonts -- never closed.': the Markdown link has "
        "no closing ')'; write '[Title](target) -- description'",
    ),
    (
        14,
        "syntax",
        "related-paths entry '[Trailing](fonts) words -- after the link.': the text after "
        "the Markdown link must start with ' -- ' (the description separator); write "
        "'[Title](target) -- description'",
    ),
    (
        15,
        "related",
        "related link 'fontz.md': there is no document 'fontz.md'; did you mean 'fonts'?",
    ),
]


@pytest.fixture(scope="module")
def habits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    app = build_app("related-habits", tmp_path_factory.mktemp("habits"))
    app.build()
    yield app
    app.cleanup()


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_habit_warnings(habits: SphinxTestApp, fmt: str) -> None:
    page, shift = PAGES[fmt]
    found = [w for w in opsboundary_warnings(habits) if w.file == page]
    side = Warning_(
        page,
        18,  # boundary-table sides share the target grammar and its checks
        "side link 'colours.md': the page's source is 'colours.rst', not 'colours.md'; "
        "did you mean 'colours'?",
        "opsboundary.related",
    )
    assert sorted(found) == sorted(
        [
            *(
                Warning_(page, line + shift, message, f"opsboundary.{subtype}")
                for line, subtype, message in EXPECTED
            ),
            side,
        ]
    )


def test_no_other_warnings(habits: SphinxTestApp) -> None:
    files = {w.file for w in opsboundary_warnings(habits)}
    assert files == {"habits_rst.rst", "habits_md.md"}
    assert len(warnings_of(habits)) == len(opsboundary_warnings(habits)) == 2 * len(EXPECTED) + 2


def _items(app: SphinxTestApp, page: str) -> list[str]:
    html = (Path(app.outdir) / page).with_suffix(".html").read_text(encoding="utf-8")
    body = html[html.index('class="opsboundary-related-list') :]
    return body[: body.index("</ul>")].split("<li>")[1:]


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_habit_links(habits: SphinxTestApp, fmt: str) -> None:
    items = _items(habits, PAGES[fmt][0])
    assert len(items) == 8  # the two malformed entries are left out
    assert 'href="fonts.html"><span>Fonts page</span></a> — ' in items[0]
    assert "A Markdown link." in items[0]
    # [](colours.rst#palette): the page's own suffix, the section's title.
    assert 'href="colours.html#palette"><span>Palette</span></a>' in items[1]
    assert 'href="fonts.html#type-scale"><span>Type scale</span></a>' in items[2]
    assert 'href="colours.html"><span>A [nested] title</span></a>' in items[3]
    assert 'href="https://example.org/wiki_(x)"><span>Wiki</span></a>' in items[4]
    assert '<span class="opsboundary-link opsboundary-broken">colours.md</span>' in items[5]
    assert '<span class="opsboundary-link opsboundary-broken">Unsafe</span>' in items[6]
    assert "javascript" not in "".join(items)


def test_same_html_from_rst_and_myst(habits: SphinxTestApp) -> None:
    assert _items(habits, "habits_rst.rst") == _items(habits, "habits_md.md")


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_side_with_the_pages_own_suffix(habits: SphinxTestApp, fmt: str) -> None:
    html = (Path(habits.outdir) / PAGES[fmt][0]).with_suffix(".html").read_text(encoding="utf-8")
    assert 'href="fonts.html"><span>Fonts</span></a>' in html


def test_source_format_change_is_judged_afresh(tmp_path: Path) -> None:
    """fonts.md becomes fonts.rst: without -E, 'fonts.md' links are now flagged."""
    app = build_app("related-habits", tmp_path)
    app.build()
    app.cleanup()
    src = Path(app.srcdir)
    (src / "fonts.md").unlink()
    (src / "fonts.rst").write_text(
        "Fonts\n=====\n\nType scale\n----------\n\nSizes.\n", encoding="utf-8"
    )
    again = build_app("related-habits", tmp_path)
    try:
        again.build()
        found = [w for w in opsboundary_warnings(again) if "fonts" in w.message]
    finally:
        again.cleanup()
    message = (
        "related link 'fonts.md#type-scale': the page's source is 'fonts.rst', not "
        "'fonts.md'; did you mean 'fonts#type-scale'?"
    )
    side = (
        "side link 'fonts.md': the page's source is 'fonts.rst', not 'fonts.md'; "
        "did you mean 'fonts'?"
    )
    assert sorted(w for w in found if "source is 'fonts.rst'" in w.message) == [
        Warning_("habits_md.md", 7, message, "opsboundary.related"),
        Warning_("habits_md.md", 18, side, "opsboundary.related"),
        Warning_("habits_rst.rst", 8, message, "opsboundary.related"),
        Warning_("habits_rst.rst", 18, side, "opsboundary.related"),
    ]


# --------------------------------------------------------------------------
# The grammar itself (pure)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[T](page)", MarkdownLink("T", "page", "")),
        ("[T](page) -- why", MarkdownLink("T", "page", "why")),
        ("[T](page) — why -- and more", MarkdownLink("T", "page", "why -- and more")),
        ("[A -- B](page) -- why", MarkdownLink("A -- B", "page", "why")),
        ("[](page#x)", MarkdownLink(None, "page#x", "")),
        ("[T](<a b>)", MarkdownLink("T", "a b", "")),
        ('[T](page "hover")', MarkdownLink("T", "page", "")),
        (r"[a \] b](p\)q)", MarkdownLink("a ] b", "p)q", "")),
        ("[x](https://e.org/a_(b)) -- d", MarkdownLink("x", "https://e.org/a_(b)", "d")),
        ("[T]( page )", MarkdownLink("T", "page", "")),
    ],
)
def test_parse_markdown_entry(text: str, expected: MarkdownLink) -> None:
    assert parse_markdown_entry(text) == expected


@pytest.mark.parametrize(
    "text",
    ["page -- why", "Title <page>", "[draft] notes <page>", "[T] (page)", "[unclosed title"],
)
def test_not_a_markdown_link(text: str) -> None:
    assert parse_markdown_entry(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[T](page", "the Markdown link has no closing ')'"),
        ("[T](page -- why", "the Markdown link has no closing ')'"),
        ('[T](page "hover', "the Markdown link has no closing ')'"),
        ("[T](<page", "the Markdown link's '<target>' has no closing '>'"),
        ("[T](page)x", "the text after the Markdown link must start with ' -- '"),
        ("[T](page) why", "the text after the Markdown link must start with ' -- '"),
        ("[T](page) --why", "the text after the Markdown link must start with ' -- '"),
    ],
)
def test_half_written(text: str, problem: str) -> None:
    with pytest.raises(MarkdownLinkError) as caught:
        parse_markdown_entry(text)
    assert str(caught.value).startswith(problem)


_plain = st.text(
    alphabet=st.characters(
        blacklist_characters="[]()<>\\\"'\n\r", blacklist_categories=("Cs", "Zs", "Cc")
    ),
    min_size=1,
    max_size=20,
)


@given(title=_plain, target=_plain, description=_plain)
def test_round_trip(title: str, target: str, description: str) -> None:
    parsed = parse_markdown_entry(f"[{title}]({target}) -- {description}")
    assert parsed == MarkdownLink(title.strip() or None, target.strip(), description.strip())


@given(st.text(alphabet="[]()<> \\-—x\"'", max_size=60))
def test_never_raises_anything_else(text: str) -> None:
    with contextlib.suppress(MarkdownLinkError):
        parse_markdown_entry(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20_000,
        "[T](" + "(" * 20_000,
        "[T](a" + " " * 20_000 + "x",
        "[T](a)" + " " * 20_000 + "-",
        "[" + "\\" * 20_000,
        "[T](" + "a\\" * 10_000,
    ],
)
def test_linear_time(text: str) -> None:
    start = time.process_time()
    with contextlib.suppress(MarkdownLinkError):
        parse_markdown_entry(text)
    assert time.process_time() - start < 0.5
