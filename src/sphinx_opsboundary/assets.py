"""Static CSS for HTML builders only; other builders get plain docutils nodes.

The stylesheets are put on ``html_static_path`` when the builder starts, so that
Sphinx copies them before pages are written: a fresh build and an incremental
one then link them identically (with the same ``?v=`` checksum).
"""

from __future__ import annotations

import weakref
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).parent / "static"
#: One stylesheet (theme bridge first, then a section per feature): one request
#: and one ``<link>`` per page instead of four.
CSS_FILES = ("opsboundary.css",)


def _add_css(app: Sphinx) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("opsboundary"):
        return
    static = str(STATIC)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
    for name in CSS_FILES:
        app.add_css_file(name)


#: Whether sphinx-design is loaded, per Config (shared by app and env, inherited
#: by parallel workers), noted once the builder (and its theme) is set up.
_DESIGN: weakref.WeakKeyDictionary[Config, bool] = weakref.WeakKeyDictionary()


def _note_design(app: Sphinx) -> None:
    _DESIGN[app.config] = "sphinx_design" in app.extensions


def has_sphinx_design(config: Config) -> bool:
    """True when sphinx-design is loaded, whoever loaded it.

    Read from the registered extensions, so it also holds when a theme or
    another extension sets sphinx-design up rather than conf.py's list, and
    does not depend on one of sphinx-design's own setting names.
    """
    found = _DESIGN.get(config)
    if found is None:  # before builder-inited: only conf.py's list is known
        return "sphinx_design" in (config.extensions or ())
    return found


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", _note_design)
    app.connect("builder-inited", _add_css)
