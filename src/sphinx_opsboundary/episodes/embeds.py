"""Click-to-load players in citation cards (SPEC §9).

``:embed:`` on ``episode-citation`` (or ``opsboundary_embed = True``) adds an
:class:`opsboundary_player` to the card when the episode plays on a platform
with a privacy-preserving player (YouTube via ``youtube-nocookie.com``, Vimeo
with ``dnt=1``).  In HTML it is a placeholder that names the episode, speaker
and time and makes no request to the platform: the player's address waits in a
``data-`` attribute until ``opsboundary-embed.js`` (first-party, added only to
pages that hold a player) turns the placeholder into a ``<button>`` and, when
the reader presses it, into the platform's ``<iframe>``.  Without JavaScript
the placeholder is an ordinary link to the deep link.

Every other builder is unchanged: a post-transform removes the node before
writing, so LaTeX, text, man, EPUB and the rest never see it, and ``linkcheck``
never fetches a player.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..diagnostics import conf_location, option_line, warn
from .deeplinks import deep_link, embed_url
from .registry import Episode, timestamp_links
from .timestamps import Timestamp

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.docutils import SphinxDirective
    from sphinx.writers.html5 import HTML5Translator

_ = get_translation("sphinx_opsboundary")
logger = logging.getLogger(__name__)

__all__ = ["JS_FILE", "embed_requested", "opsboundary_player", "player_node", "setup_embeds"]

#: The one script, shipped in ``static/``; no third-party script is ever added.
JS_FILE = "opsboundary-embed.js"

#: Host of each player -> the platform's name as readers know it.
PLATFORMS = {"www.youtube-nocookie.com": "YouTube", "player.vimeo.com": "Vimeo"}

_ON = frozenset({"", "on", "yes", "true"})
_OFF = frozenset({"off", "no", "false"})


class opsboundary_player(nodes.General, nodes.Element):
    """A click-to-load player; written by HTML builders, removed for all others."""


def embed_requested(directive: SphinxDirective) -> bool:
    """Whether the citation asks for a player: ``:embed:`` or ``opsboundary_embed``.

    ``:embed:`` alone (or ``on``) asks for one; ``:embed: off`` opts one citation
    out when ``opsboundary_embed = True``.  Anything else warns and is off.
    """
    default = directive.config.opsboundary_embed is True
    if "embed" not in directive.options:
        return default
    value = str(directive.options.get("embed") or "").strip().lower()
    if value in _ON:
        return True
    if value not in _OFF:
        warn(
            f"episode-citation :embed: takes no value (or 'off' to opt out), not {value!r}; "
            "the card is shown without a player",
            "syntax",
            option_line(directive, "embed"),
        )
    return False


def player_node(
    directive: SphinxDirective,
    episode: Episode,
    speakers: Sequence[str],
    at: Timestamp,
    end: Timestamp | None,
) -> opsboundary_player | None:
    """The player for *episode* at *at*, or None when its platform has none."""
    url = episode.url
    src = embed_url(url, at.seconds, end.seconds if end else None) if url else None
    if url is None or src is None:
        source, line = option_line(directive, "embed")
        logger.verbose(
            "%s:%s: episode-citation: %r has no embeddable player (YouTube or Vimeo); "
            "the card is shown without one",
            source,
            line,
            episode.title,
        )
        return None
    href, _timed = deep_link(
        url, at.seconds, end.seconds if end else None, timestamp_links(directive.config)
    )
    platform = next(name for host, name in PLATFORMS.items() if src.startswith(f"https://{host}/"))
    moment = at.display if end is None else f"{at.display}–{end.display}"
    when = f"{_('around')} {moment}" if at.approximate else moment
    return opsboundary_player(
        src=src,
        href=href,
        platform=platform,
        title=episode.title,
        speakers=", ".join(speakers),
        when=when,
        iso=at.iso,
        display=at.display,
        approximate=at.approximate,
        end=end.display if end else "",
        end_iso=end.iso if end else "",
    )


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def _time(self: HTML5Translator, iso: str, display: str) -> str:
    return f'<time datetime="{self.attval(iso)}">{self.encode(display)}</time>'


def _visit_player_html(self: HTML5Translator, node: opsboundary_player) -> None:
    title, platform = node["title"], node["platform"]
    moment = str(node["when"])
    link_label = _("Watch “%(title)s” at %(time)s on %(platform)s") % {
        "title": title,
        "time": moment,
        "platform": platform,
    }
    play_label = _("Play “%(title)s” at %(time)s here (loads the %(platform)s player)") % {
        "title": title,
        "time": moment,
        "platform": platform,
    }
    frame_title = _("%(platform)s player: %(title)s") % {"platform": platform, "title": title}
    note = _("%(platform)s, privacy-enhanced; nothing loads until you press play") % {
        "platform": platform
    }
    times = ""
    if node["approximate"]:
        times += self.encode(str(_("around"))) + " "
    times += _time(self, node["iso"], node["display"])
    if node["end"]:
        times += "–" + _time(self, node["end_iso"], node["end"])
    meta = times = f'<span class="opsboundary-player-when">{times}</span>'
    if node["speakers"]:
        meta = f"{self.encode(node['speakers'])} · {times}"
    self.body.append(
        f'<div class="opsboundary-player" data-opsboundary-embed="{self.attval(node["src"])}"'
        f' data-opsboundary-play-label="{self.attval(play_label)}"'
        f' data-opsboundary-frame-title="{self.attval(frame_title)}">'
        f'<a class="opsboundary-player-start" href="{self.attval(node["href"])}"'
        f' aria-label="{self.attval(link_label)}">'
        '<span class="opsboundary-player-icon" aria-hidden="true"></span>'
        '<span class="opsboundary-player-text">'
        f'<span class="opsboundary-player-title">{self.encode(title)}</span>'
        f'<span class="opsboundary-player-meta">{meta}</span>'
        f'<span class="opsboundary-player-note">{self.encode(note)}</span>'
        "</span></a></div>\n"
    )
    raise nodes.SkipNode


def _writes_players(builder: Any) -> bool:
    """Web HTML only: not EPUB (``embedded``), not the checker, not other formats."""
    return (
        builder.format == "html"
        and not getattr(builder, "embedded", False)
        and not builder.name.startswith("opsboundary")
    )


class DropPlayers(SphinxPostTransform):
    """Every builder but web HTML gets the card exactly as without ``:embed:``."""

    default_priority = 200

    def run(self, **kwargs: Any) -> None:
        if _writes_players(self.app.builder):
            return
        for node in list(self.document.findall(opsboundary_player)):
            node.parent.remove(node)


def _add_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Only pages that hold a player load the script (Sphinx resets it per page)."""
    if doctree is None or not _writes_players(app.builder):
        return
    if next(iter(doctree.findall(opsboundary_player)), None) is not None:
        app.builder.add_js_file(JS_FILE, loading_method="defer")  # type: ignore[attr-defined]


def _check_config(app: Sphinx, config: Config) -> None:
    value = config.opsboundary_embed
    if not isinstance(value, bool):
        warn(
            f"opsboundary_embed must be True or False, not {value!r}; using False",
            "config",
            conf_location(app.confdir, "opsboundary_embed"),
        )
        config.opsboundary_embed = False


def setup_embeds(app: Sphinx) -> None:
    """Register the setting, the node, its removal elsewhere and the page script."""
    app.add_config_value("opsboundary_embed", False, "env", types=frozenset({bool}))
    app.connect("config-inited", _check_config)
    app.add_node(opsboundary_player, html=(_visit_player_html, None))
    app.add_post_transform(DropPlayers)
    app.connect("html-page-context", _add_script)
