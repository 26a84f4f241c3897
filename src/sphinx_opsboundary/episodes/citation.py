"""The ``episode-citation`` directive (SPEC §1.4) and what it shares with the role.

The directive and the ``episode`` role (:mod:`.role`) both record a
:class:`~sphinx_opsboundary.domain.Citation` at read time, so the episode index
can list every cited moment with a back-link, and both render
standard docutils nodes so that every builder gets the sentence and the URL.
The one custom node, :class:`opsboundary_time`, subclasses ``inline``: HTML
writes it as ``<time datetime>``, every other translator falls back to its own
``inline`` handling through Sphinx's MRO-based dispatch.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from ..diagnostics import (
    did_you_mean,
    directive_location,
    excerpt,
    option_line,
    warn,
)
from ..domain import Citation, InlineEpisode, get_domain
from ..safety import url_problem
from .broken import record_directive
from .deeplinks import deep_link
from .embeds import embed_requested, player_node
from .quotes import body_text, quote_mode
from .registry import Episode, date_problem, get_registry, timestamp_links, valid_date
from .timestamps import Timestamp, TimestampError, parse_timestamp

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

_ = get_translation("sphinx_opsboundary")

__all__ = [
    "EpisodeCitation",
    "find_episode",
    "opsboundary_time",
    "setup_citation",
    "slugify",
    "time_nodes",
]

#: Options that only make sense when the argument is an inline title.
_INLINE_ONLY = ("url", "series", "date", "duration")


class opsboundary_time(nodes.inline):
    """A time; ``<time datetime="PT…">`` in HTML, plain inline text elsewhere."""


def _visit_time_html(self: HTML5Translator, node: opsboundary_time) -> None:
    self.body.append(f'<time datetime="{self.attval(node.get("datetime", ""))}">')


def _depart_time_html(self: HTML5Translator, node: opsboundary_time) -> None:
    self.body.append("</time>")


def slugify(title: str) -> str:
    """A stable key for an inline episode, from its title."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "episode"


def find_episode(env: BuildEnvironment, key: str) -> Episode | None:
    """The registry episode *key*, else the first inline episode with that slug."""
    found = get_registry(env).get(key)
    if found is not None:
        return found
    for inline in get_domain(env).all_episodes():
        if inline.key == key:
            return inline_to_episode(inline)
    return None


def inline_to_episode(inline: InlineEpisode) -> Episode:
    data = inline.data
    return Episode(
        key=inline.key,
        title=str(data.get("title", inline.key)),
        speakers=tuple(data.get("speakers", ())),
        url=data.get("url"),
        series=data.get("series"),
        date=data.get("date"),
        duration=data.get("duration"),
        kind=data.get("kind"),
    )


def time_nodes(
    env: BuildEnvironment, episode: Episode, at: Timestamp, end: Timestamp | None
) -> tuple[list[Node], bool]:
    """The time (linked when the platform has deep links) and whether it is linked.

    When the URL has no deep link form the time stays text and the caller links
    the title to the plain URL instead; with no (safe) URL nothing is a link.
    """
    parts: list[Node] = []
    if at.approximate:
        parts.append(nodes.Text(str(_("around")) + " "))
    parts.append(opsboundary_time(at.display, at.display, datetime=at.iso))
    if end is not None:
        parts.append(nodes.Text("–"))
        parts.append(opsboundary_time(end.display, end.display, datetime=end.iso))
    classes = ["opsboundary-episode-time"]
    if episode.url:
        templates = timestamp_links(env.config)
        href, timed = deep_link(episode.url, at.seconds, end.seconds if end else None, templates)
        if timed:
            link = nodes.reference("", "", *parts, refuri=href, internal=False)
            link["classes"] = [*classes, "opsboundary-episode-link"]
            return [link], True
    return [nodes.inline("", "", *parts, classes=classes)], False


def title_nodes(episode: Episode, label: str, timed: bool) -> Node:
    cite = nodes.title_reference(label, label)
    if episode.url and not timed:
        link = nodes.reference("", "", cite, refuri=episode.url, internal=False)
        link["classes"] = ["opsboundary-episode-link"]
        return link
    return cite


def key_suggestion(word: str, env: BuildEnvironment) -> str:
    """``; did you mean 'key'?`` searching keys and titles, always naming a key."""
    registry = get_registry(env)
    titles = registry.titles()
    best = did_you_mean(word, [*registry.episodes, *titles])
    if not best:
        return ""
    key = titles.get(best[0], best[0])
    return f"; did you mean {key!r}?"


class EpisodeCitation(SphinxDirective):
    """Quote or paraphrase a moment of an episode, with a timed deep link."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "at": directives.unchanged,
        "end": directives.unchanged,
        "speaker": directives.unchanged,
        "url": directives.unchanged,
        "series": directives.unchanged,
        "date": directives.unchanged,
        "duration": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.unchanged,
        "embed": directives.unchanged,  # SPEC §9: click-to-load player (embeds.py)
        "quote": directives.unchanged,
    }

    def _option(self, name: str) -> str | None:
        value = self.options.get(name)
        if value is None:
            return None
        return str(value).strip() or None

    def _time(self, name: str) -> Timestamp | None:
        text = self._option(name)
        if text is None:
            return None
        try:
            return parse_timestamp(text)
        except TimestampError as err:
            warn(f"episode-citation :{name}: {err}", "timestamp", option_line(self, name))
            return None

    def _inline_episode(self, title: str, speaker: str) -> Episode:
        url = self._option("url")
        if url is not None:
            problem = url_problem(url)
            if problem:
                warn(
                    f"episode-citation :url: {problem}; the episode is shown without a link",
                    "url",
                    option_line(self, "url"),
                )
                url = None
        duration = self._time("duration")
        date = self._option("date")
        if date is not None and valid_date(date) is None:
            warn(
                f"episode-citation :date: {date_problem(date)}",
                "syntax",
                option_line(self, "date"),
            )
            date = None
        return Episode(
            key=slugify(title),
            title=title,
            speakers=(speaker,),
            url=url,
            series=self._option("series"),
            date=date,
            duration=duration.seconds if duration else None,
        )

    def _resolve(self, argument: str) -> tuple[Episode | None, bool]:
        """(episode, is_inline); warns and returns None when it cannot be found."""
        registry = get_registry(self.env)
        speaker = self._option("speaker")
        if registry.file:
            # Any edit of the file may define, fix or retitle this episode.
            self.env.note_dependency(registry.file)
        episode = registry.get(argument)
        if episode is not None:
            for name in _INLINE_ONLY:
                if name in self.options:
                    warn(
                        f"episode-citation :{name}: applies only to an inline episode "
                        f"(a title as argument); {excerpt(argument)} is a registry key, so "
                        f"edit its :{name}: in the registry instead",
                        "syntax",
                        option_line(self, name),
                    )
            return episode, False
        suggestion = key_suggestion(argument, self.env)
        key_like = not re.search(r"\s", argument)
        if suggestion or (key_like and speaker is None):
            warn(
                f"unknown episode {excerpt(argument)}{suggestion or ''}"
                + (
                    ""
                    if suggestion
                    else f"; register it in {registry.where_to_register()}, or give "
                    "the episode's title with :speaker:"
                ),
                "episode",
                directive_location(self),
            )
            if speaker is None or key_like:
                return None, False
        if speaker is None:
            warn(
                f"episode-citation of the inline episode {excerpt(argument)} has no speaker; "
                f"add :speaker:, or register the episode in {registry.where_to_register()}",
                "episode",
                directive_location(self),
            )
            return None, False
        return self._inline_episode(argument, speaker), True

    def run(self) -> list[Node]:
        argument = self.arguments[0].strip()
        source, line = directive_location(self)
        episode, is_inline = self._resolve(argument)

        at = self._time("at")
        if self._option("at") is None:
            warn(
                "episode-citation needs :at: with the moment cited, for example :at: 52:39",
                "syntax",
                directive_location(self),
            )
        end = self._time("end")
        if end is not None and end.approximate:
            end = Timestamp(end.seconds)
        if at is not None and end is not None and end.seconds <= at.seconds:
            warn(
                f"episode-citation :end: {end.display} is not after :at: {at.display}; "
                "give an end later than the start",
                "timestamp",
                option_line(self, "end"),
            )
            end = None

        speakers: tuple[str, ...] = episode.speakers if episode else ()
        speaker = self._option("speaker")
        quoted: str | None = speaker if is_inline else None
        if episode is not None:
            for name, value in (("at", at), ("end", end)):
                if (
                    value is not None
                    and episode.duration is not None
                    and value.seconds > episode.duration
                ):
                    warn(
                        f"episode-citation :{name}: {value.display} lies past the end of "
                        f"{episode.title!r} ({Timestamp(episode.duration).display})",
                        "timestamp",
                        option_line(self, name),
                    )
            if speaker is not None and not is_inline:
                matched = [s for s in episode.speakers if s.casefold() == speaker.casefold()]
                if matched:
                    speakers = (matched[0],)
                    quoted = matched[0]
                else:
                    best = did_you_mean(speaker, episode.speakers)
                    hint = (
                        f"; did you mean {best[0]!r}?"
                        if best
                        else f"; its speakers are {', '.join(episode.speakers) or 'not listed'}"
                    )
                    warn(
                        f"{excerpt(speaker)} is not a speaker of episode {episode.key!r}{hint}",
                        "episode",
                        option_line(self, "speaker"),
                    )

        container = nodes.container(classes=["opsboundary-episode"])
        container["classes"].extend(self._classes())
        if self._option("name"):
            # As for every docutils directive, the name is the element's id
            # (``page.html#toolbelt-citation``) and a target for :ref:.
            self.options["name"] = self._option("name")
            self.add_name(container)
        else:
            container["ids"].append(
                make_id(
                    self.env, self.state.document, "episode", episode.key if episode else argument
                )
            )
            self.state.document.note_explicit_target(container)
        node_id = container["ids"][0]
        self.set_source_info(container)

        # A body of blank lines parses to nothing: add no empty quote, which
        # Sphinx would later remove and docutils refuse (its classes would be lost).
        body = self.parse_content_to_nodes() if self.content else []
        quote_as = quote_mode(self)
        if body:
            quote = nodes.block_quote(classes=["opsboundary-episode-quote"])
            quote.extend(body)
            container += quote

        attribution = nodes.paragraph(classes=["opsboundary-episode-attribution"])
        if speakers:
            attribution += nodes.inline(
                "", ", ".join(speakers), classes=["opsboundary-episode-speaker"]
            )
            attribution += nodes.Text(", ")
        if episode is None:
            attribution += nodes.title_reference(argument, argument)
        else:
            timed = False
            times: list[Node] = []
            if at is not None:
                times, timed = time_nodes(self.env, episode, at, end)
            attribution += title_nodes(episode, episode.title, timed)
            if times:
                attribution += nodes.Text(", ")
                attribution.extend(times)
            domain = get_domain(self.env)
            if is_inline:
                domain.add_episode(
                    InlineEpisode(
                        docname=self.env.docname,
                        source=str(source),
                        line=line,
                        key=episode.key,
                        data={
                            "title": episode.title,
                            "speakers": list(episode.speakers),
                            "url": episode.url,
                            "series": episode.series,
                            "date": episode.date,
                            "duration": episode.duration,
                        },
                    )
                )
            if at is not None:
                domain.add_citation(
                    Citation(
                        docname=self.env.docname,
                        source=str(source),
                        line=line,
                        node_id=node_id,
                        key=episode.key,
                        at=at.seconds,
                        approximate=at.approximate,
                        end=end.seconds if end else None,
                        speaker=quoted,
                        origin="directive",
                        text=body_text(body),
                        quote=quote_as,
                    )
                )
        if episode is None or at is None:
            record_directive(self, argument, episode, at, end)
        container += attribution
        if embed_requested(self) and episode is not None and at is not None:
            player = player_node(self, episode, speakers, at, end)
            if player is not None:
                container += player
        return [container]

    def _classes(self) -> list[str]:
        value = self._option("class")
        if value is None:
            return []
        try:
            return list(directives.class_option(value))
        except ValueError:
            warn(
                f"episode-citation :class: {value!r} is not a list of class names",
                "syntax",
                option_line(self, "class"),
            )
            return []


def label_named_citations(app: Sphinx, doctree: nodes.document) -> None:
    """Give a named card the cited episode's title as its :ref: title.

    docutils makes ``:name:`` an anonymous label, which :ref: only reaches with
    explicit text; a card has an obvious title, so ``:ref:`toolbelt-citation```
    reads "MLOps at Scale", as a reference to a titled figure would.
    """
    labels = None
    for name, explicit in doctree.nametypes.items():
        node_id = doctree.nameids.get(name) if explicit else None
        node = doctree.ids.get(node_id) if node_id else None
        if not isinstance(node, nodes.container) or "opsboundary-episode" not in node["classes"]:
            continue
        cite = next(node.findall(nodes.title_reference), None)
        if cite is None:
            continue
        if labels is None:
            labels = app.env.get_domain("std").labels  # type: ignore[attr-defined]
        labels[name] = (app.env.docname, node_id, cite.astext())


class ShowEpisodeURLs(SphinxPostTransform):
    """Plain-text output loses link targets; spell out each episode URL there."""

    default_priority = 400
    formats = ("text",)

    def run(self, **kwargs: Any) -> None:
        for ref in list(self.document.findall(nodes.reference)):
            if "opsboundary-episode-link" in ref.get("classes", ()) and ref.get("refuri"):
                parent = ref.parent
                parent.insert(parent.index(ref) + 1, nodes.Text(f" <{ref['refuri']}>"))


#: Deep links put the time in the fragment (``#t=311``, ``#t=311,330``,
#: ``#t=5:11``); these are media fragments, not HTML anchors, so the ``linkcheck``
#: builder must check the page without looking for an element with that id.
MEDIA_FRAGMENT_ANCHOR = r"^t="


def _ignore_media_fragments(app: Sphinx, config: Config) -> None:
    ignored = list(getattr(config, "linkcheck_anchors_ignore", None) or [])
    if MEDIA_FRAGMENT_ANCHOR not in ignored:
        config.linkcheck_anchors_ignore = [*ignored, MEDIA_FRAGMENT_ANCHOR]


def setup_citation(app: Sphinx) -> None:
    """Register the directive, the time node and the text-URL transform."""
    app.connect("config-inited", _ignore_media_fragments)
    app.add_node(opsboundary_time, html=(_visit_time_html, _depart_time_html))
    app.add_directive("episode-citation", EpisodeCitation)
    app.connect("doctree-read", label_named_citations)
    app.add_post_transform(ShowEpisodeURLs)
