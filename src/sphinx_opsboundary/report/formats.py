"""How problems are written for the places CI shows them.

Pure functions of a problem list: no Sphinx import, so the builder and the
``check`` command line share one spelling of every format.
"""

from __future__ import annotations

__all__ = ["github_annotation"]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(file: str, line: int | None, message: str) -> str:
    """One ``::error`` workflow command, escaped per GitHub's rules."""
    props = f"file={_escape_property(file)}"
    if line:
        props += f",line={line}"
    return f"::error {props}::{_escape_data(message)}"
