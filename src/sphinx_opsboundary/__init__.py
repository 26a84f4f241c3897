"""sphinx-opsboundary: boundary tables, timestamped episode citations and checked
related paths for operational wikis.

``setup()`` reads as the table of contents of the extension: each module owns one
feature and registers it itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bumped whenever the records kept in the environment change shape.
ENV_VERSION = 1


def setup(app: Sphinx) -> dict[str, Any]:
    from . import (
        assets,
        boundary,
        checker,
        checks,
        citation,
        episode_index,
        registry,
        related,
        safety,
    )
    from .domain import OpsBoundaryDomain

    app.add_domain(OpsBoundaryDomain)
    registry.setup_registry(app)  # opsboundary_episodes(_file), timestamp links
    citation.setup_citation(app)  # episode-citation directive, episode role
    episode_index.setup_episode_index(app)  # episode-index and its late filling
    related.setup_related(app)  # related-paths directive
    boundary.setup_boundary(app)  # boundary-table directive
    checks.setup_checks(app)  # after-read link checks, redirects, outdated pages
    checker.setup_checker(app)  # opsboundary-check builder
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
