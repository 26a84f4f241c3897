"""The one home of cross-document state: plain, picklable records per document.

Directives and roles *record* what they see at read time; nothing here decides
whether a link is broken.  That judgement happens once every document has been
read (see :mod:`sphinx_opsboundary.checks`).  ``clear_doc`` and
``merge_domaindata`` keep the records honest under incremental and parallel
builds: a re-read page starts from nothing, and a parallel worker's records are
copied back only for the documents it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from sphinx.domains import Domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

DOMAIN_NAME = "opsboundary"

#: Signature of a cross-reference resolver: the arguments of ``resolve_xref``.
Resolver = Callable[..., "nodes.Element | None"]

# The domain stores records and knows no feature: a feature that emits
# ``pending_xref`` nodes in this domain registers how to resolve them, so the
# floor never imports upwards (links -> domain, never domain -> links).
_RESOLVERS: dict[str, Resolver] = {}


def register_resolver(typ: str, resolver: Resolver) -> None:
    """Let the feature owning xref type *typ* resolve it."""
    _RESOLVERS[typ] = resolver


@dataclass(slots=True)
class Citation:
    """One cited moment, from the directive or the role."""

    docname: str
    source: str
    line: int
    node_id: str  #: id of the citing node, for back-links
    key: str  #: registry key, or the slug of an inline episode
    at: int  #: seconds
    approximate: bool = False
    end: int | None = None
    speaker: str | None = None
    origin: Literal["directive", "role"] = "directive"
    #: The body as plain text (directive only), for the transcript check (SPEC §6).
    text: str | None = None
    #: ``:quote:``: "auto" (quoted bodies are verbatim), "verbatim" or "paraphrase".
    quote: Literal["auto", "verbatim", "paraphrase"] = "auto"


@dataclass(slots=True)
class BrokenCitation:
    """A citation that names no known episode or no valid time (issue 12).

    Kept apart from :class:`Citation` so that whatever places moments on a
    time line (the episode index, the timeline, the transcript check) never
    sees one; only the checker's report lists it, as ``broken``.
    """

    docname: str
    source: str
    line: int
    key: str  #: the key or title as written (may be empty)
    origin: Literal["directive", "role"]
    problem: str  #: why it is broken, for the report when no warning was captured
    at: int | None = None  #: seconds, when the time itself was valid
    end: int | None = None


@dataclass(slots=True)
class InlineEpisode:
    """An episode defined inline by ``episode-citation`` (title as argument)."""

    docname: str
    source: str
    line: int
    key: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Link:
    """One internal or external link written in ``related-paths`` or ``:sides:``."""

    docname: str
    source: str
    line: int
    group: str  #: the list it belongs to (duplicates are judged per group)
    origin: Literal["related", "side"]
    raw: str  #: the target as written
    kind: Literal["doc", "ref", "url", "remote"]
    target: str  #: absolute docname, label or URL
    anchor: str | None = None
    title: str | None = None  #: explicit link text, if any
    block: str = ""  #: id of the citing block (related-paths list, boundary table)


@dataclass(slots=True)
class Anchor:
    """An id inside a document that a ``doc#anchor`` link may target."""

    title: str


class OpsBoundaryDomain(Domain):
    """Per-document records for citations, inline episodes, links and anchors."""

    name = DOMAIN_NAME
    label = "Ops boundary"
    data_version = 1
    initial_data = {
        "citations": {},  # docname -> list[Citation]
        "broken_citations": {},  # docname -> list[BrokenCitation]
        "episodes": {},  # docname -> list[InlineEpisode]
        "links": {},  # docname -> list[Link]
        "anchors": {},  # docname -> dict[id, Anchor]
        "indexes": {},  # docname -> True: documents holding an episode-index
        "network": {},  # docname -> {"backlinks": bool, "graphs": [globs]} (§7)
    }

    # -- accessors ---------------------------------------------------------

    def _bucket(self, kind: str) -> dict[str, Any]:
        return cast(dict[str, Any], self.data.setdefault(kind, {}))

    @property
    def citations(self) -> dict[str, list[Citation]]:
        return self._bucket("citations")

    @property
    def broken_citations(self) -> dict[str, list[BrokenCitation]]:
        return self._bucket("broken_citations")

    @property
    def episodes(self) -> dict[str, list[InlineEpisode]]:
        return self._bucket("episodes")

    @property
    def links(self) -> dict[str, list[Link]]:
        return self._bucket("links")

    @property
    def anchors(self) -> dict[str, dict[str, Anchor]]:
        return self._bucket("anchors")

    def add_citation(self, citation: Citation) -> None:
        self.citations.setdefault(citation.docname, []).append(citation)

    def add_broken_citation(self, citation: BrokenCitation) -> None:
        self.broken_citations.setdefault(citation.docname, []).append(citation)

    def add_episode(self, episode: InlineEpisode) -> None:
        self.episodes.setdefault(episode.docname, []).append(episode)

    def add_link(self, link: Link) -> None:
        self.links.setdefault(link.docname, []).append(link)

    def set_anchors(self, docname: str, anchors: dict[str, Anchor]) -> None:
        self.anchors[docname] = anchors

    def all_citations(self) -> Iterator[Citation]:
        """Every citation, in a stable order (by document, then position)."""
        for docname in sorted(self.citations):
            yield from self.citations[docname]

    def all_broken_citations(self) -> Iterator[BrokenCitation]:
        """Every broken citation, by document, then position."""
        for docname in sorted(self.broken_citations):
            yield from self.broken_citations[docname]

    def all_links(self) -> Iterator[Link]:
        for docname in sorted(self.links):
            yield from self.links[docname]

    def all_episodes(self) -> Iterator[InlineEpisode]:
        for docname in sorted(self.episodes):
            yield from self.episodes[docname]

    # -- Sphinx's bookkeeping ---------------------------------------------

    _KINDS = (
        "citations",
        "episodes",
        "links",
        "anchors",
        "indexes",
        "network",
        "broken_citations",
    )

    def clear_doc(self, docname: str) -> None:
        for kind in self._KINDS:
            self._bucket(kind).pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for kind in self._KINDS:
            mine = self._bucket(kind)
            theirs = otherdata.get(kind, {})
            for docname in docnames:
                if docname in theirs:
                    mine[docname] = theirs[docname]

    # A broken target resolves to plain text rather than None, so that Sphinx's
    # resolver does not warn a second time under nitpicky (checks.py warned).
    def resolve_xref(  # type: ignore[override]
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        """Hand the ``pending_xref`` to the feature that registered for *typ*."""
        resolver = _RESOLVERS.get(typ)
        if resolver is None:
            return None
        return resolver(env, fromdocname, builder, typ, target, node, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        return []


def get_domain(env: BuildEnvironment) -> OpsBoundaryDomain:
    return cast(OpsBoundaryDomain, env.get_domain(DOMAIN_NAME))
