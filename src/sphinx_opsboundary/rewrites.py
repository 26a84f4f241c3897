"""Pages to re-write, saved until a build has written them: recovery after Ctrl-C.

Sphinx saves the environment (and with it the extension's link fingerprints)
*before* it writes any page.  A build interrupted while writing therefore
leaves pages unwritten that the next incremental build no longer knows to
write: the related-link texts of pages whose target was retitled, the episode
index pages, and pages re-read because a data file or the episodes file
changed (Sphinx compares only a page's own source with its output).

So every page a build means to write for a reason Sphinx cannot see again is
noted here: the pages it re-reads (``env-before-read-docs``) and the pages a
feature asks to re-write (:func:`note_rewrites`, from ``env-updated`` /
``env-get-updated``).  The set is saved in the doctree folder next to the
environment before the environment is saved, and removed only when the build
finishes without an error; the next build adds what an unfinished build left
to its own pages to write.
"""

from __future__ import annotations

import contextlib
import json
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = ["note_rewrites", "setup_rewrites"]

_NOTED: weakref.WeakKeyDictionary[BuildEnvironment, set[str]] = weakref.WeakKeyDictionary()


def note_rewrites(env: BuildEnvironment, docnames: Iterable[str]) -> None:
    """Pages this build must write; kept until a build finishes writing them."""
    _NOTED.setdefault(env, set()).update(docnames)


def _path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"opsboundary-rewrites-{app.builder.name}.json"


def _saved(app: Sphinx) -> set[str]:
    try:
        data = json.loads(_path(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for name in data if isinstance(name, str)} if isinstance(data, list) else set()


def _reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    note_rewrites(env, docnames)


def _save(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Save what this build must write; return what an unfinished build left."""
    left = _saved(app) & set(env.all_docs)
    pending = sorted((left | _NOTED.pop(env, set())) & set(env.found_docs))
    path = _path(app)
    if pending:
        temporary = path.with_suffix(".tmp")
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(pending), encoding="utf-8")
            os.replace(temporary, path)
    return sorted(left)


def _finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        with contextlib.suppress(OSError):
            _path(app).unlink(missing_ok=True)


#: What a complete ``.buildinfo`` starts with (Sphinx writes four lines).
_BUILDINFO_HEADER = "# Sphinx build info version 1"


def _repair_buildinfo(app: Sphinx) -> None:
    """Turn a ``.buildinfo`` cut short by Ctrl-C into a plain mismatch.

    Sphinx 8.1-9.0 crash (IndexError) on an empty or truncated ``.buildinfo``,
    so an interrupt at the wrong moment would break every later build of that
    output folder.  A well-formed file whose hashes match nothing makes Sphinx
    do what it does for any changed configuration: write every page again.
    """
    if app.builder is None or app.builder.format != "html":
        return
    path = Path(app.outdir) / ".buildinfo"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return
    complete = len(lines) >= 4 and lines[0].rstrip() == _BUILDINFO_HEADER
    if not complete:
        with contextlib.suppress(OSError):
            path.write_text(
                f"{_BUILDINFO_HEADER}\n# cut short by an interrupted build\n"
                "config: interrupted\ntags: interrupted\n",
                encoding="utf-8",
            )


def setup_rewrites(app: Sphinx) -> None:
    app.connect("builder-inited", _repair_buildinfo)
    app.connect("env-before-read-docs", _reading)
    # Late: after every feature noted its rewrites (env-updated runs before).
    app.connect("env-get-updated", _save, priority=900)
    app.connect("build-finished", _finished)
