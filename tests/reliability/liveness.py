"""Find anything *live* in generated HTML: scripts, event handlers, unsafe URLs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Scripts the theme and Sphinx load themselves (by file name).
KNOWN_SCRIPTS = {
    "documentation_options.js",
    "doctools.js",
    "sphinx_highlight.js",
    "design-tabs.js",
    "jquery.js",
    "underscore.js",
    "searchtools.js",
    "language_data.js",
    "searchindex.js",
}
#: Inline scripts the theme writes itself (alabaster's search box).
KNOWN_INLINE = {"document.getElementById('searchbox').style.display = \"block\""}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (after dropping whitespace and control chars)."""
    cleaned = _INVISIBLE.sub("", url)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


class LiveFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._depth = 0  # >0 while inside an opsboundary-* container
        self._stack: list[bool] = []
        self._script: str | None = None

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        ours = any(c.startswith("opsboundary") for c in values.get("class", "").split())
        inside = self._depth > 0 or ours
        if tag == "script":
            src = values.get("src", "")
            if src and src.rsplit("/", 1)[-1].split("?")[0] not in KNOWN_SCRIPTS:
                self.problems.append(f"<script> not from the theme: {attrs}")
            self._script = ""
        for name, value in values.items():
            if name.startswith("on") and inside:
                self.problems.append(f"event handler {name}={value!r} on <{tag}> in our output")
            if name in {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}:
                scheme = url_scheme(value)
                if scheme not in {None, "http", "https"}:
                    self.problems.append(f"{name}={value!r} on <{tag}> has scheme {scheme!r}")
        if inside and tag in {"iframe", "object", "embed", "form", "style", "base", "meta"}:
            self.problems.append(f"<{tag}> inside our output")
        if tag not in self.VOID:
            self._stack.append(ours)
            if ours:
                self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script and self._script not in KNOWN_INLINE:
            self.problems.append(f"inline script: {self._script[:80]!r}")
        if tag == "script":
            self._script = None
        if tag in self.VOID or not self._stack:
            return
        if self._stack.pop():
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data.strip()


def live_problems(html: str) -> list[str]:
    finder = LiveFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
