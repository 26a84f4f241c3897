"""Deep links (SPEC §1.2) and URL safety (SPEC §0): every table row, the refusal
of dangerous and malformed URLs, and never raising on arbitrary input."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sphinx_opsboundary.episodes.deeplinks import (
    MEDIA_EXTENSIONS,
    deep_link,
    template_problem,
)
from sphinx_opsboundary.safety import is_safe_url, url_problem

# --------------------------------------------------------------------------
# Built-in platforms
# --------------------------------------------------------------------------

PLATFORM_LINKS = [
    # url, start, end, expected href
    # YouTube: every URL form, query t=<s>
    (
        "https://www.youtube.com/watch?v=abc123",
        3159,
        None,
        "https://www.youtube.com/watch?v=abc123&t=3159",
    ),
    ("https://youtube.com/watch?v=abc123", 311, None, "https://youtube.com/watch?v=abc123&t=311"),
    (
        "https://m.youtube.com/watch?v=abc123",
        311,
        None,
        "https://m.youtube.com/watch?v=abc123&t=311",
    ),
    ("https://youtu.be/abc123", 311, None, "https://youtu.be/abc123?t=311"),
    ("https://youtu.be/abc123?si=xyz", 311, None, "https://youtu.be/abc123?si=xyz&t=311"),
    ("https://www.youtube.com/live/abc123", 311, None, "https://www.youtube.com/live/abc123?t=311"),
    (
        "https://youtube.com/shorts/abc123?feature=share",
        5,
        None,
        "https://youtube.com/shorts/abc123?feature=share&t=5",
    ),
    ("http://WWW.YouTube.com/watch?v=Ab", 7, None, "http://WWW.YouTube.com/watch?v=Ab&t=7"),
    # ... replacing an existing t or start where it stood, keeping the others as written
    (
        "https://www.youtube.com/watch?v=abc&t=10&list=a%20b+c&start=4",
        311,
        None,
        "https://www.youtube.com/watch?v=abc&t=311&list=a%20b+c",
    ),
    (
        "https://www.youtube.com/watch?start=4&v=abc",
        311,
        None,
        "https://www.youtube.com/watch?t=311&v=abc",
    ),
    ("https://youtu.be/abc?t=1m2s", 311, None, "https://youtu.be/abc?t=311"),
    ("https://youtu.be/abc?t=9#t=9", 311, None, "https://youtu.be/abc?t=311"),
    ("https://youtu.be/abc#notes", 311, None, "https://youtu.be/abc?t=311#notes"),
    # ... an end time is ignored where the player cannot stop
    ("https://youtu.be/abc", 311, 400, "https://youtu.be/abc?t=311"),
    # ... the embedded player takes start= and end=
    (
        "https://www.youtube-nocookie.com/embed/abc?rel=0",
        311,
        400,
        "https://www.youtube-nocookie.com/embed/abc?rel=0&start=311&end=400",
    ),
    (
        "https://www.youtube.com/embed/abc?start=5&end=9",
        311,
        None,
        "https://www.youtube.com/embed/abc?start=311",
    ),
    # Vimeo: fragment #t=<s>s
    ("https://vimeo.com/123456", 311, None, "https://vimeo.com/123456#t=311s"),
    ("https://vimeo.com/123456#t=5s", 3723, None, "https://vimeo.com/123456#t=3723s"),
    (
        "https://vimeo.com/channels/staffpicks/123456",
        0,
        None,
        "https://vimeo.com/channels/staffpicks/123456#t=0s",
    ),
    (
        "https://player.vimeo.com/video/123456",
        9,
        None,
        "https://player.vimeo.com/video/123456#t=9s",
    ),
    # Spotify episode: query t=<s>
    (
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        311,
        None,
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk?t=311",
    ),
    (
        "https://open.spotify.com/episode/4rOo?si=abc&t=10",
        311,
        None,
        "https://open.spotify.com/episode/4rOo?si=abc&t=311",
    ),
    (
        "https://open.spotify.com/intl-de/episode/4rOo",
        311,
        None,
        "https://open.spotify.com/intl-de/episode/4rOo?t=311",
    ),
    # SoundCloud: fragment #t=<M:SS>, H:MM:SS past an hour
    (
        "https://soundcloud.com/artist/track",
        311,
        None,
        "https://soundcloud.com/artist/track#t=5:11",
    ),
    (
        "https://m.soundcloud.com/artist/track",
        3159,
        None,
        "https://m.soundcloud.com/artist/track#t=52:39",
    ),
    (
        "https://soundcloud.com/artist/track",
        3723,
        None,
        "https://soundcloud.com/artist/track#t=1:02:03",
    ),
]


@pytest.mark.parametrize(("url", "start", "end", "href"), PLATFORM_LINKS)
def test_platform_deep_links(url: str, start: int, end: int | None, href: str) -> None:
    assert deep_link(url, start, end) == (href, True)


@pytest.mark.parametrize("extension", sorted(MEDIA_EXTENSIONS))
def test_every_media_extension(extension: str) -> None:
    url = f"https://cdn.example.org/ep/42{extension}"
    assert deep_link(url, 311) == (f"{url}#t=311", True)
    assert deep_link(url, 311, 400) == (f"{url}#t=311,400", True)
    upper = f"media/talk{extension.upper()}"
    assert deep_link(upper, 5, 9) == (f"{upper}#t=5,9", True)


def test_media_extension_list_is_the_specs() -> None:
    assert {".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".flac"} | {
        ".mp4",
        ".m4v",
        ".webm",
        ".mov",
    } == MEDIA_EXTENSIONS


@pytest.mark.parametrize(
    ("url", "start", "end", "href"),
    [
        ("media/talk.mp3", 311, None, "media/talk.mp3#t=311"),
        ("/talks/x.webm?v=2", 0, 5, "/talks/x.webm?v=2#t=0,5"),
        ("x.mp3#t=9", 311, None, "x.mp3#t=311"),
        ("x.mp4#xywh=1,2,3,4", 311, None, "x.mp4#t=311&xywh=1,2,3,4"),
        # an end not after the start is dropped, never written as an invalid range
        ("x.mp3", 311, 311, "x.mp3#t=311"),
        ("x.mp3", 311, 10, "x.mp3#t=311"),
    ],
)
def test_media_fragments(url: str, start: int, end: int | None, href: str) -> None:
    assert deep_link(url, start, end) == (href, True)


UNCHANGED = [
    "https://example.org/episode/42",
    "https://example.org/talk.mp3.html",
    "https://www.youtube.com/channel/UCabc",
    "https://www.youtube.com/watch?list=PL1",
    "https://www.youtube.com/watch?v=",
    "https://youtu.be/",
    "https://vimeo.com/user123",
    "https://open.spotify.com/show/abc",
    "https://soundcloud.com/artist",
    "https://soundcloud.com/artist/sets/album",
    "https://notyoutube.com/watch?v=abc",
    "https://youtube.com.evil.example/watch?v=abc",
    "/talks/page",
    "#notes",
    # unsafe URLs never become timed links
    "javascript:alert(1)//x.mp3",
    "https://exa mple.org/x.mp3",
]


@pytest.mark.parametrize("url", UNCHANGED)
def test_anything_else_is_unchanged(url: str) -> None:
    assert deep_link(url, 311) == (url, False)
    assert deep_link(url, 311, 400, {"other.example": "{url}?t={seconds}"}) == (url, False)


@pytest.mark.parametrize(("start", "end"), [(-1, None), (5, -1)])
def test_negative_times_give_no_deep_link(start: int, end: int | None) -> None:
    assert deep_link("https://youtu.be/abc", start, end) == ("https://youtu.be/abc", False)


# --------------------------------------------------------------------------
# User templates
# --------------------------------------------------------------------------

TEMPLATES = {
    "podcasts.example": "{url}#at={seconds}",
    "player.podcasts.example": "https://play.example/?u={url}&from={hms}&to={end}",
    "youtube.com": "https://yt-proxy.example/{seconds}",
}


@pytest.mark.parametrize(
    ("url", "end", "href"),
    [
        # the exact host
        ("https://podcasts.example/ep/1", None, "https://podcasts.example/ep/1#at=3723"),
        # any subdomain
        ("https://www.podcasts.example/ep/1", None, "https://www.podcasts.example/ep/1#at=3723"),
        # the more specific key wins, whatever the dict order; {end} is "" without an end
        (
            "https://player.podcasts.example/ep",
            None,
            "https://play.example/?u=https://player.podcasts.example/ep&from=1:02:03&to=",
        ),
        (
            "https://a.player.podcasts.example/ep",
            3800,
            "https://play.example/?u=https://a.player.podcasts.example/ep&from=1:02:03&to=3800",
        ),
        # user templates take precedence over built-in platforms
        ("https://www.youtube.com/watch?v=abc", None, "https://yt-proxy.example/3723"),
    ],
)
def test_templates(url: str, end: int | None, href: str) -> None:
    assert deep_link(url, 3723, end, TEMPLATES) == (href, True)
    reordered = dict(reversed(TEMPLATES.items()))
    assert deep_link(url, 3723, end, reordered) == (href, True)


def test_template_keys_match_case_insensitively_and_not_lookalikes() -> None:
    templates = {"Podcasts.Example": "{url}#at={seconds}"}
    assert deep_link("https://PODCASTS.example/x", 5, None, templates)[1] is True
    assert deep_link("https://evilpodcasts.example/x", 5, None, templates)[1] is False


def test_invalid_template_is_skipped_not_raised() -> None:
    templates = {"youtu.be": "{url.__class__}", "x.example": "{nope}"}
    assert deep_link("https://youtu.be/abc", 5, None, templates) == (
        "https://youtu.be/abc?t=5",
        True,
    )
    assert deep_link("https://x.example/a", 5, None, templates) == ("https://x.example/a", False)


def test_template_producing_an_unsafe_url_gives_no_link() -> None:
    templates = {"x.example": "javascript:alert({seconds})"}
    assert deep_link("https://x.example/a", 5, None, templates) == ("https://x.example/a", False)


@pytest.mark.parametrize(
    ("host", "template"),
    [
        ("example.com", "{url}#t={seconds}"),
        ("example.com", "https://p.example/?u={url}&s={seconds}&e={end}&at={hms}"),
        ("example.com", "{{literal}}{url}"),
        ("sub.example.com", "{url}"),
    ],
)
def test_template_problem_accepts(host: str, template: str) -> None:
    assert template_problem(host, template) is None


@pytest.mark.parametrize(
    ("host", "template", "words"),
    [
        ("example.com", "{foo}", "uses {foo}; the placeholders are {end}, {hms}, {seconds}, {url}"),
        ("example.com", "{url.__class__}", "uses {url.__class__}"),
        ("example.com", "{url[0]}", "uses {url[0]}"),
        ("example.com", "{0}", "uses {0}"),
        ("example.com", "{}", "uses {}"),
        ("example.com", "{url", "not a valid format string"),
        ("example.com", "}", "not a valid format string"),
        ("example.com", "{seconds:>999999999}", "bare placeholders"),
        ("example.com", "{url!r}", "bare placeholders"),
        ("example.com", 5, "must be a string"),
        ("example.com", None, "must be a string"),
        ("https://example.com", "{url}", "bare host name"),
        ("example.com/path", "{url}", "bare host name"),
        ("", "{url}", "non-empty host name"),
        (5, "{url}", "non-empty host name"),
    ],
)
def test_template_problem_rejects(host: object, template: object, words: str) -> None:
    problem = template_problem(host, template)  # type: ignore[arg-type]
    assert problem is not None
    assert words in problem


# --------------------------------------------------------------------------
# URL safety
# --------------------------------------------------------------------------

SAFE = [
    "https://example.org",
    "http://example.org/a/b?c=d&e=f#g",
    "https://EXAMPLE.org:8443/x",
    "https://user@example.org/x",
    "http://[::1]/x",
    "https://例え.jp/パス",
    "https://a_b.example.com/",
    "https://example.org./x",
    "media/talk.mp3",
    "/talks/x",
    "#frag",
    "?q=1",
    "../up/page.html",
    "https://example.org/a%20b",
]
# "//cdn.example.org/x.mp3" was safe in 0.1; protocol-relative URLs are refused
# since issue 11 (tests/test_bad_input_blocks.py holds that rule).


@pytest.mark.parametrize("url", SAFE)
def test_safe_urls(url: str) -> None:
    assert url_problem(url) is None
    assert is_safe_url(url)


UNSAFE_SCHEMES = [
    ("javascript:alert(1)", "javascript:"),
    ("JaVaScRiPt:alert(1)", "javascript:"),
    (" JaVaScRiPt:alert(1)", "javascript:"),
    ("java\tscript:alert(1)", "javascript:"),
    ("java\nscript:alert(1)", "javascript:"),
    ("\x00javascript:alert(1)", "javascript:"),
    ("\x01\x1fjavascript:alert(1)", "javascript:"),
    ("javascript:alert(1) ", "javascript:"),
    ("\u200bjavascript:alert(1)", "javascript:"),
    ("data:text/html,<script>alert(1)</script>", "data:"),
    ("vbscript:msgbox(1)", "vbscript:"),
    ("file:///etc/passwd", "file:"),
    ("ftp://example.org/x", "ftp:"),
    ("mailto:someone@example.org", "mailto:"),
    ("c:\\windows", "c:"),
    ("talk:1.mp3", "talk:"),
]


@pytest.mark.parametrize(("url", "scheme"), UNSAFE_SCHEMES)
def test_unsafe_schemes_are_refused(url: str, scheme: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert f"scheme {scheme!r}" in problem
    assert "http:, https: or relative" in problem
    assert not is_safe_url(url)


MALFORMED = [
    ("", "empty"),
    ("http://", "no host name"),
    ("https:///path", "no host name"),
    ("http:example.org", "no host name"),
    ("///x", "no host name"),
    ("http://exa mple.org", "whitespace or control characters"),
    ("https://example.org/a b", "whitespace or control characters"),
    (" https://example.org", "whitespace or control characters"),
    ("https://example.org\n", "whitespace or control characters"),
    ("https://example.org/\x00", "whitespace or control characters"),
    ("https://example.org/\u202e", "whitespace or control characters"),
    ("https://example.org/\u00a0", "whitespace or control characters"),
    ("http://[::1", "malformed"),
    ("http://::1]/", "malformed"),
    ("http://[not-an-ip]/", "malformed"),
    ("https://example.org:port/", "invalid port"),
    ("https://example.org:99999/", "invalid port"),
    ("https://exa..mple.org/", "invalid host name"),
    ("https://exa%41mple.org/", "invalid host name"),
    ("\\\\evil.example/x", "'\\\\'"),
    ("/\\evil.example", "'\\\\'"),
    ("https://example.org/<script>", "'<'"),
    ('https://example.org/"', "'\"'"),
]


@pytest.mark.parametrize(("url", "words"), MALFORMED)
def test_malformed_urls_are_refused(url: str, words: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert words in problem
    assert not is_safe_url(url)


@pytest.mark.parametrize("value", [None, 5, b"https://example.org"])
def test_non_text_url(value: object) -> None:
    assert url_problem(value) == f"a URL must be text, not {type(value).__name__}"  # type: ignore[arg-type]


def test_problem_shows_control_characters_escaped() -> None:
    problem = url_problem("\x00javascript:alert(1)")
    assert problem is not None
    assert "\x00" not in problem
    assert "\\x00" in problem


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

DANGEROUS = ["javascript", "data", "vbscript", "file"]
NOISE = st.sampled_from(["\t", "\n", "\r", "\x00", "\x0b", " ", "\u200b", "\u00a0"])


@st.composite
def obfuscated(draw: st.DrawFn) -> str:
    """A dangerous scheme in random case with invisible characters sprinkled in."""
    scheme = draw(st.sampled_from(DANGEROUS))
    out = []
    for char in scheme + ":":
        out.append(draw(st.lists(NOISE, max_size=2)))
        out.append([char.upper() if draw(st.booleans()) else char])
    return "".join("".join(part) for part in out) + draw(st.text(max_size=10))


@given(obfuscated())
@example(" JaVaScRiPt:alert(1)")
def test_obfuscated_schemes_are_always_refused(url: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert "scheme" in problem
    assert deep_link(url, 5) == (url, False)


@given(st.text())
@example("http://[")
@example("http://\uff03@x")  # NFKC-normalises to a "#", which urlsplit refuses
@example("\x00")
@example("[")
def test_url_problem_never_raises(text: str) -> None:
    problem = url_problem(text)
    assert problem is None or isinstance(problem, str)
    if problem is None:
        # whatever passes has no scheme, or http(s) with a host
        parts = urlsplit(text)
        assert parts.scheme.lower() in {"", "http", "https"}
        if parts.scheme:
            assert parts.hostname


url_text = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(
        [
            "http://",
            "https://",
            "https://www.youtube.com/",
            "https://youtu.be/",
            "https://vimeo.com/",
            "https://open.spotify.com/episode/",
            "https://soundcloud.com/",
            "https://podcasts.example/",
        ]
    ),
    st.text(),
)
times = st.integers(min_value=0, max_value=10**7)


@given(url_text, times, st.none() | times)
@example("https://www.youtube.com/watch?v=a&t=1&t=2", 5, None)
@example("https://youtu.be/x?%zz=1&t=2", 5, None)
@example("http://[::1]/x.mp3", 5, 9)
@example("https://podcasts.example/%", 0, None)
def test_deep_link_never_raises_and_only_links_safely(
    url: str, start: int, end: int | None
) -> None:
    templates = {"podcasts.example": "{url}#at={seconds}-{end}"}
    for mapping in (None, templates):
        href, timed = deep_link(url, start, end, mapping)
        if timed:
            assert is_safe_url(href)
            assert str(start) in href or ":" in href  # SoundCloud writes M:SS
        else:
            assert href == url


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=5),
            st.text(alphabet="abc%20+/=", max_size=6),
        ),
        max_size=5,
    ),
    times,
)
def test_youtube_keeps_other_params_in_order_and_as_written(
    params: list[tuple[str, str]], start: int
) -> None:
    others = [f"{name}={value}" for name, value in params if name not in {"t", "start", "v"}]
    url = "https://www.youtube.com/watch?" + "&".join(["v=abc", *others])
    href, timed = deep_link(url, start)
    assert timed
    assert href == url + f"&t={start}"
