"""Related links and boundary sides: one target grammar, checked after every read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import register_resolver
from .backlinks import setup_backlinks
from .checks import setup_checks
from .graph_render import setup_graph
from .inventories import resolve_remote
from .related import setup_related
from .suggest import setup_suggest
from .targets import resolve_pending

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_links(app: Sphinx) -> None:
    """``related-paths``, the after-read checks, and resolution of their xrefs."""
    register_resolver("doc", resolve_pending)
    register_resolver("ref", resolve_pending)
    register_resolver("remote", resolve_remote)  # links to other Sphinx sites (§7.4)
    setup_related(app)  # related-paths directive
    setup_checks(app)  # after-read link checks, redirects, outdated pages
    setup_suggest(app)  # what earlier builds knew, for the checker's suggestions
    setup_backlinks(app)  # "Linked from" blocks, orphans (§7.1, §7.2)
    setup_graph(app)  # related-graph (§7.3)
