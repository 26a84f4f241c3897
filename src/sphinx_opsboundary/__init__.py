"""sphinx-opsboundary: boundary tables, timestamped episode citations and checked
related paths for operational wikis.

``setup()`` reads as the table of contents of the extension: each subpackage owns
one feature a user sees and registers it itself; the shared floor (diagnostics,
data files, the domain, URL safety, assets) imports no feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0.dev0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bumped whenever the records kept in the environment change shape.
ENV_VERSION = 4


def setup(app: Sphinx) -> dict[str, Any]:
    from . import assets, paths, rewrites, safety
    from .boundary import setup_boundary
    from .domain import OpsBoundaryDomain
    from .episodes import setup_episodes
    from .links import setup_links
    from .report import setup_checker

    app.add_domain(OpsBoundaryDomain)  # the one home of cross-document records
    paths.setup_paths(app)  # data files only from inside the source/conf folders
    rewrites.setup_rewrites(app)  # pages to re-write survive an interrupted build
    setup_episodes(app)  # registry, episode-citation, episode role, episode-index
    setup_links(app)  # related-paths and the after-read link checks
    setup_boundary(app)  # boundary-table, its data files and HTML presentations
    setup_checker(app)  # opsboundary-check builder
    safety.setup_safety(app)  # only http(s)/relative links inside our blocks
    assets.setup_assets(app)  # CSS for HTML builders
    app.add_message_catalog("sphinx_opsboundary", str(_locale_dir()))

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _locale_dir() -> Any:
    from pathlib import Path

    return Path(__file__).parent / "locale"
