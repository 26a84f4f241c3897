"""Static CSS for HTML builders only; other builders get plain docutils nodes."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

STATIC = Path(__file__).parent / "static"
#: One stylesheet per feature, plus the shared theme bridge loaded first.
CSS_FILES = (
    "opsboundary.css",
    "opsboundary-episode.css",
    "opsboundary-related.css",
    "opsboundary-boundary.css",
)


def _is_html(app: Sphinx) -> bool:
    return app.builder.format == "html" and not app.builder.name.startswith("opsboundary")


def _add_css(app: Sphinx) -> None:
    if _is_html(app):
        for name in CSS_FILES:
            if (STATIC / name).exists():
                app.add_css_file(name)


def _copy_css(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not _is_html(app):
        return
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    for name in CSS_FILES:
        if (STATIC / name).exists():
            copy_asset_file(STATIC / name, target, force=True)


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", _add_css)
    app.connect("build-finished", _copy_css)
