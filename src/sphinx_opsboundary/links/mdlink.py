"""Markdown habits in ``related-paths`` entries (SPEC §2, "Targets").

People who write Markdown all day type a link as ``[Title](target)``; in an
entry that is read as ``Title <target>``, on rST and MyST pages alike, so the
author's habit works instead of becoming a document named ``[Title](target)``.

The scan is one left-to-right pass with no regular expression, so its time is
linear in the entry's length whatever the input (runs of brackets, spaces or
backslashes included).  Pure Python, no Sphinx import.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MarkdownLink", "MarkdownLinkError", "parse_markdown_entry"]

_SPACE = " \t"
_SEPARATORS = ("--", "—")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True, slots=True)
class MarkdownLink:
    """An entry written as ``[Title](target) [-- description]``."""

    title: str | None  #: None for ``[](target)``: the target's own title is used
    target: str
    description: str


class MarkdownLinkError(ValueError):
    """A Markdown link that is not well formed; the message says what is missing."""


def _unescape(text: str) -> str:
    """Drop the backslash of ``\\]``, ``\\)`` and other escaped ASCII punctuation."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _PUNCTUATION:
            out.append(text[index + 1])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _closing_bracket(text: str) -> int:
    """Index of the ``]`` that closes the ``[`` at index 0 (nested pairs allowed), or -1."""
    depth = 0
    index = 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in _SPACE:
        index += 1
    return index


def _destination(text: str, index: int) -> tuple[str, int]:
    """The target starting at *index* and the index after it.

    ``<...>`` may hold anything but ``<``/``>``; a bare target ends at a space
    or at the ``)`` that is not matched by an earlier ``(`` (so a URL such as
    ``https://example.org/a_(b)`` keeps its parentheses).
    """
    if index < len(text) and text[index] == "<":
        end = index + 1
        while end < len(text) and text[end] not in "<>":
            end += 2 if text[end] == "\\" else 1
        if end >= len(text) or text[end] != ">":
            raise MarkdownLinkError("the Markdown link's '<target>' has no closing '>'")
        return text[index + 1 : end], end + 1
    depth = 0
    end = index
    while end < len(text):
        char = text[end]
        if char == "\\":
            end += 2
            continue
        if char in _SPACE:
            break
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    end = min(end, len(text))
    return text[index:end], end


def _link_title(text: str, index: int) -> int:
    """Skip an optional Markdown link title (``"..."``, ``'...'`` or ``(...)``)."""
    if index >= len(text) or text[index] not in "\"'(":
        return index
    closer = ")" if text[index] == "(" else text[index]
    end = index + 1
    while end < len(text) and text[end] != closer:
        end += 2 if text[end] == "\\" else 1
    if end >= len(text):
        raise MarkdownLinkError("the Markdown link has no closing ')'")
    return end + 1


def _description(rest: str) -> str:
    """The description after the link: empty, or a `` -- `` / `` — `` separator first."""
    if not rest.strip():
        return ""
    if rest[:1] in _SPACE:
        stripped = rest.lstrip(_SPACE)
        for separator in _SEPARATORS:
            after = stripped[len(separator) :]
            if stripped.startswith(separator) and (not after or after[0] in _SPACE):
                return after.strip()
    raise MarkdownLinkError(
        "the text after the Markdown link must start with ' -- ' (the description separator)"
    )


def parse_markdown_entry(text: str) -> MarkdownLink | None:
    """``[Title](target) [-- description]``, or None when *text* is no Markdown link.

    Only text that opens with ``[``, closes that bracket and goes on with ``(``
    is a Markdown link, so ``[draft] notes <page>`` keeps the ordinary grammar.
    Raises :class:`MarkdownLinkError` for a half-written link such as
    ``[Title](target`` or for text after the link that is not a description.
    """
    if not text.startswith("["):
        return None
    close = _closing_bracket(text)
    if close == -1 or text[close + 1 : close + 2] != "(":
        return None
    index = _skip_space(text, close + 2)
    target, index = _destination(text, index)
    index = _skip_space(text, index)
    index = _skip_space(text, _link_title(text, index))
    if index >= len(text) or text[index] != ")":
        raise MarkdownLinkError("the Markdown link has no closing ')'")
    title = _unescape(text[1:close]).strip() or None
    return MarkdownLink(title, _unescape(target).strip(), _description(text[index + 1 :]))
