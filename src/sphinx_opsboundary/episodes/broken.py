"""Citations that could not be placed on a time line, kept for the checker's report.

A citation naming no known episode, or with no valid time, renders as text and
warns; it is still a citation the author wrote, so the JSON report lists it
with status ``broken`` (issue 12).  It is recorded as a
:class:`~sphinx_opsboundary.domain.BrokenCitation`, never as a ``Citation``, so
the episode index, the timeline and the transcript check never meet it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ..diagnostics import directive_location, excerpt
from ..domain import BrokenCitation, get_domain

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

    from .registry import Episode
    from .timestamps import Timestamp

__all__ = ["record_broken", "record_directive"]


def record_broken(
    env: BuildEnvironment,
    location: tuple[str | None, int | None],
    key: str,
    origin: Literal["directive", "role"],
    problem: str,
    at: Timestamp | None = None,
    end: Timestamp | None = None,
) -> None:
    """Record one broken citation of the page being read."""
    source, line = location
    get_domain(env).add_broken_citation(
        BrokenCitation(
            docname=env.docname,
            source=str(source),
            line=line or 0,
            key=key,
            origin=origin,
            problem=problem,
            at=at.seconds if at is not None else None,
            end=end.seconds if end is not None else None,
        )
    )


def record_directive(
    directive: SphinxDirective,
    argument: str,
    episode: Episode | None,
    at: Timestamp | None,
    end: Timestamp | None,
) -> None:
    """Record an ``episode-citation`` that has no known episode or no valid ``:at:``."""
    written = directive.options.get("at")
    written = str(written).strip() if written is not None else ""
    if episode is None:
        problem = f"the episode {excerpt(argument)} is not known"
    elif not written:
        problem = "the citation has no :at:"
    else:
        problem = f"its :at: {excerpt(written)} is not a valid time"
    key = episode.key if episode is not None else argument
    location = directive_location(directive)
    record_broken(directive.env, location, key, "directive", problem, at, end)
