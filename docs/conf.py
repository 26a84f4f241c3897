"""Sphinx configuration for the sphinx-opsboundary documentation and example wiki.

Theme: furo by default.  ``OPSBOUNDARY_DOCS_THEME`` picks another one for the tox
environments ``docs-furo``, ``docs-pydata``, ``docs-alabaster`` and ``docs-book``;
a theme that is not installed falls back to alabaster, which ships with Sphinx, so
the docs always build.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import sphinx_opsboundary

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ---------------------------------------------------------------

project = "sphinx-opsboundary"
author = "sphinx-opsboundary contributors"
copyright = "2026, sphinx-opsboundary contributors"
version = sphinx_opsboundary.__version__
release = version

# -- General ---------------------------------------------------------------

extensions = [
    "sphinx_opsboundary",
    "myst_parser",
    "sphinx_design",
    "opsboundary_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    # Snippets are included by the reference pages, never built on their own.
    "snippets",
]
templates_path: list[str] = []

# Every cross-reference must resolve; nothing is suppressed.
nitpicky = True
suppress_warnings: list[str] = []
if shutil.which("dot") is None and not os.environ.get("CI"):
    # The wiki's index draws its network with Graphviz, a system package. Without
    # it the network is shown as a list and an opsboundary.config warning says so;
    # a newcomer's Quick start build (-W) should still pass. CI installs Graphviz
    # and keeps every config warning fatal.
    suppress_warnings.append("opsboundary.config")

myst_enable_extensions = ["colon_fence"]

# -- sphinx-opsboundary ----------------------------------------------------

opsboundary_episodes_file = "episodes.toml"
# Every wiki page ends with a "Linked from" block, and must be linked from another
# page (SPEC §7.1, §7.2); the wiki's index draws the network (related-graph).
opsboundary_backlinks = ["wiki/*"]
opsboundary_require_incoming = ["wiki/[!i]*"]  # every wiki page but its index

# The comparison page used to live at wiki/mlops-or-dataops; a related link to the
# old name is reported as ``opsboundary.moved`` and sent to the new page.
opsboundary_redirects = {
    "wiki/mlops-or-dataops": "wiki/mlops-vs-dataops",
}

# -- HTML ------------------------------------------------------------------

#: ``OPSBOUNDARY_DOCS_THEME`` value (short or full name) -> html_theme.  The theme
#: name is also the module that must be importable.
_THEMES = {
    "furo": "furo",
    "pydata": "pydata_sphinx_theme",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
    "book": "sphinx_book_theme",
    "sphinx_book_theme": "sphinx_book_theme",
    "alabaster": "alabaster",
}


def _pick_theme() -> str:
    wanted = os.environ.get("OPSBOUNDARY_DOCS_THEME", "").strip().lower() or "furo"
    theme = _THEMES.get(wanted.replace("-", "_"), "furo")
    try:
        found = importlib.util.find_spec(theme) is not None
    except (ImportError, ValueError):
        found = False
    return theme if found else "alabaster"


html_theme = _pick_theme()
html_title = f"sphinx-opsboundary {release}"
html_static_path: list[str] = []

# -- LaTeX -----------------------------------------------------------------

latex_documents = [
    (
        root_doc,
        "sphinx-opsboundary.tex",
        "sphinx-opsboundary Documentation",
        author,
        "manual",
    ),
]

# -- Other builders --------------------------------------------------------

man_pages = [(root_doc, "sphinx-opsboundary", "sphinx-opsboundary Documentation", [author], 7)]
texinfo_documents = [
    (
        root_doc,
        "sphinx-opsboundary",
        "sphinx-opsboundary Documentation",
        author,
        "sphinx-opsboundary",
        "Boundary tables, timestamped episode citations and checked related paths.",
        "Documentation",
    ),
]
epub_show_urls = "footnote"

# -- linkcheck -------------------------------------------------------------

# The reference pages demonstrate deep links with invented episodes on the
# reserved example.org / example.com hosts; they are not meant to resolve.
linkcheck_ignore = [
    r"https?://([a-z0-9-]+\.)*example\.(org|com)(/|$)",
    # The fictional example episode of the player and timeline examples has a
    # made-up YouTube video id (see episodes.toml).
    r"https://www\.youtube\.com/watch\?v=Xmpl0Pm0rtm",
]
