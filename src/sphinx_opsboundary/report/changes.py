"""What changed since a git revision: renames, copies, deletions, edits.

``check --since REF`` asks git, not a guess: the work tree (committed, staged,
unstaged and untracked files alike) is compared with *REF* using git's own
rename and copy detection.  The comparison goes through a temporary index, so
the user's staging area is never touched.  Pure Python over ``git``; no Sphinx
import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .paths import git_toplevel

__all__ = ["ChangeError", "ChangeSet", "Rename", "changes_since", "docname_of"]


class ChangeError(Exception):
    """Git cannot answer: not a repository, an unknown revision, no git at all."""


@dataclass(slots=True, frozen=True)
class Rename:
    """One file git saw renamed (repository-relative paths)."""

    old: str
    new: str


@dataclass(slots=True)
class ChangeSet:
    """Changes between *ref* and the work tree, as repository-relative paths."""

    ref: str
    root: Path
    renamed: list[Rename] = field(default_factory=list)
    copied: list[Rename] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  #: added or modified (new paths)


def _git(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise ChangeError(f"cannot run git: {err}") from err


def _parse_name_status(output: str, changes: ChangeSet) -> None:
    fields = output.split("\0")
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        letter = status[:1]
        if letter in {"R", "C"}:
            pair = Rename(fields[i + 1], fields[i + 2])
            (changes.renamed if letter == "R" else changes.copied).append(pair)
            if letter == "C":
                changes.changed.append(pair.new)
            i += 3
            continue
        path = fields[i + 1]
        if letter == "D":
            changes.deleted.append(path)
        else:
            changes.changed.append(path)
        i += 2


def changes_since(srcdir: str | os.PathLike[str], ref: str) -> ChangeSet:
    """Renames, copies, deletions and edits under *srcdir* between *ref* and the work tree.

    Raises :class:`ChangeError` with a message for the user when *srcdir* is not in
    a git work tree or git does not know *ref*.
    """
    source = Path(srcdir).resolve()
    root = git_toplevel(str(source))
    if root is None:
        raise ChangeError(
            f"{source} is not inside a git work tree; --since needs git (run it in a clone)"
        )
    if ref.startswith("-"):
        raise ChangeError(f"unknown revision {ref!r}")
    known = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if known.returncode != 0:
        raise ChangeError(
            f"git does not know the revision {ref!r}; fetch it first "
            "(e.g. git fetch origin main, or actions/checkout with fetch-depth: 0)"
        )
    commit = known.stdout.strip()
    pathspec = source.relative_to(root).as_posix() or "."
    with tempfile.TemporaryDirectory(prefix="opsboundary-index-") as tmp:
        index = Path(tmp) / "index"
        current = _git(root, "rev-parse", "--git-path", "index").stdout.strip()
        current_path = Path(current) if os.path.isabs(current) else root / current
        if current_path.is_file():
            shutil.copyfile(current_path, index)
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        added = _git(root, "add", "--all", "--", pathspec, env=env)
        if added.returncode != 0:
            raise ChangeError(f"git add into a temporary index failed: {added.stderr.strip()}")
        diff = _git(
            root,
            "diff",
            "--cached",
            "--name-status",
            "-z",
            "--find-renames",
            "--find-copies",
            "--no-ext-diff",
            commit,
            "--",
            pathspec,
            env=env,
        )
    if diff.returncode != 0:
        raise ChangeError(f"git diff failed: {diff.stderr.strip()}")
    changes = ChangeSet(ref, root)
    _parse_name_status(diff.stdout, changes)
    return changes


def docname_of(relpath: str, root: Path, srcdir: Path, suffixes: tuple[str, ...]) -> str | None:
    """The docname of a repository-relative source path, or None when it is not a page."""
    full = (root / relpath).resolve() if not Path(relpath).is_absolute() else Path(relpath)
    try:
        inside = full.relative_to(srcdir.resolve()).as_posix()
    except ValueError:
        return None
    for suffix in sorted(suffixes, key=len, reverse=True):
        if suffix and inside.endswith(suffix):
            return inside[: -len(suffix)]
    return None
