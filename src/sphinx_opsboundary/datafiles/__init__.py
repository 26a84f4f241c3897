"""The one loader for user data files: TOML, JSON and YAML (SPEC §1.3 and §3).

The episode registry (``opsboundary_episodes_file``) and the boundary table's
``:source:`` read the same three formats, and users expect the same answers from
both: a located, readable error instead of a traceback, and warnings about the
*content* placed at the line that holds the offending key.  So both go through
:func:`load_data_file`, which

* dispatches on the extension (``.toml``, ``.json``, ``.yaml``/``.yml``; PyYAML
  is an optional extra, so its absence is an error that names the extra);
* refuses files above :data:`MAX_BYTES` before parsing them (a safety limit);
* decodes UTF-8 itself, so a bad byte becomes an error at its line (a leading
  byte-order mark is accepted: editors on Windows write one);
* refuses duplicate keys in JSON and YAML, whose parsers otherwise keep the last
  one silently (``tomllib`` already refuses them);
* refuses YAML aliases, which is the billion-laughs guard: an alias is the only
  way a few bytes of YAML expand to gigabytes of data;
* and keeps enough of the text to answer :meth:`LoadedData.line_of` - the line
  that defines a key path such as ``("episodes", "e")`` or ``("rows", 2)``.

Every problem is a :class:`DataFileError` carrying the 1-based line when there
is one; callers turn it into their ``opsboundary.source`` warning.  Pure Python:
no Sphinx import, so it is easy to test and reuse.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from typing import Any

from .base import FORMATS, MAX_BYTES, DataFileError, Format, KeyPath, Reason
from .parsers import _json_key_lines, _parse_json, _parse_toml, _parse_yaml, _toml_key_lines
from .values import bad_value, key_path_text

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "DataFileError",
    "Format",
    "KeyPath",
    "LoadedData",
    "Reason",
    "load_data_file",
    "read_text",
]


@dataclass
class LoadedData:
    """A parsed data file, plus what is needed to locate its keys."""

    path: str
    format: Format
    data: Any
    text: str
    #: Key path -> line, filled at load time (YAML) or on first use (TOML, JSON).
    _lines: dict[KeyPath, int] | None = field(default=None, repr=False)

    def key_lines(self) -> dict[KeyPath, int]:
        """Every key path the loader could locate -> its 1-based line."""
        if self._lines is None:
            if self.format == "toml":
                self._lines = _toml_key_lines(self.text)
            elif self.format == "json":
                self._lines = _json_key_lines(self.text)[0]
            else:  # YAML lines come from the node tree at load time
                self._lines = {}
        return self._lines

    def line_of(self, *keys: str | int) -> int | None:
        """The line defining ``data[k1][k2]...``, else of its nearest located parent.

        ``line_of("episodes", "e")`` is the ``[episodes.e]`` header in TOML, the
        ``"e":`` key in JSON, the ``e:`` key in YAML; ``line_of("rows", 1)`` is the
        second row.  A key that cannot be located itself (one inside a TOML
        inline table, say) gets its parent's line; None when no part of the path
        can be located.
        """
        lines = self.key_lines()
        path: KeyPath = tuple(keys)
        while path:
            line = lines.get(path)
            if line is not None:
                return line
            path = path[:-1]
        return None


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def load_data_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> LoadedData:
    """Read and parse *path*; raise :class:`DataFileError` for any problem."""
    path = os.fspath(path)
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise DataFileError(
            "has an unknown format; use a .toml, .json, .yaml or .yml file", reason="format"
        )
    text = _read_text(path, max_bytes)
    try:
        if fmt == "toml":
            loaded = LoadedData(path, fmt, _parse_toml(text), text)
        elif fmt == "json":
            loaded = LoadedData(path, fmt, _parse_json(text), text)
        else:
            data, lines = _parse_yaml(text)
            loaded = LoadedData(path, fmt, data, text, lines)
    except RecursionError:
        raise DataFileError(
            f"is not valid {fmt.upper()}: nested too deeply", reason="depth"
        ) from None
    found = bad_value(loaded.data)
    if found is not None:
        keys, problem = found
        raise DataFileError(
            f"{_key_path_text(keys)}{problem}", loaded.line_of(*keys), reason="value"
        )
    return loaded


def _key_path_text(keys: tuple[str | int, ...]) -> str:
    """``"at 'rows[0].cells[1]': "`` for a message, or the empty string at the top."""
    if not keys:
        return ""
    from ..diagnostics import excerpt  # late: the loader itself has no Sphinx import

    return f"at {excerpt(key_path_text(keys))}: "


def read_text(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of *path* under the data-file rules (size cap, located bad byte).

    For formats read by their own parser (transcripts); raises :class:`DataFileError`.
    """
    return _read_text(os.fspath(path), max_bytes)


def _read_text(path: str, max_bytes: int) -> str:
    """The file's text; the size is checked on what is read, not on a prior stat."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; only regular
        # files are read (a FIFO, a device or a folder is refused).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise DataFileError(
                "is not a regular file (a folder, a FIFO or a device); point it at a data file",
                reason="unreadable",
            )
        with open(descriptor, "rb") as handle:
            raw = handle.read(max_bytes + 1)
            if len(raw) > max_bytes:
                size = max(os.fstat(handle.fileno()).st_size, len(raw))
                raise DataFileError(
                    f"is {size} bytes, over the {max_bytes} byte limit; split it",
                    reason="too-large",
                )
    except FileNotFoundError as error:
        raise DataFileError(
            f"cannot be read ({error.strerror or error})", reason="missing"
        ) from None
    except OSError as error:
        raise DataFileError(
            f"cannot be read ({error.strerror or error})", reason="unreadable"
        ) from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataFileError(
            f"is not UTF-8: byte 0x{raw[error.start]:02x} at line {line}, column {column} "
            "cannot be decoded; save the file as UTF-8",
            line,
            reason="encoding",
        ) from None
