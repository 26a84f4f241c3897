"""Static CSS for HTML builders only; other builders get plain docutils nodes.

The stylesheets are put on ``html_static_path`` when the builder starts, so that
Sphinx copies them before pages are written: a fresh build and an incremental
one then link them identically (with the same ``?v=`` checksum).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

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


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", _add_css)
