"""The ``episode`` role (SPEC §1.5): an inline mention of a registered moment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import make_id

from ..diagnostics import excerpt, role_location, warn
from ..domain import Citation, get_domain
from .citation import key_suggestion, time_nodes, title_nodes
from .registry import get_registry
from .timestamps import Timestamp, TimestampError, parse_range

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx


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
                + ("" if suggestion else "; register it in opsboundary_episodes"),
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
        times, timed = time_nodes(self.env, episode, at, end)
        mention += title_nodes(episode, label if has_title else episode.title, timed)
        mention += nodes.Text(" ")
        mention.extend(times)
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
        return [nodes.Text(self.rawtext)], []


def setup_role(app: Sphinx) -> None:
    app.add_role("episode", EpisodeRole())
