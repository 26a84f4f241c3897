"""Episode URL + seconds -> deep link (SPEC §1.2).

Whether user text may become an ``href`` at all is decided once, in
:mod:`sphinx_opsboundary.safety`; :func:`deep_link` adds a start time only where
the platform is known to honour it.  For anything else the URL is returned
unchanged and the caller shows the time as text: a made-up parameter would
send readers to the start of the episode while looking like a working link.

Query editing works on the raw ``name=value`` pieces of the query, so the
parameters that are kept stay byte-for-byte as the user wrote them (no
re-encoding of ``%20`` as ``+``, no reordering).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from urllib.parse import SplitResult, parse_qsl, unquote_plus, urlsplit, urlunsplit

from ..safety import is_invisible, is_safe_url, url_problem
from .timestamps import format_display

__all__ = [
    "MEDIA_EXTENSIONS",
    "TEMPLATE_FIELDS",
    "deep_link",
    "embed_url",
    "is_safe_url",
    "template_problem",
    "url_problem",
]

#: Path extensions of files a browser plays itself, honouring ``#t=`` fragments.
MEDIA_EXTENSIONS = frozenset(
    {".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".flac"} | {".mp4", ".m4v", ".webm", ".mov"}
)

#: Placeholders a user template in ``opsboundary_timestamp_links`` may use.
TEMPLATE_FIELDS = frozenset({"url", "seconds", "end", "hms"})

_YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"})
_YOUTUBE_EMBED_HOSTS = frozenset({"youtube-nocookie.com", "www.youtube-nocookie.com"})
_VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})
_SOUNDCLOUD_HOSTS = frozenset({"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"})
_SPOTIFY_HOSTS = frozenset({"open.spotify.com"})


# --------------------------------------------------------------------------
# Deep links
# --------------------------------------------------------------------------


def _query_without(query: str, names: frozenset[str]) -> tuple[list[str], int | None]:
    """Raw query pieces minus those named in *names*, and where the first one was."""
    kept: list[str] = []
    first: int | None = None
    for piece in query.split("&") if query else []:
        if unquote_plus(piece.partition("=")[0]) in names:
            if first is None:
                first = len(kept)
            continue
        kept.append(piece)
    return kept, first


def _set_query(parts: SplitResult, drop: frozenset[str], add: list[tuple[str, int]]) -> str:
    """*parts* with params in *drop* removed and *add* put where the first one was."""
    kept, position = _query_without(parts.query, drop)
    new = [f"{name}={value}" for name, value in add]
    at = len(kept) if position is None else position
    pieces = [*kept[:at], *new, *kept[at:]]
    return urlunsplit(parts._replace(query="&".join(pieces)))


def _set_fragment(parts: SplitResult, fragment: str) -> str:
    return urlunsplit(parts._replace(fragment=fragment))


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _youtube(parts: SplitResult, host: str, start: int, end: int | None) -> str | None:
    segments = _segments(parts.path)
    if host == "youtu.be":
        is_video = len(segments) == 1
    elif host in _YOUTUBE_EMBED_HOSTS or (segments and segments[0] == "embed"):
        if len(segments) != 2 or segments[0] != "embed":
            return None
        # Embedded players ignore t=; they take start= (and end=).
        add = [("start", start)] + ([("end", end)] if end is not None and end > start else [])
        return _set_query(parts, frozenset({"t", "start", "end"}), add)
    elif segments[:1] == ["watch"]:
        query = parse_qsl(parts.query, keep_blank_values=True)
        is_video = len(segments) == 1 and any(name == "v" and value for name, value in query)
    else:
        is_video = len(segments) == 2 and segments[0] in {"live", "shorts", "v"}
    if not is_video:
        return None
    if parts.fragment.startswith("t="):  # an old-style #t= would compete with ?t=
        parts = parts._replace(fragment="")
    return _set_query(parts, frozenset({"t", "start"}), [("t", start)])


def _vimeo(parts: SplitResult, start: int) -> str | None:
    if not any(segment.isdecimal() and segment.isascii() for segment in _segments(parts.path)):
        return None
    return _set_fragment(parts, f"t={start}s")


def _spotify(parts: SplitResult, start: int) -> str | None:
    segments = _segments(parts.path)
    if segments[:1] and segments[0].startswith("intl-"):  # localized: /intl-de/episode/<id>
        segments = segments[1:]
    if len(segments) != 2 or segments[0] != "episode":
        return None
    return _set_query(parts, frozenset({"t"}), [("t", start)])


def _soundcloud(parts: SplitResult, start: int) -> str | None:
    segments = _segments(parts.path)
    if len(segments) < 2 or segments[1] in {"sets", "tracks", "likes", "reposts", "albums"}:
        return None  # a profile or a list, not a track
    return _set_fragment(parts, f"t={format_display(start)}")


def _media(parts: SplitResult, start: int, end: int | None) -> str | None:
    name = parts.path.rpartition("/")[2]
    dot = name.rfind(".")
    if dot < 0 or name[dot:].lower() not in MEDIA_EXTENSIONS:
        return None
    value = f"{start},{end}" if end is not None and end > start else f"{start}"
    # Keep other media-fragment dimensions (xywh=, track=), replace t=.
    others = [p for p in parts.fragment.split("&") if p and p.partition("=")[0] != "t"]
    return _set_fragment(parts, "&".join([f"t={value}", *others]))


def _template_for(host: str, templates: Mapping[str, str]) -> str | None:
    """The template of the most specific key matching *host* or a parent domain."""
    best: tuple[int, str] | None = None
    for key, template in templates.items():
        if not isinstance(key, str) or template_problem(key, template) is not None:
            continue
        wanted = key.lower().removesuffix(".")
        if (host == wanted or host.endswith("." + wanted)) and (
            best is None or len(wanted) > best[0]
        ):
            best = (len(wanted), template)
    return None if best is None else best[1]


def _from_template(template: str, url: str, start: int, end: int | None) -> str:
    return template.format(
        url=url, seconds=start, end="" if end is None else end, hms=format_display(start)
    )


def deep_link(
    url: str,
    start: int,
    end: int | None = None,
    templates: Mapping[str, str] | None = None,
) -> tuple[str, bool]:
    """``(href, timed)`` for *url* at *start* seconds (to *end*, where supported).

    ``timed`` is False when the platform is unknown or the URL unsafe: the URL
    then comes back unchanged and the caller shows the time as text.  User
    *templates* (host -> template) win over the built-in platforms.
    """
    if (
        not isinstance(start, int)
        or start < 0
        or (end is not None and (not isinstance(end, int) or end < 0))
        or url_problem(url) is not None
    ):
        return url, False
    parts = urlsplit(url)
    host = (parts.hostname or "").removesuffix(".")

    if host and templates:
        template = _template_for(host, templates)
        if template is not None:
            href = _from_template(template, url, start, end)
            return (href, True) if url_problem(href) is None else (url, False)

    linked = _platform_link(parts, host, start, end) or _media(parts, start, end)
    return (linked, True) if linked is not None else (url, False)


def _platform_link(parts: SplitResult, host: str, start: int, end: int | None) -> str | None:
    """The deep link for a built-in platform, or None for other hosts or pages."""
    if host in _YOUTUBE_HOSTS or host in _YOUTUBE_EMBED_HOSTS or host == "youtu.be":
        return _youtube(parts, host, start, end)
    if host in _VIMEO_HOSTS:
        return _vimeo(parts, start)
    if host in _SPOTIFY_HOSTS:
        return _spotify(parts, start)
    if host in _SOUNDCLOUD_HOSTS:
        return _soundcloud(parts, start)
    return None


# --------------------------------------------------------------------------
# Privacy-preserving embedded players (SPEC §9)
# --------------------------------------------------------------------------

#: A YouTube video id (11 characters today; a little slack, nothing else).
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,64}")
#: The privacy hash of an unlisted Vimeo video (``vimeo.com/<id>/<hash>``).
_VIMEO_HASH = re.compile(r"[0-9a-f]{6,40}")


def _youtube_id(parts: SplitResult, host: str) -> str | None:
    segments = _segments(parts.path)
    if host == "youtu.be":
        found = segments[0] if len(segments) == 1 else None
    elif segments == ["watch"]:
        values = [v for name, v in parse_qsl(parts.query, keep_blank_values=True) if name == "v"]
        found = values[0] if len(values) == 1 else None
    elif len(segments) == 2 and segments[0] in {"live", "shorts", "v", "embed"}:
        found = segments[1]
    else:
        found = None
    return found if found is not None and _YOUTUBE_ID.fullmatch(found) else None


def _vimeo_id(parts: SplitResult, host: str) -> tuple[str, str | None] | None:
    """``(id, privacy hash or None)`` of a Vimeo video page or player URL."""
    segments = _segments(parts.path)
    if host == "player.vimeo.com":
        if len(segments) != 2 or segments[0] != "video":
            return None
        hashes = [v for name, v in parse_qsl(parts.query) if name == "h"]
        secret = hashes[0] if len(hashes) == 1 else None
    elif segments and segments[0] in {"channels", "groups", "showcase", "album"}:
        segments = segments[-1:]  # /channels/<name>/<id>: the id is last
        secret = None
    else:
        secret = segments[1] if len(segments) == 2 else None
        segments = segments[:1] if len(segments) <= 2 else []
    ids = [s for s in segments[-1:] if s.isdecimal() and s.isascii()]
    if not ids:
        return None
    if secret is not None and not _VIMEO_HASH.fullmatch(secret):
        return None
    return ids[0], secret


def embed_url(url: str, start: int, end: int | None = None) -> str | None:
    """The privacy-preserving player URL for *url* at *start* (to *end*), or None.

    YouTube plays from ``www.youtube-nocookie.com`` (no cookies until playback)
    with ``start=``/``end=``; Vimeo from ``player.vimeo.com`` with ``dnt=1`` (no
    tracking) and a ``#t=`` fragment (its player has no end time).  Every other
    platform, and anything that is not plainly one video, gives None: the card
    then keeps its deep link and shows no player.
    """
    if (
        not isinstance(start, int)
        or start < 0
        or (end is not None and not isinstance(end, int))
        or url_problem(url) is not None
    ):
        return None
    if end is not None and end <= start:
        end = None  # no passage to stop at: play on from the start
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removesuffix(".")
    if host in _YOUTUBE_HOSTS or host in _YOUTUBE_EMBED_HOSTS or host == "youtu.be":
        video = _youtube_id(parts, host)
        if video is None:
            return None
        query = f"start={start}" + (f"&end={end}" if end is not None else "")
        return f"https://www.youtube-nocookie.com/embed/{video}?{query}"
    if host in _VIMEO_HOSTS:
        found = _vimeo_id(parts, host)
        if found is None:
            return None
        video, secret = found
        query = (f"h={secret}&" if secret else "") + "dnt=1"
        return f"https://player.vimeo.com/video/{video}?{query}#t={start}s"
    return None


# --------------------------------------------------------------------------
# User templates (``opsboundary_timestamp_links``)
# --------------------------------------------------------------------------


def template_problem(host: str, template: str) -> str | None:
    """Why the ``host: template`` pair cannot be used, or None when it can.

    Only bare placeholders from :data:`TEMPLATE_FIELDS` are allowed: attribute
    and index access (``{url.__class__}``) would let a config value reach into
    Python objects, and positional fields have nothing to fill them.
    """
    if not isinstance(host, str) or not host.strip():
        return f"the host {host!r} must be a non-empty host name such as 'example.com'"
    if any(char in host for char in "/:@?#") or any(is_invisible(c) for c in host):
        return f"the host {host!r} must be a bare host name such as 'example.com', not a URL"
    if not isinstance(template, str):
        return f"the template for {host!r} must be a string, not {type(template).__name__}"
    try:
        fields = [
            (field, spec, conversion)
            for _, field, spec, conversion in string.Formatter().parse(template)
            if field is not None
        ]
    except ValueError as err:
        return (
            f"the template for {host!r} is not a valid format string ({err}); "
            "write {{ and }} for literal braces"
        )
    known = ", ".join(f"{{{name}}}" for name in sorted(TEMPLATE_FIELDS))
    for field, spec, conversion in fields:
        if field not in TEMPLATE_FIELDS:
            return f"the template for {host!r} uses {{{field}}}; the placeholders are {known}"
        # No format specs or conversions: "{url:>999999999}" would be a memory bomb.
        if spec or conversion:
            return f"the template for {host!r} must use bare placeholders such as {{{field}}}"
    return None
