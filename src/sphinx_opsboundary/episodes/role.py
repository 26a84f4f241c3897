"""The ``episode`` role (SPEC §1.5): an inline mention of a registered moment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import make_id

from ..diagnostics import excerpt, role_location, warn
from ..domain import Citation, get_domain
from .broken import record_broken
from .citation import key_suggestion, time_nodes
from .registry import Episode, get_registry
from .timestamps import Timestamp, TimestampError, parse_range

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def split_explicit_title(text: str) -> tuple[bool, str, str]:
    """``(has title, title, target)`` of ``title <target>``, in linear time.

    Same answers as :func:`sphinx.util.nodes.split_explicit_title`, whose
    regular expression backtracks quadratically over a run of spaces.
    """
    body = text[:-1] if text.endswith("\n") else text  # "$" also matches before a final \n
    if not body.endswith(">"):
        return False, text, text
    start = body.rfind("<", 0, len(body) - 1)
    if start <= 0 or body[start - 1] == "\x00":
        return False, text, text
    head = body[:start]
    return True, head.rstrip() or head[:1], body[start + 1 : -1]


class EpisodeRole(SphinxRole):
    """``:episode:`key@52:39```: an inline mention of a registered episode's moment."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        location = role_location(self.inliner, self.lineno, self.rawtext, self.name, self.text)
        has_title, label, target = split_explicit_title(self.text)
        key, sep, when = target.strip().partition("@")
        key = key.strip()
        if not sep or not key or not when.strip():
            return self._fail(
                f"episode role {excerpt(self.text)} needs key@time, for example "
                "`mlops-at-scale@52:39` or `text <mlops-at-scale@~52:39>`",
                "syntax",
                location,
            )
        registry = get_registry(self.env)
        if registry.file:
            self.env.note_dependency(registry.file)
        episode = registry.get(key)
        if episode is None:
            suggestion = key_suggestion(key, self.env)
            return self._fail(
                f"unknown episode {key!r} in the episode role{suggestion}"
                + ("" if suggestion else f"; register it in {registry.where_to_register()}"),
                "episode",
                location,
            )
        try:
            at, end = parse_range(when)
        except TimestampError as err:
            return self._fail(f"episode role {excerpt(self.text)}: {err}", "timestamp", location)
        if end is not None and end.seconds <= at.seconds:
            warn(
                f"episode role {excerpt(self.text)}: the end {end.display} is not after the start "
                f"{at.display}; give an end later than the start",
                "timestamp",
                location,
            )
            end = None
        if episode.duration is not None:
            for value in (at, end):
                if value is not None and value.seconds > episode.duration:
                    warn(
                        f"episode role {excerpt(self.text)}: {value.display} lies past the end of "
                        f"{episode.title!r} ({Timestamp(episode.duration).display})",
                        "timestamp",
                        location,
                    )
        document = self.inliner.document
        node_id = make_id(self.env, document, "episode", key)
        mention = nodes.inline(classes=["opsboundary-episode-mention"], ids=[node_id])
        document.note_explicit_target(mention)
        mention += _mention_nodes(self.env, episode, label if has_title else None, at, end)
        source, line = location
        get_domain(self.env).add_citation(
            Citation(
                docname=self.env.docname,
                source=str(source),
                line=line,
                node_id=node_id,
                key=key,
                at=at.seconds,
                approximate=at.approximate,
                end=end.seconds if end else None,
                origin="role",
            )
        )
        return [mention], []

    def _fail(
        self, message: str, subtype: Any, location: tuple[str | None, int]
    ) -> tuple[list[Node], list[system_message]]:
        warn(message, subtype, location)
        # Still a citation the author wrote: the checker's report lists it as broken.
        key, _sep, when = split_explicit_title(self.text)[2].strip().partition("@")
        try:
            at, end = parse_range(when)
        except TimestampError:
            at, end = None, None
        record_broken(self.env, location, key.strip(), "role", message, at, end)
        return [nodes.Text(self.rawtext)], []


def _mention_nodes(
    env: BuildEnvironment,
    episode: Episode,
    text: str | None,
    at: Timestamp,
    end: Timestamp | None,
) -> list[Node]:
    """The words (explicit *text*, else the title in ``<cite>``) and the time.

    With a deep link, words and time are one link, so the reader clicks what
    they read; explicit text is the author's own words, not the title of a
    work, so it is not set in ``<cite>`` and the title becomes the link's
    tooltip.  Without one, the words link to the plain URL (if any) and the time
    stays text (SPEC §1.2: never a made-up time parameter).
    """
    words: Node = (
        nodes.inline(text, text, classes=["opsboundary-episode-text"])
        if text is not None
        else nodes.title_reference(episode.title, episode.title)
    )
    times, timed = time_nodes(env, episode, at, end)
    if not timed:
        if episode.url:
            link = nodes.reference("", "", words, refuri=episode.url, internal=False)
            link["classes"] = ["opsboundary-episode-link"]
            if text is not None:
                link["reftitle"] = episode.title
            words = link
        return [words, nodes.Text(" "), *times]
    deep = times[0]
    time = nodes.inline("", "", *deep.children, classes=["opsboundary-episode-time"])
    link = nodes.reference("", "", words, nodes.Text(" "), time, internal=False)
    link["refuri"] = deep["refuri"]  # type: ignore[index]
    link["classes"] = ["opsboundary-episode-link"]
    if text is not None:
        link["reftitle"] = episode.title
    return [link]


def setup_role(app: Sphinx) -> None:
    app.add_role("episode", EpisodeRole())
