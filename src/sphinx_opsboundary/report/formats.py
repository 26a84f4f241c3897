"""How problems are written for the places CI shows them.

Pure functions of a problem list: no Sphinx import, so the builder and the
``check`` command line share one spelling of every format.
"""

from __future__ import annotations

from typing import Any

__all__ = ["citation_entry", "github_annotation"]


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


#: What a citation without a transcript check reports (SPEC §6).
UNCHECKED: dict[str, Any] = {"quote": "unchecked", "quote_found_at": None, "chapter": None}


def citation_entry(
    citation: Any, file: str, status: str, message: str, quote: dict[str, Any]
) -> dict[str, Any]:
    """One ``citations`` entry of the JSON report, for a recorded or a broken citation."""
    return {
        "file": file,
        "line": citation.line,
        "docname": citation.docname,
        "key": citation.key,
        "at": citation.at,
        "end": citation.end,
        "origin": citation.origin,
        "status": status,
        "message": message,
        "suggestion": None,
        **quote,
    }
