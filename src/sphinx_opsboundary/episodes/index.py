"""The ``episode-index`` directive (SPEC §1.6), filled in late.

At read time the directive only leaves a placeholder and records that its page
holds an index.  Once every document is read, ``doctree-resolved`` replaces the
placeholder from the domain's citations, so the index sees the whole project.
``env-get-updated`` returns the index pages whenever any page was re-read or
removed, so an incremental build rewrites them with current citations.  Output
is plain lists (no sections), so the index never adds to the toctree.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from ..diagnostics import class_names, option_line, warn
from ..domain import Citation, get_domain
from ..rewrites import note_rewrites
from .citation import find_episode, time_nodes
from .quotes import chapter_at
from .registry import Episode, get_registry
from .timeline import add_timeline, setup_timeline
from .timestamps import Timestamp

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_opsboundary")

__all__ = ["EpisodeIndex", "episode_index_node", "setup_episode_index"]

GROUPS = ("episode", "speaker", "series")


class episode_index_node(nodes.General, nodes.Element):
    """Placeholder replaced at ``doctree-resolved``; never reaches a writer."""


class EpisodeIndex(SphinxDirective):
    """Every cited episode, its moments in time order, and back-links to citations."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "group-by": directives.unchanged,
        "uncited": directives.flag,
        "class": directives.unchanged,
        "timeline": directives.unchanged,  # SPEC §9 (timeline.py)
    }

    def run(self) -> list[Node]:
        group_by = str(self.options.get("group-by") or "episode").strip().lower()
        if group_by not in GROUPS:
            warn(
                f"episode-index :group-by: {group_by!r} is not one of "
                f"{', '.join(GROUPS)}; grouping by episode",
                "syntax",
                option_line(self, "group-by"),
            )
            group_by = "episode"
        node = episode_index_node(group_by=group_by, uncited="uncited" in self.options)
        node["timeline"] = self._timeline()
        node["classes"] = class_names(self, "episode-index")
        node["ids"] = [make_id(self.env, self.state.document, "episode-index")]
        self.set_source_info(node)
        get_domain(self.env)._bucket("indexes")[self.env.docname] = True
        return [node]

    def _timeline(self) -> bool:
        if "timeline" not in self.options:
            return False
        value = str(self.options.get("timeline") or "").strip()
        if value:
            warn(
                f"episode-index :timeline: takes no value, not {value!r}; write :timeline: alone",
                "syntax",
                option_line(self, "timeline"),
            )
        return True


# --------------------------------------------------------------------------
# Filling the index
# --------------------------------------------------------------------------


def _sort_key(episode: Episode) -> tuple[str, str]:
    return episode.title.casefold(), episode.key


def _metadata(episode: Episode) -> nodes.paragraph:
    parts = [", ".join(episode.speakers)] if episode.speakers else []
    parts += [p for p in (episode.series, episode.date, episode.kind) if p]
    if episode.duration is not None:
        parts.append(Timestamp(episode.duration).display)
    return nodes.paragraph("", " · ".join(parts), classes=["opsboundary-episode-index-meta"])


def _backlinks(
    env: BuildEnvironment, builder: Any, fromdocname: str, citations: list[Citation]
) -> nodes.bullet_list:
    links = nodes.bullet_list(classes=["opsboundary-episode-index-backlinks"])
    seen: dict[str, int] = defaultdict(int)
    for citation in citations:
        title = env.titles.get(citation.docname)
        label = title.astext() if title is not None else citation.docname
        seen[citation.docname] += 1
        if seen[citation.docname] > 1:
            # A second citation of the same moment on one page: keep links distinct.
            label = f"{label} ({seen[citation.docname]})"
        try:
            uri = builder.get_relative_uri(fromdocname, citation.docname)
        except Exception:  # a builder without page URIs (e.g. a removed page)
            uri = ""
        ref = nodes.reference("", label, refuri=f"{uri}#{citation.node_id}", internal=True)
        ref["refdocname"] = citation.docname
        ref["classes"] = ["opsboundary-episode-backlink"]
        links += nodes.list_item("", nodes.paragraph("", "", ref))
    return links


def _entry(
    env: BuildEnvironment,
    builder: Any,
    fromdocname: str,
    episode: Episode,
    citations: list[Citation],
) -> nodes.list_item:
    item = nodes.list_item(classes=["opsboundary-episode-index-entry"])
    heading = nodes.paragraph(classes=["opsboundary-episode-index-title"])
    title: Node = nodes.strong(episode.title, episode.title)
    if episode.url:
        title = nodes.reference("", "", title, refuri=episode.url, internal=False)
    heading += title
    item += heading
    item += _metadata(episode)
    if not citations:
        item += nodes.paragraph(
            "", str(_("Not cited yet.")), classes=["opsboundary-episode-index-uncited"]
        )
        return item
    # One moment per (start, end): "~52:39" and "52:39" are the same second, and
    # the moment is only shown as approximate when every citation says so.
    moments: dict[tuple[int, int], list[Citation]] = defaultdict(list)
    for citation in citations:
        end = citation.end if citation.end is not None else -1
        moments[(citation.at, end)].append(citation)
    listing = nodes.bullet_list(classes=["opsboundary-episode-index-moments"])
    for at, end in sorted(moments):
        cited = sorted(moments[(at, end)], key=lambda c: (c.docname, c.line))
        approximate = all(c.approximate for c in cited)
        times, _timed = time_nodes(
            env,
            episode,
            Timestamp(at, approximate),
            Timestamp(end) if end >= 0 else None,
        )
        moment = nodes.list_item(classes=["opsboundary-episode-index-moment"])
        line = nodes.paragraph("", "", *times)
        chapter = chapter_at(env, episode.key, at)
        if chapter:
            line += nodes.Text(" · ")
            line += nodes.inline("", chapter, classes=["opsboundary-episode-chapter"])
        speakers = sorted({c.speaker for c in cited if c.speaker})
        if speakers:
            line += nodes.Text(" — " + ", ".join(speakers))
        moment += line
        moment += _backlinks(env, builder, fromdocname, cited)
        listing += moment
    item += listing
    return item


def _episodes_and_citations(
    env: BuildEnvironment, uncited: bool
) -> list[tuple[Episode, list[Citation]]]:
    by_key: dict[str, list[Citation]] = defaultdict(list)
    for citation in get_domain(env).all_citations():
        by_key[citation.key].append(citation)
    found: dict[str, tuple[Episode, list[Citation]]] = {}
    for key, citations in by_key.items():
        episode = find_episode(env, key)
        if episode is not None:
            found[key] = (episode, citations)
    if uncited:
        for key, episode in get_registry(env).episodes.items():
            found.setdefault(key, (episode, []))
    return sorted(found.values(), key=lambda pair: _sort_key(pair[0]))


def _groups(
    entries: Iterable[tuple[Episode, list[Citation]]], group_by: str
) -> list[tuple[str, list[tuple[Episode, list[Citation]]]]]:
    groups: dict[str, list[tuple[Episode, list[Citation]]]] = defaultdict(list)
    for episode, citations in entries:
        if group_by == "series":
            groups[episode.series or str(_("No series"))].append((episode, citations))
            continue
        names = set(episode.speakers) or {str(_("Unknown speaker"))}
        for name in sorted(names):
            mine = [c for c in citations if c.speaker in (None, name)]
            if mine or not citations:
                groups[name].append((episode, mine))
    return sorted(groups.items(), key=lambda pair: (pair[0].casefold(), pair[0]))


def _build(app: Sphinx, fromdocname: str, node: episode_index_node) -> nodes.container:
    env = app.env
    group_by = node.get("group_by", "episode")
    entries = _episodes_and_citations(env, bool(node.get("uncited")))
    result = nodes.container(classes=["opsboundary-episode-index", *node.get("classes", [])])
    result["ids"] = list(node.get("ids", []))
    result.source, result.line = node.source, node.line
    if not entries:
        result += nodes.paragraph("", str(_("No episodes are cited yet.")))
        return result
    groups = [("", entries)] if group_by == "episode" else _groups(entries, group_by)
    for name, members in groups:
        if name:
            result += nodes.rubric(name, name, classes=["opsboundary-episode-index-group"])
        listing = nodes.bullet_list(classes=["opsboundary-episode-index-list"])
        for episode, citations in members:
            entry = _entry(env, app.builder, fromdocname, episode, citations)
            if node.get("timeline"):
                prefix = "-".join([*result["ids"][:1], name])
                add_timeline(app.builder, entry, episode, citations, prefix)
            listing += entry
        result += listing
    return result


def _fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    # Performance: no page of the project holds an index (the usual case), so
    # skip the walk over every resolved page.  Not keyed on *fromdocname*:
    # singlehtml and LaTeX resolve one tree assembled from many documents.
    if not get_domain(app.env)._bucket("indexes"):
        return
    for node in list(doctree.findall(episode_index_node)):
        node.replace_self(_build(app, fromdocname, node))


# --------------------------------------------------------------------------
# Incremental builds
# --------------------------------------------------------------------------

#: Environments in which some page was re-read or removed during this build.
_CHANGED: weakref.WeakSet[BuildEnvironment] = weakref.WeakSet()


def _note_change(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _CHANGED.add(env)


def _indexes_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if env not in _CHANGED:
        return []
    _CHANGED.discard(env)
    indexes = sorted(get_domain(env)._bucket("indexes"))
    note_rewrites(env, indexes)  # saved until written, so Ctrl-C cannot lose them
    return indexes


def setup_episode_index(app: Sphinx) -> None:
    """Register the directive, its placeholder node and the late filling."""
    app.add_node(episode_index_node)
    setup_timeline(app)
    app.add_directive("episode-index", EpisodeIndex)
    app.connect("doctree-resolved", _fill)
    app.connect("env-purge-doc", _note_change)
    app.connect("env-get-updated", _indexes_to_rewrite)
