"""Hostile input (SPEC §0 Security and Diagnostics): every field gets markup,
event handlers and unsafe URL schemes; data files get broken encodings,
duplicate keys and a YAML bomb; bodies get control characters, a 1 MB line and
deep nesting.  Each is escaped or refused with a located ``opsboundary.*``
warning, nothing becomes live in the HTML, no build crashes, memory stays bounded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reliability.build import Result, sphinx_build
from reliability.liveness import live_problems, url_scheme

#: Known bugs in src (see the reliability report); strict, so a fix turns them
#: into XPASS failures that say "remove the mark".

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "file:///etc/passwd",
]

CONF_HEAD = (
    "extensions = ['sphinx_opsboundary', 'myst_parser', 'sphinx_design']\n"
    "myst_enable_extensions = ['colon_fence']\n"
    "source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}\n"
    "exclude_patterns = ['_build', 'data']\n"
    "html_theme = 'alabaster'\n"
)


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based number of the first line at or after *start* containing *needle*."""
    for number, line in enumerate(text.splitlines(), 1):
        if number > start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the page")


def build_ok(root: Path, builder: str = "html", **kwargs: object) -> Result:
    result = sphinx_build(root, root / "_build" / builder, builder=builder, **kwargs)  # type: ignore[arg-type]
    assert not result.crashed, result.describe()
    assert result.returncode == 0, result.describe()
    untyped = [w for w in result.warnings if not w.type]
    assert not untyped, untyped
    return result


def assert_nothing_live(outdir: Path, only: str = "*.html", skip: str = "") -> None:
    problems = {}
    for page in sorted(outdir.rglob(only)):
        if skip and page.name == skip:
            continue
        found = live_problems(page.read_text(encoding="utf-8"))
        if found:
            problems[page.name] = found
    assert not problems, problems


# --------------------------------------------------------------------------
# Every field, rST and MyST.
# --------------------------------------------------------------------------

CONF_EPISODES = {
    "evil": {
        "title": XSS,
        "speakers": [XSS],
        "url": "javascript:alert(1)",
        "series": XSS,
        "date": XSS,
    },
    **{
        f"evil-url-{n}": {"title": f"Evil URL {n}", "speakers": ["S"], "url": url}
        for n, url in enumerate(BAD_URLS)
    },
}
FILE_EPISODES = {
    "file-evil": {"title": XSS, "speakers": [XSS], "url": "JaVaScRiPt:alert(1)", "series": XSS},
    "file-data": {
        "title": "Data URL",
        "speakers": ["S"],
        "url": "data:text/html,<script>x</script>",
    },
}


def hostile_rst() -> str:
    related = "\n".join(f"   - {XSS} <{url}> -- {XSS}".replace("\t", "\\t") for url in BAD_URLS[:4])
    return (
        "Hostile\n=======\n\n"
        f"Role: :episode:`{XSS.replace('<', '&lt;')} <evil@1:00>` and :episode:`evil@{XSS}`.\n\n"
        ".. episode-citation:: evil\n   :at: 1:00\n\n"
        f"   Body {XSS} ``{XSS}``\n\n"
        f".. episode-citation:: Inline {XSS}\n"
        f"   :at: 0:10\n   :speaker: {XSS}\n   :url: javascript:alert(1)\n"
        f'   :series: {XSS}\n   :date: {XSS}\n   :class: x" onmouseover="alert(1)\n\n'
        f"   Inline body {XSS}\n\n"
        ".. episode-citation:: Inline data\n   :at: 0:10\n   :speaker: S\n"
        "   :url: data:text/html,x\n\n"
        ".. episode-citation:: file-evil\n   :at: 0:20\n\n"
        f'.. related-paths::\n   :caption: {XSS}\n   :class: x" onclick="alert(1)\n\n{related}\n'
        f"   - vbscript:msgbox(1) -- {XSS}\n\n"
        f".. boundary-table:: {XSS}\n"
        f"   :sides: {XSS.replace(',', ' ')} <javascript:alert(1)>, B\n"
        f"   :shared: {XSS}\n\n"
        f"   * - {XSS}\n     - {XSS}\n     - `x <javascript:alert(1)>`__\n\n"
        ".. boundary-table::\n   :source: /data/evil.json\n"
    )


def hostile_myst() -> str:
    """Fields that are *not* parsed as markup get raw XSS.  Captions, ``:shared:``,
    cells and bodies are parsed as the page's own MyST, where inline HTML is a
    MyST feature (``<b>`` works in any paragraph), so they get no raw HTML here;
    data-file values are not page markup and are tested from MyST below."""
    esc = XSS.replace("<", "&lt;")
    return (
        "# Hostile MyST\n\n"
        f"Role {{episode}}`evil@1:00` and {{episode}}`evil@{esc}`.\n\n"
        "```{episode-citation} evil\n:at: 1:00\n```\n\n"
        f"```{{episode-citation}} Inline {XSS}\n:at: 0:10\n:speaker: {XSS}\n"
        f":url: JaVaScRiPt:alert(1)\n:series: {XSS}\n```\n\n"
        f":::{{related-paths}}\n:caption: {esc}\n\n"
        + "".join(f"- {esc} <{url}> -- plain\n" for url in BAD_URLS[:4])
        + ":::\n\n"
        f"```{{boundary-table}} {esc}\n:sides: A <data:text/html,x>, B\n:shared: {esc}\n\n"
        f"* - {esc}\n  - one\n  - two\n```\n"
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    root = tmp_path_factory.mktemp("hostile")
    conf = CONF_HEAD + f"opsboundary_episodes = {CONF_EPISODES!r}\n"
    conf += "opsboundary_episodes_file = 'data/episodes.json'\n"
    evil_table = {
        "caption": XSS,
        "sides": [f"{XSS} <javascript:alert(1)>", "B <data:text/html,x>"],
        "shared": XSS,
        "rows": [{"aspect": XSS, "cells": [XSS, "[x](javascript:alert(1))"]}],
    }
    write_tree(
        root,
        {
            "conf.py": conf,
            "index.rst": (
                "Index\n=====\n\n.. toctree::\n\n"
                "   hostile\n   hostile-myst\n   hostile-myst-source\n"
            ),
            "hostile.rst": hostile_rst(),
            "hostile-myst.md": hostile_myst(),
            "hostile-myst-source.md": (
                "# Data file from MyST\n\n```{boundary-table}\n:source: /data/evil.json\n```\n"
            ),
            "data/episodes.json": json.dumps(FILE_EPISODES, indent=1),
            "data/evil.json": json.dumps(evil_table, indent=1),
        },
    )
    return root, build_ok(root)


def test_nothing_live_in_html(hostile_site: tuple[Path, Result]) -> None:
    root, _ = hostile_site
    assert_nothing_live(root / "_build" / "html", skip="hostile-myst-source.html")


def test_data_file_values_not_live_from_myst(hostile_site: tuple[Path, Result]) -> None:
    """A ``:source:`` data file is data, not the page's markup: its caption,
    aspects, cells and shared text must not become raw HTML under MyST either
    (the same file is escaped when used from an rST page)."""
    root, _ = hostile_site
    assert_nothing_live(root / "_build" / "html", only="hostile-myst-source.html")


def test_markup_is_escaped_as_text(hostile_site: tuple[Path, Result]) -> None:
    root, _ = hostile_site
    html = (root / "_build" / "html" / "hostile.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not dropped


def test_unsafe_urls_refused_with_located_warnings(hostile_site: tuple[Path, Result]) -> None:
    root, result = hostile_site
    text = (root / "hostile.rst").read_text(encoding="utf-8")
    urls = [w for w in result.warnings if w.type == "opsboundary.url"]
    located = {(w.file, w.line) for w in urls}
    expected = {
        ("hostile.rst", line_of(text, ":url: javascript:alert(1)")),
        ("hostile.rst", line_of(text, ":url: data:text/html,x")),
        ("hostile.rst", line_of(text, "vbscript:msgbox(1)")),
    }
    for url in BAD_URLS[:4]:
        shown = url.replace("\t", "\\t")
        expected.add(("hostile.rst", line_of(text, f"<{shown}> --")))
    myst = (root / "hostile-myst.md").read_text(encoding="utf-8")
    expected.add(("hostile-myst.md", line_of(myst, ":url: JaVaScRiPt")))
    for url in BAD_URLS[:4]:
        expected.add(("hostile-myst.md", line_of(myst, f"<{url}> --")))
    missing = expected - located
    assert not missing, f"no opsboundary.url warning at {sorted(missing)}; got {sorted(located)}"
    # every registry URL is refused too, in conf.py and in the data file
    conf_urls = [w for w in urls if w.file == "conf.py"]
    assert len(conf_urls) >= 1 + len(BAD_URLS) - 1, conf_urls  # file: may be refused or relative
    file_urls = [w for w in urls if w.file == "data/episodes.json"]
    assert len(file_urls) == 2 and all(w.line for w in file_urls), file_urls
    # and the refused URLs appear nowhere as a link target
    html = (root / "_build" / "html" / "hostile.html").read_text(encoding="utf-8")
    for attribute in ("href", "src"):
        for scheme in ("javascript", "data", "vbscript", "file"):
            assert f'{attribute}="{scheme}:' not in html.lower()


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo"])
def test_hostile_text_escaped_in_other_builders(tmp_path: Path, builder: str) -> None:
    """LaTeX/man/texinfo commands in user text stay text."""
    evil = r"\input{/etc/passwd} @include /etc/passwd .so /etc/passwd"
    conf = CONF_HEAD + repr_conf(
        {"e": {"title": evil, "speakers": [evil], "url": "https://x.org/a"}}
    )
    conf += "latex_documents = [('index', 'x.tex', 'X', 'A', 'manual')]\n"
    conf += "man_pages = [('index', 'x', 'X', ['A'], 1)]\n"
    conf += "texinfo_documents = [('index', 'x', 'X', 'A', 'x', 'd', 'm')]\n"
    page = (
        "Index\n=====\n\n.. episode-citation:: e\n   :at: 1:00\n\n"
        ".. related-paths::\n\n"
        f"   - {evil.replace('<', '')} <index> -- {evil}\n\n"
        f".. boundary-table:: {evil}\n   :sides: A, B\n\n   * - {evil}\n     - a\n     - b\n"
    )
    write_tree(tmp_path, {"conf.py": conf, "index.rst": page})
    build_ok(tmp_path, builder)
    out = tmp_path / "_build" / builder
    text = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in {".tex", ".txt", ".1", ".texi"}
    )
    if builder == "latex":
        assert "\\input{/etc/passwd}" not in text
    if builder == "texinfo":
        assert "\n@include /etc/passwd" not in text
    if builder == "man":
        assert "\n.so /etc/passwd" not in text


def repr_conf(episodes: dict) -> str:
    return f"opsboundary_episodes = {episodes!r}\n"


# --------------------------------------------------------------------------
# Control characters, a 1 MB line, deep nesting.
# --------------------------------------------------------------------------


def test_control_characters_and_a_megabyte_line(tmp_path: Path) -> None:
    controls = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\n\r\t") + "\x7f\u2028"
    big = "word " * 200_000  # 1 MB on one line
    page = (
        "Controls\n========\n\n"
        f".. episode-citation:: Inline {controls}\n   :at: 1:00\n   :speaker: S{controls}\n\n"
        f"   Body {controls}\n\n   {big}\n\n"
        f".. related-paths::\n\n   - index -- {controls}\n   - index2 -- {big}\n\n"
        f".. boundary-table:: {controls}\n   :sides: A{controls}, B\n\n"
        f"   * - {controls}\n     - {big}\n     - c\n\n"
        f".. episode-citation:: e\n   :at: {'1' * 1_000_000}\n"
    )
    conf = CONF_HEAD + repr_conf({"e": {"title": "E", "speakers": ["S"]}})
    write_tree(tmp_path, {"conf.py": conf, "index.rst": page})
    result = build_ok(tmp_path, timeout=300)
    # Lines as docutils counts them (it maps \v and \f to spaces, then splits on
    # every Unicode line boundary, e.g. \x1c and \u2028); all Sphinx warnings
    # use this numbering, so ours must too.
    from docutils.statemachine import string2lines

    big_at = next(
        n
        for n, text in enumerate(string2lines(page, convert_whitespace=True), 1)
        if ":at: 1111" in text
    )
    assert any(
        w.type == "opsboundary.timestamp" and (w.file, w.line) == ("index.rst", big_at)
        for w in result.warnings
    ), "\n".join(f"{w.file}:{w.line} [{w.type}] {w.message[:160]}" for w in result.warnings)
    # messages stay one readable line
    assert all(len(w.message) < 2000 for w in result.warnings), [
        len(w.message) for w in result.warnings
    ]
    html = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert not live_problems(html)


@pytest.mark.slow
def test_deep_nesting(tmp_path: Path) -> None:
    """80 nested lists inside each body (docutils itself overflows the stack near
    200 levels even outside our directives, so 80 is what rST can do); 200 nested
    block quotes in MyST, where markdown-it caps nesting."""
    nested = "".join("  " * d + f"- level {d}\n\n" for d in range(80))
    indented = "".join("   " + line + "\n" if line else "\n" for line in nested.splitlines())
    quotes = "".join(">" * d + f" level {d}\n" for d in range(1, 201))
    conf = CONF_HEAD + repr_conf({"e": {"title": "E", "speakers": ["S"]}})
    write_tree(
        tmp_path,
        {
            "conf.py": conf,
            "index.rst": (
                "Nest\n====\n\n.. toctree::\n\n   md\n\n"
                ".. episode-citation:: e\n   :at: 1:00\n\n" + indented + "\n"
                ".. boundary-table::\n   :sides: A, B\n\n   * - aspect\n     - one\n"
                "     - two\n\n"
            ),
            "md.md": "# MD\n\n```{episode-citation} e\n:at: 1:00\n\n" + quotes + "```\n",
        },
    )
    build_ok(tmp_path, timeout=300)


# --------------------------------------------------------------------------
# Data files: encodings, duplicate keys, a YAML bomb.
# --------------------------------------------------------------------------

TABLE_SOURCES = {
    "toml": b'sides = ["A", "B"]\n[[rows]]\naspect = "\xff\xfe bad"\ncells = ["1", "2"]\n',
    "json": b'{"sides": ["A", "B"],\n "rows": [{"aspect": "\xff\xfe", "cells": ["1", "2"]}]}',
    "yaml": b"sides: [A, B]\nrows:\n  - aspect: \"\xff\xfe\"\n    cells: ['1', '2']\n",
}
DUPLICATES = {
    "toml": 'sides = ["A", "B"]\nsides = ["C", "D"]\n[[rows]]\naspect = "x"\ncells = ["1", "2"]\n',
    "json": (
        '{"sides": ["A", "B"],\n "sides": ["C", "D"],\n'
        ' "rows": [{"aspect": "x", "cells": ["1", "2"]}]}'
    ),
    "yaml": "sides: [A, B]\nsides: [C, D]\nrows:\n  - aspect: x\n    cells: ['1', '2']\n",
}
EPISODE_BYTES = {
    "toml": b'[e]\ntitle = "\xff\xfe"\nspeakers = ["S"]\n',
    "json": b'{"e": {"title": "\xff\xfe", "speakers": ["S"]}}',
    "yaml": b'e:\n  title: "\xff\xfe"\n  speakers: [S]\n',
}
EPISODE_DUPLICATES = {
    "toml": '[e]\ntitle = "One"\ntitle = "Two"\nspeakers = ["S"]\n',
    "json": (
        '{"e": {"title": "One", "speakers": ["S"]},\n "e": {"title": "Two", "speakers": ["S"]}}'
    ),
    "yaml": "e:\n  title: One\n  speakers: [S]\ne:\n  title: Two\n  speakers: [S]\n",
}


def _table_project(root: Path, fmt: str, content: str | bytes) -> None:
    write_tree(
        root,
        {
            "conf.py": CONF_HEAD,
            "index.rst": f"T\n=\n\n.. boundary-table::\n   :source: /data/t.{fmt}\n",
            f"data/t.{fmt}": content,
        },
    )


def _episodes_project(root: Path, fmt: str, content: str | bytes) -> None:
    write_tree(
        root,
        {
            "conf.py": CONF_HEAD + f"opsboundary_episodes_file = 'data/e.{fmt}'\n",
            "index.rst": "T\n=\n\n.. episode-citation:: e\n   :at: 1:00\n",
            f"data/e.{fmt}": content,
        },
    )


def _located_in(result: Result, file: str, types: set[str]) -> list:
    return [w for w in result.warnings if w.file == file and w.type in types and w.line]


@pytest.mark.parametrize("fmt", sorted(TABLE_SOURCES))
def test_table_source_not_utf8(tmp_path: Path, fmt: str) -> None:
    _table_project(tmp_path, fmt, TABLE_SOURCES[fmt])
    result = build_ok(tmp_path)
    found = [w for w in result.warnings if w.type == "opsboundary.source"]
    assert found, result.warnings
    assert any(w.file in {f"data/t.{fmt}", "index.rst"} and w.line for w in found), found


@pytest.mark.parametrize("fmt", sorted(DUPLICATES))
def test_table_source_duplicate_keys(tmp_path: Path, fmt: str) -> None:
    _table_project(tmp_path, fmt, DUPLICATES[fmt])
    result = build_ok(tmp_path)
    found = _located_in(result, f"data/t.{fmt}", {"opsboundary.source"})
    assert found, f"duplicate key 'sides' not reported in data/t.{fmt}: {result.warnings}"
    assert found[0].line == 2, found


@pytest.mark.parametrize("fmt", sorted(EPISODE_BYTES))
def test_episodes_file_not_utf8(tmp_path: Path, fmt: str) -> None:
    _episodes_project(tmp_path, fmt, EPISODE_BYTES[fmt])
    result = build_ok(tmp_path)
    found = _located_in(result, f"data/e.{fmt}", {"opsboundary.source", "opsboundary.config"})
    assert found, result.warnings


@pytest.mark.parametrize("fmt", sorted(EPISODE_DUPLICATES))
def test_episodes_file_duplicate_keys(tmp_path: Path, fmt: str) -> None:
    _episodes_project(tmp_path, fmt, EPISODE_DUPLICATES[fmt])
    result = build_ok(tmp_path)
    found = _located_in(result, f"data/e.{fmt}", {"opsboundary.source", "opsboundary.episode"})
    assert found, f"duplicate keys in data/e.{fmt} not reported: {result.warnings}"


BOMB = "\n".join(
    ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)

RSS_WRAPPER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
from sphinx.cmd.build import main
rc = main(sys.argv[1:])
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(rc)
"""


def _build_with_rss(root: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            RSS_WRAPPER,
            "-b",
            "html",
            "--no-color",
            str(root),
            str(root / "_build" / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    rss = [
        int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS_KB")
    ]
    return proc, rss[0] if rss else -1


@pytest.mark.slow
@pytest.mark.parametrize("where", ["table", "table-field", "episodes", "episodes-field"])
def test_yaml_bomb_bounded(tmp_path: Path, where: str) -> None:
    """Billion laughs (9**9 leaves) in a boundary source and in the episodes file,
    at the top level and hidden inside a field that validation must look at."""
    nested = "_bomb:\n" + "".join(f"  {line}\n" for line in BOMB.splitlines())
    if where == "table":
        _table_project(tmp_path, "yaml", BOMB + "\nsides: [A, B]\nrows: []\n")
        file = "data/t.yaml"
    elif where == "table-field":
        _table_project(tmp_path, "yaml", nested + "sides: *i\nshared: *i\nrows: []\n")
        file = "data/t.yaml"
    elif where == "episodes-field":
        _episodes_project(tmp_path, "yaml", nested + "e: {title: *i, speakers: *i, url: *i}\n")
        file = "data/e.yaml"
    else:
        _episodes_project(tmp_path, "yaml", BOMB + "\ne: {title: E, speakers: [S]}\n")
        file = "data/e.yaml"
    proc, rss_kb = _build_with_rss(tmp_path)
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output and "Exception occurred" not in output, output[-4000:]
    assert proc.returncode == 0, output[-4000:]
    assert 0 < rss_kb < 1.5 * 1024 * 1024, f"peak RSS {rss_kb} KB"
    from reliability.build import parse_warnings

    warnings = parse_warnings(proc.stderr, tmp_path)
    assert any(
        w.file == file and w.type and w.type.startswith("opsboundary") and w.line for w in warnings
    ), warnings


def test_url_scheme_helper() -> None:
    assert url_scheme(" java\tscript:alert(1)") == "javascript"
    assert url_scheme("JaVaScRiPt:x") == "javascript"
    assert url_scheme("/relative#x") is None
    assert url_scheme("https://x.org") == "https"
    assert live_problems(
        '<div class="opsboundary-x"><a href="java&#9;script:1" onclick="x">a</a></div>'
    )


#: An entry ``e`` with no speaker, after text that also says ``e``; the warning
#: belongs on the line that opens the entry (1-based line given).
MISLEADING_KEYS = {
    "toml": ('[a]\ntitle = "A"\nspeakers = ["S"]\nkind = "e"\n\n[e]\ntitle = "E"\n', 6),
    "json": ('{"a": {"title": "A", "speakers": ["S"], "kind": "e"},\n "e": {"title": "E"}}\n', 2),
    "yaml": ("a:\n  title: A\n  speakers: [S]\n  kind: e\n  e: nested\ne:\n  title: E\n", 6),
}


@pytest.mark.parametrize("fmt", sorted(MISLEADING_KEYS))
def test_episodes_file_warning_at_the_entry_line(tmp_path: Path, fmt: str) -> None:
    """SPEC §0: located at the offending line, not at the first text that
    happens to look like the key (a value ``"e"``, a nested ``e:``)."""
    content, line = MISLEADING_KEYS[fmt]
    _episodes_project(tmp_path, fmt, content)
    result = build_ok(tmp_path)
    about_e = [
        w
        for w in result.warnings
        # The warning about entry e (not about a field of entry a named 'e').
        if w.type == "opsboundary.episode"
        and w.message.startswith("episode 'e' ")
        and "speaker" in w.message
    ]
    assert about_e, result.warnings
    assert {(w.file, w.line) for w in about_e} == {(f"data/e.{fmt}", line)}, about_e
