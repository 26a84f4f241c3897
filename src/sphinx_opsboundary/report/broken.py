"""The report's entries for broken citations: no known episode, or no valid time.

They are recorded apart from the citations that place a moment on a time line
(:class:`~sphinx_opsboundary.domain.BrokenCitation`); here each becomes an
entry of the report's ``citations`` with status ``broken``, the warnings
raised on its lines as its message, and ``quote: "unchecked"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..domain import get_domain
from .formats import UNCHECKED, citation_entry
from .spans import option_span

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

__all__ = ["broken_citations"]

#: A citation that could not be recorded also owns its syntax warnings
#: ("needs :at:", "needs key@time"): they are why it is broken.
_SUBTYPES = {"timestamp", "episode", "quote", "syntax"}


class _Warning(Protocol):
    @property
    def subtype(self) -> str: ...

    @property
    def message(self) -> str: ...


W = TypeVar("W", bound=_Warning)


def broken_citations(
    env: BuildEnvironment,
    by_place: Mapping[tuple[str, int | None], Sequence[W]],
    file_of: Callable[[str | None, str | None], str],
) -> Iterator[tuple[dict[str, Any], list[W]]]:
    """Each broken citation's report entry, with the captured warnings it claims."""
    for citation in get_domain(env).all_broken_citations():
        file = file_of(citation.source, citation.docname)
        span = (
            option_span(citation.source, citation.line)
            if citation.origin == "directive"
            else range(citation.line, citation.line + 1)
        )
        found = [
            record
            for number in span
            for record in by_place.get((file, number), [])
            if record.subtype in _SUBTYPES
        ]
        if citation.origin == "role":
            # Several roles may share a line: a broken role's warning is its problem.
            found = [r for r in found if r.message == citation.problem] or found
        message = "; ".join(r.message for r in found) or citation.problem
        entry = citation_entry(citation, file, "broken", message, UNCHECKED)
        yield entry, found
