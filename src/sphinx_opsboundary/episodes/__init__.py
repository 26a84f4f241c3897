"""Episodes: the registry, citations, the role and the index of cited moments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .citation import setup_citation
from .embeds import setup_embeds
from .index import setup_episode_index
from .quotes import setup_quotes
from .registry import setup_registry
from .role import setup_role
from .verified import setup_verified

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_episodes(app: Sphinx) -> None:
    """Registry first: the directive, the role and the index read from it."""
    setup_registry(app)  # opsboundary_episodes(_file), timestamp links
    setup_citation(app)  # episode-citation directive
    setup_embeds(app)  # click-to-load players in citation cards (:embed:)
    setup_role(app)  # episode role
    setup_episode_index(app)  # episode-index and its late filling
    setup_quotes(app)  # citations checked against transcripts and chapters (§6)
    setup_verified(app)  # what the check shows on the page
