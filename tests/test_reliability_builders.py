"""Every builder (SPEC §0): a clean wiki-like project builds without a single
warning under html, dirhtml, singlehtml, latex, text, man, texinfo, epub,
gettext, xml, pseudoxml, dummy and linkcheck, and each output carries the
content: the episode title, the time, the episode URL (non-HTML builders get
the URL as text), a boundary cell, a related link's text and the citation body.

linkcheck runs against a local ``http.server`` on 127.0.0.1 that serves every
URL the project uses, so it needs no network and skips nothing.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reliability.build import Result, sphinx_build

BODY = "Hoogvliets lists the practical toolbelt of version control and containers."
CELL = "Prediction behaviour and serving health"
TITLE = "MLOps at Scale"
RELATED_TEXT = "Model lifecycle ownership"  # the title of the related page


def project_files(base: str) -> dict[str, str]:
    conf = f"""
project = "Builders"
author = "Tester"
copyright = "2026, Tester"
version = release = "1.0"
extensions = ["sphinx_opsboundary", "myst_parser", "sphinx_design"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {{".rst": "restructuredtext", ".md": "markdown"}}
exclude_patterns = ["_build", "data"]
html_theme = "alabaster"
nitpicky = True
opsboundary_episodes = {{
    "mlops-at-scale": {{
        "title": "{TITLE}",
        "speakers": ["Raphaël Hoogvliets"],
        "url": "{base}/media/talk.mp3",
        "duration": "1:04:10",
    }},
}}
opsboundary_episodes_file = "episodes.toml"
latex_documents = [("index", "builders.tex", "Builders", "Tester", "manual")]
man_pages = [("index", "builders", "Builders", ["Tester"], 7)]
texinfo_documents = [("index", "builders", "Builders", "Tester", "builders", "d", "Misc")]
linkcheck_timeout = 10
linkcheck_retries = 1
"""
    return {
        "conf.py": conf,
        "episodes.toml": (
            '[dataops-101]\ntitle = "DataOps 101"\nspeakers = ["Lars Albertsson"]\n'
            f'url = "{base}/media/dataops.mp3"\n'
        ),
        "index.rst": (
            "Builders wiki\n=============\n\n"
            ".. toctree::\n\n   mlops\n   dataops\n   comparison\n   episodes\n\n"
            "Intro citing :episode:`dataops-101@11:57`.\n"
        ),
        "mlops.md": (
            "(mlops)=\n# Model lifecycle ownership\n\n"
            "```{episode-citation} mlops-at-scale\n:at: ~52:39\n:end: 55:10\n\n"
            f"{BODY}\n```\n\n"
            ":::{related-paths}\n:caption: Related paths\n\n"
            "- dataops -- Reliable data delivery.\n- comparison -- The comparison.\n:::\n"
        ),
        "dataops.rst": (
            ".. _dataops:\n\nReliable data delivery\n======================\n\n"
            ".. related-paths::\n\n   - mlops -- Model lifecycle ownership.\n"
            "   - comparison#the-boundary -- The boundary.\n"
            f"   - {base}/handbook.html -- An external page.\n"
        ),
        "comparison.rst": (
            "MLOps vs DataOps\n================\n\n"
            "The boundary\n------------\n\n"
            ".. boundary-table:: MLOps vs DataOps\n"
            "   :sides: MLOps <mlops>, DataOps <dataops>\n"
            "   :shared: Both borrow reliability practice.\n"
            "   :name: boundary\n\n"
            f"   * - Alerts about\n     - {CELL}\n     - Freshness and schema\n\n"
            ".. boundary-table::\n   :source: /data/table.toml\n\n"
            ".. related-paths::\n\n   - mlops -- Model side.\n   - dataops -- Data side.\n"
        ),
        "data/table.toml": (
            'caption = "Platforms"\nsides = ["ML <mlops>", "Data <dataops>"]\n'
            '[[rows]]\naspect = "Serves"\ncells = ["Training and serving", "Warehouses"]\n'
        ),
        "episodes.rst": "Episodes\n========\n\n.. episode-index::\n   :uncited:\n",
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("www")
    (root / "media").mkdir()
    (root / "media" / "talk.mp3").write_bytes(b"ID3" + b"\0" * 64)
    (root / "media" / "dataops.mp3").write_bytes(b"ID3" + b"\0" * 64)
    (root / "handbook.html").write_text("<html><body><h1>Handbook</h1></body></html>")
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, server: str) -> Path:
    root = tmp_path_factory.mktemp("builders")
    for rel, text in project_files(server).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _build(site: Path, builder: str) -> Result:
    result = sphinx_build(
        site,
        site / "_build" / builder,
        builder=builder,
        timeout=300,
        doctreedir=site / "_build" / f"doctrees-{builder}",
    )
    assert not result.crashed, result.describe()
    assert result.returncode == 0, result.describe()
    assert result.warnings == [], "\n".join(map(str, result.warnings))
    assert "WARNING" not in result.stderr, result.stderr
    return result


def _text_of(outdir: Path, suffixes: set[str]) -> str:
    chunks = []
    for path in sorted(outdir.rglob("*")):
        if path.is_file() and path.suffix in suffixes:
            chunks.append(path.read_text(encoding="utf-8", errors="replace"))
        if path.is_file() and path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith((".xhtml", ".html")):
                        chunks.append(archive.read(name).decode("utf-8", "replace"))
    text = "\n".join(chunks)
    # Undo line wrapping and the writers' escapes, so that phrases can be found.
    for old, new in (("\\-", "-"), ("\\&", ""), ("\\:", ""), ("\\(em", "—"), ("@@", "@")):
        text = text.replace(old, new)
    return " ".join(text.split())


#: builder -> (output suffixes, needles that must appear)
CONTENT = {
    "html": ({".html"}, [TITLE, "52:39", CELL, RELATED_TEXT, BODY, 'datetime="PT52M39S"']),
    "dirhtml": ({".html"}, [TITLE, "52:39", CELL, RELATED_TEXT, BODY]),
    "singlehtml": ({".html"}, [TITLE, "52:39", CELL, RELATED_TEXT, BODY]),
    "epub": ({".xhtml"}, [TITLE, "52:39", CELL, RELATED_TEXT, BODY]),
    "text": (
        {".txt"},
        [TITLE, "52:39", "Prediction behaviour", RELATED_TEXT, BODY, "/media/talk.mp3#t=3159"],
    ),
    "man": ({".7"}, [TITLE, "52:39", CELL, RELATED_TEXT, "/media/talk.mp3#t=3159"]),
    "texinfo": ({".texi"}, [TITLE, "52:39", CELL, RELATED_TEXT, "/media/talk.mp3#t=3159"]),
    "latex": (
        {".tex"},
        [TITLE, "52:39", "Prediction behaviour", RELATED_TEXT, "/media/talk.mp3\\#t=3159"],
    ),
    "xml": ({".xml"}, [TITLE, "52:39", CELL, BODY]),
    "pseudoxml": ({".pseudoxml"}, [TITLE, "52:39", CELL, BODY]),
    "gettext": ({".pot"}, [BODY, "Related paths"]),
}
FAST_BUILDERS = {"html", "text", "latex"}


def _params() -> list:
    out = []
    for name in [*CONTENT, "dummy", "linkcheck"]:
        marks = [] if name in FAST_BUILDERS else [pytest.mark.slow]
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.parametrize("builder", _params())
def test_builder_clean_and_complete(site: Path, builder: str) -> None:
    result = _build(site, builder)
    if builder == "dummy":
        return
    if builder == "linkcheck":
        report = [
            json.loads(line)
            for line in (result.outdir / "output.json").read_text().splitlines()
            if line.strip()
        ]
        by_uri = {entry["uri"]: entry for entry in report}
        checked = {uri.split("#")[0] for uri in by_uri}
        assert any(uri.endswith("/handbook.html") for uri in checked), by_uri
        assert any(uri.endswith("/media/talk.mp3") for uri in checked), by_uri
        bad = {u: e for u, e in by_uri.items() if e["status"] not in {"working", "unchecked"}}
        assert not bad, bad
        return
    suffixes, needles = CONTENT[builder]
    text = _text_of(result.outdir, suffixes)
    assert text, f"no {suffixes} output"
    missing = [n for n in needles if n not in text]
    assert not missing, f"{builder} output lacks {missing}"
