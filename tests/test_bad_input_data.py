"""Bad input, second pass (issue 11): data files are data, and no value crashes.

Every test builds a small project written into ``tmp_path`` from rST and from
MyST (one shared expectation) and asserts the exact warning: file, line,
message and type.  Each finding failed on 0.1 (a traceback, a published file,
a hang or a warning at the wrong place).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from util import Warning_, parse_warnings

CONF = """\
extensions = ['myst_parser', 'sphinx_opsboundary']
exclude_patterns = ['_build', 'data']
myst_enable_extensions = ['colon_fence']
rst_prolog = '''
.. role:: raw-html(raw)
   :format: html
'''
opsboundary_episodes = {'ep': {'title': 'E', 'speakers': ['S'], 'url': 'https://example.org/a.mp3'}}
man_pages = [('index', 'page', 'Page', [], 1)]
texinfo_documents = [('index', 'page', 'Page', 'A', 'page', 'P', 'Misc')]
latex_documents = [('index', 'page.tex', 'Page', 'A', 'manual')]
"""

PAGES = {
    "rst": "Page\n====\n\n.. boundary-table::\n   :source: {source}\n",
    "md": "# Page\n\n```{{boundary-table}}\n:source: {source}\n```\n",
}
SOURCE_LINE = {"rst": 5, "md": 4}


def build(
    root: Path, files: dict[str, str | bytes], builder: str = "html", conf: str = ""
) -> tuple[list[Warning_], Path]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF + conf, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    app = SphinxTestApp(builder, srcdir=root, warning=io.StringIO(), status=io.StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return parse_warnings(app.warning.getvalue(), root), Path(app.outdir)


def page(suffix: str, source: str) -> dict[str, str]:
    return {f"index.{suffix}": PAGES[suffix].format(source=source)}


def html(outdir: Path) -> str:
    return (outdir / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# 1. No value raises: dates, numbers, surrogates
# --------------------------------------------------------------------------

BAD_VALUES = {
    "impossible date": (
        "t.yaml",
        "sides: [A, B]\nrows:\n  - aspect: a\n    cells: [x, 2024-02-30]\n",
        4,
        "is not valid YAML: '2024-02-30' is not a real date (day is out of range for "
        "month); quote it to keep it as text",
    ),
    "5,000-digit integer, JSON": (
        "t.json",
        '{"sides": ["A", "B"],\n "rows": [{"aspect": "a",\n  "cells": ["x", ' + "1" * 5000 + "]}]}",
        3,
        "holds a number of more than 64 digits; numbers must be of a sane size",
    ),
    "5,000-digit integer, TOML": (
        "t.toml",
        'sides = ["A", "B"]\nn = ' + "1" * 5000 + "\n",
        2,
        "holds a number of more than 64 digits; numbers must be of a sane size",
    ),
    "5,000-digit integer, YAML": (
        "t.yaml",
        "sides: [A, B]\nn: " + "1" * 5000 + "\n",
        2,
        "is not valid YAML: '1111111111111111111111111111111111111111…' is not a number "
        "of sane size (at most 64 digits)",
    ),
    "lone surrogate, JSON": (
        "t.json",
        '{"sides": ["A", "B"],\n "rows": [{"aspect": "a",\n  "cells": ["x", "\\ud800"]}]}',
        3,
        "at 'rows[0].cells[1]': holds a lone surrogate \\ud800 at character 1 of a text, "
        "which no output can show; write the character itself",
    ),
    "lone surrogate, YAML": (
        "t.yaml",
        'sides: [A, B]\ncaption: "a\\ud800"\n',
        2,
        "at 'caption': holds a lone surrogate \\ud800 at character 2 of a text, "
        "which no output can show; write the character itself",
    ),
    "infinity, JSON": (
        "t.json",
        '{"sides": ["A", "B"],\n "n": 1e999}',
        2,
        "at 'n': holds a number that is infinite or not a number; write a finite number",
    ),
}


@pytest.mark.parametrize("suffix", ["rst", "md"])
@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_bad_value_in_a_table_source_is_a_located_warning(
    case: str, suffix: str, tmp_path: Path
) -> None:
    name, text, line, message = BAD_VALUES[case]
    warnings, _out = build(tmp_path, {**page(suffix, f"data/{name}"), f"data/{name}": text})
    assert warnings == [
        Warning_(
            f"data/{name}",
            line,
            f"boundary-table data file {name!r} {message}",
            "opsboundary.source",
        )
    ]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        (
            "episodes.yaml",
            "ep2:\n  title: T\n  speakers: [S]\n  date: 2024-02-30\n",
            4,
            "is not valid YAML: '2024-02-30' is not a real date (day is out of range for "
            "month); quote it to keep it as text",
        ),
        (
            "episodes.json",
            '{"ep2": {"title": "T",\n "speakers": ["\\udfff"]}}',
            2,
            "at 'ep2.speakers[0]': holds a lone surrogate \\udfff at character 1 of a text, "
            "which no output can show; write the character itself",
        ),
        (
            "episodes.toml",
            '[ep2]\ntitle = "T"\nduration = ' + "9" * 5000 + "\n",
            3,
            "holds a number of more than 64 digits; numbers must be of a sane size",
        ),
    ],
)
def test_bad_value_in_the_episodes_file_is_a_located_warning(
    name: str, text: str, line: int, message: str, tmp_path: Path
) -> None:
    warnings, _out = build(
        tmp_path,
        {"index.rst": "Page\n====\n\nText.\n", name: text},
        conf=f"opsboundary_episodes_file = {name!r}\n",
    )
    if name.endswith(".yaml"):
        message = message.replace("is not valid YAML: ", "is not valid YAML: ")
    assert warnings == [
        Warning_(name, line, f"episodes file {name!r} {message}", "opsboundary.source")
    ]


def test_bad_value_in_the_conf_registry_is_a_config_warning(tmp_path: Path) -> None:
    warnings, _out = build(
        tmp_path,
        {"index.rst": "Page\n====\n\n:episode:`ep@1:00`\n"},
        conf="opsboundary_episodes['bad'] = {'title': 'x\\ud800', 'speakers': ['S']}\n"
        "opsboundary_episodes['big'] = {'title': 'B', 'duration': 10**400}\n",
    )
    assert sorted(w.message for w in warnings) == [
        "opsboundary_episodes 'bad' at 'bad.title': holds a lone surrogate \\ud800 at "
        "character 2 of a text, which no output can show; write the character itself; "
        "the episode is ignored",
        "opsboundary_episodes 'big' at 'big.duration': holds a number larger than "
        "1,000,000,000,000,000; numbers must stay below that; the episode is ignored",
    ]
    assert {w.type for w in warnings} == {"opsboundary.config"}


# --------------------------------------------------------------------------
# 3. Data files are data: inline markup only
# --------------------------------------------------------------------------

HOSTILE_CELLS = {
    "include": ".. include:: ../secret.txt",
    "raw file": ".. raw:: html\n   :file: ../secret.txt",
    "myst include": "```{include} ../secret.txt\n```",
    "literalinclude": ".. literalinclude:: ../secret.txt",
    "download": ":download:`../secret.txt`",
    "image": "![x](../secret.png)",
}


@pytest.mark.parametrize("suffix", ["rst", "md"])
@pytest.mark.parametrize("case", sorted(HOSTILE_CELLS))
def test_data_file_cells_never_publish_a_file(case: str, suffix: str, tmp_path: Path) -> None:
    cell = HOSTILE_CELLS[case]
    data = {
        "sides": ["A", "B"],
        "caption": cell,
        "shared": cell,
        "rows": [{"aspect": cell, "cells": [cell, cell]}],
    }
    import json

    files: dict[str, str | bytes] = {
        **page(suffix, "data/t.json"),
        "data/t.json": json.dumps(data),
        "secret.txt": "TOP-SECRET-CONTENT",
        "secret.png": b"\x89PNG\r\n\x1a\n" + b"TOP-SECRET-CONTENT",
    }
    warnings, out = build(tmp_path / "src", files)
    published = [
        p for p in out.rglob("*") if p.is_file() and b"TOP-SECRET-CONTENT" in p.read_bytes()
    ]
    assert published == []
    assert not [w for w in warnings if not (w.type or "").startswith("opsboundary")]
    if case != "image":  # an image is shown as its alternative text
        assert "secret" in html(out)  # shown as text


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_raw_role_in_a_data_file_cell_is_text(suffix: str, tmp_path: Path) -> None:
    """docutils asserted 'Losing classes' when the raw node became text (0.1)."""
    files = {
        **page(suffix, "data/t.yaml"),
        "data/t.yaml": "sides: [A, B]\nrows:\n  - aspect: a\n"
        '    cells: [x, ":raw-html:`<b onclick=alert(1)>hi</b>`"]\n',
    }
    warnings, out = build(tmp_path, files)
    assert warnings == []
    text = html(out)
    assert "onclick=alert(1)&gt;hi" in text
    assert "<b onclick" not in text


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_refused_link_in_a_data_file_cell_is_located_in_the_data_file(
    suffix: str, tmp_path: Path
) -> None:
    files = {
        **page(suffix, "data/t.yaml"),
        "data/t.yaml": "sides: [A, B]\nrows:\n  - aspect: a\n    cells:\n      - x\n"
        '      - "`y <javascript:alert(1)>`_"\n',
    }
    url, message = (
        "javascript:alert(1)",
        (
            "uses the scheme 'javascript:', which is not allowed; use an http:, https: or "
            "relative URL"
        ),
    )
    expected = [
        Warning_("data/t.yaml", 6, f"link refused: URL {url!r} {message}", "opsboundary.url")
    ]
    if suffix == "md":  # markdown-it itself never makes a javascript: link
        files["data/t.yaml"] = files["data/t.yaml"].replace(
            "`y <javascript:alert(1)>`_", f"[y]({url})"
        )
        expected = []
    warnings, out = build(tmp_path, files)
    assert warnings == expected
    assert f'href="{url}' not in html(out)


# --------------------------------------------------------------------------
# 3. Data files only from inside the source folder, only regular files
# --------------------------------------------------------------------------

OUTSIDE = (
    "lies outside the source folder; data files must live inside the source folder "
    "(or the configuration folder)"
)


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_source_outside_the_source_folder_is_refused(suffix: str, tmp_path: Path) -> None:
    (tmp_path / "outside.json").write_text('{"sides": ["A", "B"], "rows": []}')
    warnings, _out = build(tmp_path / "src", page(suffix, "../outside.json"))
    assert warnings == [
        Warning_(
            f"index.{suffix}",
            SOURCE_LINE[suffix],
            f"boundary-table data file '../outside.json' {OUTSIDE}",
            "opsboundary.source",
        )
    ]


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_symlink_leading_outside_or_to_a_non_data_file_is_refused(
    suffix: str, tmp_path: Path
) -> None:
    (tmp_path / "outside.json").write_text('{"sides": ["A", "B"], "rows": []}')
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    os.symlink(tmp_path / "outside.json", src / "data" / "out.json")
    (src / "notes.txt").write_text("not data")
    os.symlink(src / "notes.txt", src / "data" / "notes.json")
    files = {
        f"index.{suffix}": PAGES[suffix].format(source="data/out.json")
        + "\n"
        + PAGES[suffix].split("\n", 2)[2].format(source="data/notes.json")
    }
    warnings, _out = build(src, files)
    real = os.path.realpath(tmp_path / "outside.json")
    second = SOURCE_LINE[suffix] + 4
    assert warnings == [
        Warning_(
            f"index.{suffix}",
            SOURCE_LINE[suffix],
            f"boundary-table data file 'data/out.json' is a symbolic link to {real}, which "
            + OUTSIDE.replace("lies ", "lies ", 1),
            "opsboundary.source",
        ),
        Warning_(
            f"index.{suffix}",
            second,
            "boundary-table data file 'data/notes.json' is a symbolic link to 'notes.txt', "
            "which is not a .toml, .json, .yaml or .yml file; link to a data file",
            "opsboundary.source",
        ),
    ]


def test_episodes_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "episodes.toml").write_text('[x]\ntitle = "X"\nspeakers = ["S"]\n')
    warnings, _out = build(
        tmp_path / "src",
        {"index.rst": "Page\n====\n\nText.\n"},
        conf="opsboundary_episodes_file = '../episodes.toml'\n",
    )
    assert warnings == [
        Warning_(
            "conf.py",
            CONF.count("\n") + 1,
            # conf.py is trusted code: its episodes file may also lie in the git work
            # tree around the docs (issue 12's docs/ + data/ layout); tmp_path is in none.
            "episodes file '../episodes.toml' lies outside the project; data files must "
            "live inside the configuration folder, the source folder or the git work tree "
            "holding them",
            "opsboundary.source",
        )
    ]


def test_fifo_as_a_data_file_does_not_block(tmp_path: Path) -> None:
    from reliability.build import sphinx_build

    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.rst").write_text(PAGES["rst"].format(source="data/t.json"), encoding="utf-8")
    os.mkfifo(src / "data" / "t.json")
    result = sphinx_build(src, src / "_build" / "html", timeout=120)
    assert result.returncode == 0, result.describe()
    assert [w for w in result.warnings if w.type] == [
        Warning_(
            "index.rst",
            5,
            "boundary-table data file 'data/t.json' is not a regular file (a folder, a FIFO "
            "or a device); point it at a data file",
            "opsboundary.source",
        )
    ]


# --------------------------------------------------------------------------
# 1. Every builder survives whatever text reaches it
# --------------------------------------------------------------------------

ODD_TEXT = {
    "index.rst": (
        "Page\n====\n\n.. boundary-table::\n   :source: data/t.json\n\n"
        ".. episode-citation:: ep\n   :at: 1:00\n   :speaker: S\n\n   Body \\\\input{x} @b .so\n"
    ),
    "data/t.json": (
        '{"sides": ["A", "B"], "caption": "cap\\n.so /etc/group",'
        ' "rows": [{"aspect": "a\\n.so /etc/passwd", "cells": ["\\\\input{x} @b{y}",'
        ' ":raw-html:`<b>`"]}], "shared": "\\u202e\\u0000x"}'
    ),
}


@pytest.mark.parametrize("builder", ["text", "latex", "man", "texinfo", "xml", "singlehtml"])
def test_every_builder_survives_odd_data_text(builder: str, tmp_path: Path) -> None:
    warnings, out = build(tmp_path, dict(ODD_TEXT), builder=builder)
    assert not [w for w in warnings if not (w.type or "").startswith("opsboundary")], warnings
    if builder == "man":
        man = next(out.rglob("*.1")).read_text(encoding="utf-8")
        assert not [line for line in man.splitlines() if line.startswith(".so")]
