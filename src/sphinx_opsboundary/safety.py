"""URL rules for every link the extension writes, and their enforcement.

Only ``http``, ``https`` and relative URLs may become links (SPEC §0).
:func:`url_problem` is the one rule, shared by every feature; the transform
below applies it to links inside the extension's own blocks.

Bodies, cells and descriptions are parsed as the page's own markup, and docutils
turns a bare ``javascript:…`` or a ``\\`x <data:…>\\`_`` into a live link.  After
reading, every reference inside an ``opsboundary-*`` block is checked once here,
so each directive does not need its own copy of the rule.  Links elsewhere on the
page are the author's business and left alone.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from typing import Any
from urllib.parse import SplitResult, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .diagnostics import excerpt, warn

_SAFE_SCHEMES = frozenset({"http", "https"})
# Characters that never belong in a URL a person wrote; they signal a copy or
# markup error, and backslashes are read as "/" by browsers ("\\host" would be a
# link to another site).
_FORBIDDEN_CHARACTERS = frozenset('\\<>"`')
_HOST_LABEL = re.compile(r"[\w-]+")  # Unicode letters for IDN hosts; "_" occurs in real hosts
_MESSAGE_URL_LIMIT = 60


# --------------------------------------------------------------------------
# URL safety
# --------------------------------------------------------------------------


def _shown(url: str) -> str:
    """The URL for a message: escaped (control characters visible) and short."""
    return excerpt(url, _MESSAGE_URL_LIMIT)


def is_invisible(char: str) -> bool:
    """Whitespace, control and format characters (zero-width, bidi overrides)."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp", "Zs"}


def _plain_ascii(url: str) -> bool:
    """Printable ASCII without spaces: no character of it can be invisible.

    Almost every URL is, so the per-character Unicode check is skipped for it.
    """
    return url.isascii() and url.isprintable() and " " not in url


def _scheme_of(url: str) -> str:
    """The scheme a browser would see, after dropping every invisible character.

    Browsers strip surrounding controls and remove tabs and newlines anywhere,
    so ``" java\\tscript:"`` is ``javascript:`` to them; removing *all*
    invisible characters is stricter still and never lets such a URL through.
    """
    visible = url if _plain_ascii(url) else "".join(c for c in url if not is_invisible(c))
    try:
        return urlsplit(visible).scheme.lower()
    except ValueError:
        return ""


def _host_problem(parts: SplitResult) -> str | None:
    netloc = parts.netloc.rpartition("@")[2]
    host = parts.hostname
    if not host:
        return "has no host name"
    if netloc.startswith("["):
        try:
            ipaddress.IPv6Address(host.partition("%")[0])
        except ValueError:
            return f"has an invalid IPv6 address {host!r}"
    else:
        labels = host.removesuffix(".").split(".")
        if not all(_HOST_LABEL.fullmatch(label) for label in labels):
            return f"has an invalid host name {host!r}"
    try:
        parts.port  # noqa: B018 - the property validates the port
    except ValueError:
        return "has an invalid port"
    return None


def _netloc(url: str) -> str:
    try:
        return urlsplit(url).netloc
    except ValueError:
        return ""


def url_problem(url: str) -> str | None:
    """Why *url* may not become a link, or None when it may.

    Allowed: absolute ``http``/``https`` URLs with a host, and relative URLs
    (``media/talk.mp3``, ``/talks/x``, ``#frag``).  Protocol-relative URLs
    (``//host/path``) are refused everywhere: they take the scheme of wherever
    the page is opened (``file:`` in a downloaded copy), Sphinx's linkcheck
    never checks them, and ``https://host/path`` says the same thing.
    """
    if not isinstance(url, str):
        return f"a URL must be text, not {type(url).__name__}"
    return _str_url_problem(url)


# Performance: the same few URLs are judged again and again (an episode's URL
# for every deep link to it, then every reference on every page once more after
# reading), and the judgement depends on the string alone, so it is memoised.
# Bounded, so that a site with very many distinct URLs keeps a small cache.
@functools.lru_cache(maxsize=4096)
def _str_url_problem(url: str) -> str | None:
    if not url:
        return "the URL is empty"
    scheme = _scheme_of(url)
    if scheme and scheme not in _SAFE_SCHEMES:
        return (
            f"URL {_shown(url)} uses the scheme {scheme + ':'!r}, which is not allowed; "
            "use an http:, https: or relative URL"
        )
    if not _plain_ascii(url) and any(is_invisible(char) for char in url):
        return (
            f"URL {_shown(url)} contains whitespace or control characters; "
            "remove them (write a space inside a URL as %20)"
        )
    if url.startswith("//") and _netloc(url):  # without a host: refused below
        return (
            f"URL {_shown(url)} is protocol-relative (starts with '//'); "
            "write it with its scheme: https://host/path"
        )
    bad = sorted(set(url) & _FORBIDDEN_CHARACTERS)
    if bad:
        return (
            f"URL {_shown(url)} contains {', '.join(map(repr, bad))}, "
            "which is not allowed in a URL; percent-encode it or use '/'"
        )
    try:
        parts = urlsplit(url)
    except ValueError as err:
        return f"URL {_shown(url)} is malformed ({err}); check the brackets around an IPv6 host"
    if parts.scheme or parts.netloc or url.startswith("//"):
        problem = _host_problem(parts)
        if problem:
            return f"URL {_shown(url)} {problem}; write it as https://host/path"
    return None


def is_safe_url(url: str) -> bool:
    """True when *url* may be written as a link target."""
    return url_problem(url) is None


# --------------------------------------------------------------------------
# Links inside our blocks
# --------------------------------------------------------------------------

_PREFIX = "opsboundary-"


def _ours(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        classes: list[str] = parent.get("classes", []) if isinstance(parent, nodes.Element) else []
        if any(cls.startswith(_PREFIX) for cls in classes):
            return True
        parent = parent.parent
    return False


def _location(node: nodes.Node) -> tuple[str | None, int | None]:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.source, current.line
        current = current.parent
    return None, None


def refuse_unsafe_links(app: Sphinx, doctree: nodes.document) -> None:
    """Replace unsafe references in our blocks by their text, with a warning."""
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri")
        if not uri:
            continue
        # Judge the URL first: it is cheap, and nearly always fine, so the walk
        # up the tree to see whether the link is inside our block rarely runs.
        problem = url_problem(uri)
        if problem is None or not _ours(ref):
            continue
        source, line = _location(ref)
        warn(f"link refused: {problem}", "url", (source or doctree.get("source"), line))
        ref.replace_self(nodes.inline(ref.astext(), ref.astext(), classes=["opsboundary-refused"]))


def show_raw_as_text(app: Sphinx, doctree: nodes.document) -> None:
    """Raw output inside our blocks is shown as its text, with a warning.

    A MyST page passes ``<a href="javascript:...">`` through as a live ``raw``
    node, and an rST body may hold ``.. raw:: html``; inside the extension's
    blocks only the extension's own markup may reach the output (SPEC §0).
    Raw output elsewhere on the page is the author's business.
    """
    for raw in list(doctree.findall(nodes.raw)):
        if raw.parent is None or not _ours(raw):
            continue
        source, line = _location(raw)
        text = raw.astext()
        warn(
            f"raw {raw.get('format', '') or 'output'} {excerpt(text)} is not allowed inside "
            "the extension's blocks; it is shown as text - use the page's markup instead",
            "syntax",
            (source or doctree.get("source"), line),
        )
        shown = nodes.literal(text, text, classes=["opsboundary-refused"])
        if isinstance(raw.parent, nodes.TextElement):
            raw.parent.replace(raw, shown)
        else:
            raw.parent.replace(raw, nodes.paragraph("", "", shown))


class OneLineForMan(SphinxPostTransform):
    """No user text inside our blocks may start a roff control line.

    docutils' man writer escapes a ``.`` only at the start of a text node, so a
    newline inside a speaker, a caption or a data-file cell followed by
    ``.so /etc/group`` would become a request.  Outside literal blocks a
    newline and a space are the same to roff, so newlines become spaces.
    """

    default_priority = 900
    formats = ("man",)

    def run(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if "\n" not in text or not _ours(text):
                continue
            parent = text.parent
            if any(isinstance(a, nodes.FixedTextElement) for a in _ancestors(parent)):
                continue  # literal blocks: the writer escapes each line itself
            parent.replace(text, nodes.Text(" ".join(str(text).splitlines())))


def _ancestors(node: nodes.Node | None) -> list[nodes.Node]:
    found = []
    while node is not None:
        found.append(node)
        node = node.parent
    return found


def setup_safety(app: Sphinx) -> None:
    app.connect("doctree-read", show_raw_as_text)
    app.add_post_transform(OneLineForMan)
    app.connect("doctree-read", refuse_unsafe_links)
