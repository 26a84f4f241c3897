"""What every data-file reader shares: the formats, key paths and the one error."""

from __future__ import annotations

from typing import Literal

Format = Literal["toml", "json", "yaml"]
#: A path into the parsed data: mapping keys and sequence indexes.
KeyPath = tuple[str | int, ...]

#: Extension -> format.
FORMATS: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
#: Data files above this size are refused rather than parsed (a safety limit).
MAX_BYTES = 2_000_000

#: Why a file was refused, so that callers can add their own hints (for example
#: which setting a missing file's path comes from).
Reason = Literal[
    "format", "missing", "unreadable", "too-large", "encoding", "syntax", "duplicate", "alias",
    "no-yaml", "depth", "value",
]  # fmt: skip


class DataFileError(Exception):
    """A data file that cannot be used: what is wrong, and where when known.

    ``message`` reads after the file's name ("is not valid JSON: Expecting
    value"); ``line`` is 1-based or None; ``parser_message`` is the parser's
    own text for syntax errors (what older messages quoted verbatim).
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        *,
        reason: Reason = "syntax",
        parser_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.reason = reason
        self.parser_message = parser_message if parser_message is not None else message

    def __str__(self) -> str:
        return f"{self.message} (line {self.line})" if self.line else self.message
