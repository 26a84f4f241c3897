"""The wiki as a network (SPEC §7): who links to whom, judged once per build.

Built from :func:`.checks.judge_links` after every document has been read, so a
backlink, an orphan and a graph edge mean exactly what the link checks mean.
The judged network is kept per environment for the writing phase (it is
recomputed at every ``env-updated``, never pickled); the digests that make
pages re-write when their network changes live in the domain.
"""

from __future__ import annotations

import fnmatch
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain import get_domain
from .checks import LinkResult, judge_links

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

__all__ = ["Backlink", "Network", "matches", "network_of", "refresh", "title_of"]

#: Statuses whose link really reaches its target page.
REACHING = frozenset({"ok", "moved", "one-way", "duplicate"})


@dataclass(slots=True, frozen=True)
class Backlink:
    """One page linking to another: shown in the target's "Linked from" block."""

    docname: str  #: the citing page
    title: str
    block: str  #: id of the citing block in the citing page ("" for the page top)


@dataclass(slots=True)
class Network:
    """The judged links of one build and what follows from them."""

    results: list[LinkResult]
    incoming: dict[str, list[Backlink]] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)


_CACHE: weakref.WeakKeyDictionary[Any, Network] = weakref.WeakKeyDictionary()


_TITLES: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def title_of(env: BuildEnvironment, docname: str) -> str:
    """The page's title as text (cached for the build: :func:`refresh` clears it)."""
    cache = _TITLES.setdefault(env, {})
    text = cache.get(docname)
    if text is None:
        title = env.titles.get(docname)
        text = (title.astext().strip() if title is not None else "") or docname
        cache[docname] = text
    return text


def matches(rule: Any, docname: str) -> bool:
    """``True`` / ``False`` / a list of globs, as in the ``opsboundary_*`` settings."""
    if rule is True:
        return True
    if not rule or not isinstance(rule, list | tuple):
        return False
    return any(fnmatch.fnmatchcase(docname, str(glob)) for glob in rule)


def reaches(result: LinkResult) -> str | None:
    """The local page *result* links to, or None (broken, self, URL, other site)."""
    link = result.link
    if link.kind not in {"doc", "ref"} or result.status not in REACHING:
        return None
    target = result.resolved
    if not target or target == link.docname:
        return None
    return target


def _incoming(env: BuildEnvironment, results: Iterable[LinkResult]) -> dict[str, list[Backlink]]:
    first: dict[tuple[str, str], Backlink] = {}
    for result in results:
        target = reaches(result)
        if target is None:
            continue
        key = (target, result.link.docname)
        if key not in first:  # the first citing block in document order
            citing = result.link.docname
            first[key] = Backlink(citing, title_of(env, citing), result.link.block)
    incoming: dict[str, list[Backlink]] = {}
    for (target, _citing), backlink in first.items():
        incoming.setdefault(target, []).append(backlink)
    for backlinks in incoming.values():
        backlinks.sort(key=lambda b: (b.title.casefold(), b.title, b.docname))
    return incoming


def compute(env: BuildEnvironment, results: list[LinkResult] | None = None) -> Network:
    """Judge (unless given) and derive backlinks and orphans."""
    if results is None:
        results = judge_links(env)
    network = Network(results, _incoming(env, results))
    rule = getattr(env.config, "opsboundary_require_incoming", None) or []
    if rule:
        network.orphans = sorted(
            doc for doc in env.all_docs if matches(rule, doc) and doc not in network.incoming
        )
    return network


def refresh(env: BuildEnvironment) -> Network:
    """Recompute after reading (``env-updated``) and keep it for the writing phase."""
    _TITLES.pop(env, None)  # titles may have changed since the last build
    network = compute(env)
    _CACHE[env] = network
    return network


def network_of(env: BuildEnvironment) -> Network:
    """The network of this build (computed now if ``env-updated`` did not run here)."""
    network = _CACHE.get(env)
    if network is None:
        network = refresh(env)
    return network


def page_flags(env: BuildEnvironment, docname: str) -> dict[str, Any]:
    """What the page itself holds: an explicit backlinks block, graphs."""
    return dict(get_domain(env).data.get("network", {}).get(docname, {}))
