"""``check --since REF``: the problems a change caused, and the redirects it needs.

Given the full report's problems and git's :class:`~.changes.ChangeSet`, each
problem is *listed* when the change caused it (a link to a page renamed or
deleted in the change, wherever the link is) or when it sits in a changed file;
every other problem is *counted* (``--all`` lists them too).  A link broken by a
rename gets the exact fix from git's rename detection instead of a guess.
"""

from __future__ import annotations

import ast
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .changes import ChangeSet, docname_of

__all__ = ["ProblemLike", "Review", "read_redirects", "review", "write_redirects"]


class ProblemLike(Protocol):
    """What :func:`review` needs of a problem (the builder's ``Problem``)."""

    file: str
    line: int | None
    message: str
    subtype: str
    extra: dict[str, Any]


@dataclass(slots=True)
class Review:
    """The outcome of ``--since``: problems to list, to count, and the page moves."""

    listed: list[Any] = field(default_factory=list)
    counted: list[Any] = field(default_factory=list)
    moves: dict[str, str] = field(default_factory=dict)  #: old docname -> new docname
    #: The same moves as source files relative to the source folder (``a.rst``).
    files: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)  #: the JSON ``since`` block


def _written(new_doc: str, citing: str, raw: str) -> str:
    """*new_doc* as the author wrote the old target: absolute (``/x``) or relative."""
    if raw.startswith("/"):
        return "/" + new_doc
    base = posixpath.dirname(citing)
    return posixpath.relpath(new_doc, base) if base else new_doc


def review(
    problems: list[Any], changes: ChangeSet, srcdir: Path, suffixes: tuple[str, ...]
) -> Review:
    """Divide *problems* (rewriting the messages of links a rename broke)."""
    result = Review()
    deleted_docs: set[str] = set()
    for rename in changes.renamed:
        old = docname_of(rename.old, changes.root, srcdir, suffixes)
        new = docname_of(rename.new, changes.root, srcdir, suffixes)
        if old and new and old != new:
            result.moves[old] = new
            source = (changes.root / rename.old).resolve().relative_to(srcdir.resolve())
            target = (changes.root / rename.new).resolve().relative_to(srcdir.resolve())
            result.files[source.as_posix()] = target.as_posix()
        elif old and not new:
            deleted_docs.add(old)
    for path in changes.deleted:
        doc = docname_of(path, changes.root, srcdir, suffixes)
        if doc:
            deleted_docs.add(doc)
    changed = {*changes.changed, *(r.new for r in changes.renamed)}
    for problem in problems:
        target = problem.extra.get("target_doc")
        if target in result.moves and problem.subtype == "related":
            new = result.moves[target]
            anchor = problem.extra.get("anchor")
            fix = _written(new, problem.extra.get("docname", ""), problem.extra.get("raw", ""))
            fix += f"#{anchor}" if anchor else ""
            what = "side link" if problem.extra.get("origin") == "side" else "related link"
            problem.message = (
                f"{what} {problem.extra.get('raw', target)!r}: moved in this change: "
                f"{target!r} \u2192 {new!r}; write {fix!r}"
            )
            problem.extra["suggestion"] = fix
            result.listed.append(problem)
        elif target in deleted_docs and problem.subtype == "related":
            problem.message += f" (the page {target!r} was deleted in this change)"
            result.listed.append(problem)
        elif problem.file in changed:
            result.listed.append(problem)
        else:
            result.counted.append(problem)
    result.summary = {
        "ref": changes.ref,
        "renamed": [
            {
                "old": r.old,
                "new": r.new,
                "old_docname": docname_of(r.old, changes.root, srcdir, suffixes),
                "new_docname": docname_of(r.new, changes.root, srcdir, suffixes),
            }
            for r in changes.renamed
        ],
        "deleted": sorted(changes.deleted),
        "changed": sorted(changes.changed),
        "listed": len(result.listed),
        "counted": len(result.counted),
    }
    return result


# --------------------------------------------------------------------------
# Redirect files
# --------------------------------------------------------------------------

_PY_NAME = "opsboundary_redirects"


def read_redirects(path: Path) -> dict[str, str]:
    """The entries already in a redirect file (empty when it does not exist).

    Raises ValueError when the file exists but is not in the expected format.
    """
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        tree = ast.parse(text, filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == _PY_NAME for t in node.targets
            ):
                value = ast.literal_eval(node.value)
                if isinstance(value, dict):
                    return {str(k): str(v) for k, v in value.items()}
        raise ValueError(f"{path} has no '{_PY_NAME} = {{...}}' dict")
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValueError(f"{path}:{number}: expected 'old new', got {line.strip()!r}")
        found[parts[0].strip("\"'")] = parts[1].strip("\"'")
    return found


def write_redirects(path: Path, review: Review) -> dict[str, str]:
    """Merge the moves of *review* into the redirect file at *path*; return its entries.

    ``.py``: ``opsboundary_redirects = {...}`` (docnames) for ``conf.py`` to execute
    or import; anything else: rediraffe's lines of quoted source files relative
    to the source folder (``"old.rst" "new.rst"``), as its own ``rediraffewritediff``
    writes them.  An entry whose old name is now a new page's name is dropped, so
    a page moved back does not loop.
    """
    moves = review.moves if path.suffix == ".py" else review.files
    merged = read_redirects(path)
    for old, new in moves.items():
        merged[old] = new
    for new in moves.values():
        merged.pop(new, None)
    merged = dict(sorted(merged.items()))
    if path.suffix == ".py":
        body = "".join(f"    {json.dumps(k)}: {json.dumps(v)},\n" for k, v in merged.items())
        text = (
            "# Written by python -m sphinx_opsboundary check --write-redirects.\n"
            f"{_PY_NAME} = {{\n{body}}}\n"
        )
    else:
        text = "".join(f"{json.dumps(k)} {json.dumps(v)}\n" for k, v in merged.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return merged
